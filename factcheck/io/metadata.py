"""The metadata a report states: front matter, a leading inline date, and the fields they fill."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from dateutil import parser as dateparser

from .. import yamlio
from ..errors import InputError, Problem
from .encodings import scrub
from .inputs import Skip

# Metadata keys that fill a `Document` field; the first key of each field wins over its aliases.
_FIELD_KEYS = {
    "outlet": ("source", "outlet"),
    "published": ("date",),
    "title": ("title",),
    "url": ("url", "origin"),
    "event": ("event",),
}
_KEY_FIELD = {key: name for name, keys in _FIELD_KEYS.items() for key in keys}
_GROUP_FIELD = {**_KEY_FIELD, **{name: name for name in _FIELD_KEYS}}
GROUP_FIELDS = tuple(_GROUP_FIELD)  # the standard fields `--group-by` takes, lower case

_INLINE_DATE = re.compile(r"\s*date(?::[ \t]*|[ \t]+)(\d{4}-\d{2}-\d{2})(?![\w-])\s*", re.I)
_YEAR_FIRST = re.compile(r"\d{4}[-/.]")
# Two different defaults: a field dateutil fills in from the default was not in the text.
_PROBE_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def story_of(fields: Mapping[str, Any], group_by: str | None, folder: str) -> str:
    """The story a report is compared within.

    `fields` are the report's `Document` fields (with `metadata`); `folder` is its folder relative
    to the path given (the corpus file for a corpus record).
    """
    if group_by is None:
        return fields.get("event") or ""
    if group_by == "folder":
        return folder
    name = _GROUP_FIELD.get(group_by.lower())
    value = fields.get(name) if name else None
    if value is None:
        value = fields.get("metadata", {}).get(group_by)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_date(value: Any) -> date:
    """A date as stated: YAML dates, ISO strings, or a text dateutil reads one way only.

    Raises ValueError for anything else, including ambiguous day/month orders and texts that lack
    a year, month or day (nothing is filled in).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    text = value.strip()
    for iso in (date.fromisoformat, datetime.fromisoformat):
        try:
            result = iso(text)
        except ValueError:
            continue
        return result.date() if isinstance(result, datetime) else result
    # Nobody writes year-day-month, so a leading year settles the order.
    orders = [(False, True)] if _YEAR_FIRST.match(text) else [(False, False), (True, False)]
    readings = set()
    try:
        for dayfirst, yearfirst in orders:
            for default in _PROBE_DEFAULTS:
                parsed = dateparser.parse(
                    text, default=default, dayfirst=dayfirst, yearfirst=yearfirst, ignoretz=True
                )
                readings.add(parsed.date())
    except (ValueError, OverflowError) as exc:
        raise ValueError(value) from exc
    if len(readings) != 1:
        raise ValueError(value)
    return readings.pop()


def _text_value(value: Any) -> str | None:
    """A metadata value as text; raise TypeError for lists, mappings and booleans."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, int | float | date):
        raise TypeError(type(value).__name__)
    return value.isoformat() if isinstance(value, date) else str(value)


def read_metadata(
    raw: Mapping[str, Any],
    name: str,
    line_of: Callable[[str], int | None],
    problems: list[Problem],
) -> dict[str, Any]:
    """The `Document` fields `raw` states (a bad date is stated as None), plus `metadata`."""
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    by_key = {key.lower(): key for key in raw}
    for target, keys in _FIELD_KEYS.items():
        for alias in keys:
            key = by_key.get(alias)
            if key is None:
                continue
            value = raw[key]
            if value is None or target in fields:
                if value is not None:
                    metadata[key] = value
                continue
            if target == "published":
                try:
                    fields[target] = parse_date(value)
                except ValueError:
                    message = f"date {str(value)!r} is not a date"
                    problems.append(Problem(name, message, line_of(key)))
                    fields[target] = None
                continue
            try:
                text = _text_value(value)
            except TypeError:
                kind = "a list" if isinstance(value, list) else f"a {type(value).__name__}"
                if isinstance(value, dict):
                    kind = "a mapping"
                message = f"{key!r} should be text, not {kind}; kept in metadata only"
                problems.append(Problem(name, message, line_of(key)))
                metadata[key] = value
                continue
            if text is not None:
                fields[target] = text
    for key, value in raw.items():
        if key.lower() not in _KEY_FIELD:
            metadata[key] = value
    fields["metadata"] = metadata
    return fields


def merge_fields(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers win field by field; metadata keys are merged the same way."""
    merged: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "metadata":
                metadata.update(value)
            else:
                merged[key] = value
    merged["metadata"] = metadata
    return merged


def inline_date(
    text: str, start: int, name: str, problems: list[Problem]
) -> tuple[dict[str, Any], int]:
    """A `date YYYY-MM-DD` prefix at the very start of the body: its field, new body start."""
    match = _INLINE_DATE.match(text, start)
    if match is None:
        return {}, start
    try:
        published: date | None = date.fromisoformat(match.group(1))
    except ValueError:
        line = text.count("\n", 0, match.start(1)) + 1
        problems.append(Problem(name, f"date {match.group(1)!r} is not a date", line))
        published = None
    return {"published": published}, match.end()


class _Refused(InputError):
    """Front matter past a bound (an alias, nesting too deep): its fields are not read."""


def load_yaml(text: str, name: str, first_line: int, aliases: bool = True) -> Any:
    """Parse YAML from a file, dates as text (`parse_date` reads them); errors become `Skip`.

    Without `aliases` (front matter: a few hundred bytes of them can stand for billions of
    values) an alias is refused, and a document past a bound raises `_Refused`.
    """
    try:
        data = yamlio.parse_yaml(text, name, first_line=first_line, error=InputError,
                                 dates_as_text=True, aliases=aliases,
                                 limit_error=None if aliases else _Refused)
    except _Refused:
        raise
    except InputError as exc:
        raise Skip(exc.message, exc.line) from None
    return scrub(data)  # a lone "\ud83d" escape is text no file can hold


# Characters YAML refuses anywhere (C0 but tab and line ends, DEL, C1 but NEL, surrogates,
# U+FFFE/U+FFFF): one in a title would otherwise skip the whole report.
_NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                       "\ufffe\uffff]")
_FIELD = re.compile(r"\s*(?:-\s+)?([^:#\s][^:#]*?)\s*:")


def _printable(block: str, name: str, problems: list[Problem] | None) -> str:
    """Front matter with each character YAML refuses replaced by a space, one problem per
    line naming its field; the report is read anyway."""
    if not _NOT_YAML.search(block):
        return block
    lines = block.split("\n")
    for number, line in enumerate(lines):
        bad = _NOT_YAML.search(line)
        if bad is None:
            continue
        lines[number] = _NOT_YAML.sub(" ", line)
        if problems is not None:
            field = _FIELD.match(lines[number])
            where = f"field '{field.group(1)}'" if field else "a value"
            problems.append(Problem(name, f"front matter {where} holds control character "
                                    f"U+{ord(bad.group()):04X}, read as a space", number + 2))
    return "\n".join(lines)


def front_matter(text: str, name: str, problems: list[Problem] | None = None
                 ) -> tuple[Mapping[str, Any] | None, int]:
    """The front matter mapping (None when there is none) and the offset just past it;
    characters YAML refuses are read as spaces, each line with one a problem in `problems`."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.rstrip() != "---":
        return None, 0
    start = pos = end + 1 if end >= 0 else len(text)
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl
        if text[pos:stop].rstrip() in ("---", "..."):
            try:
                data = load_yaml(_printable(text[start:pos], name, problems), name,
                                 first_line=2, aliases=False)
            except _Refused as refused:  # the body is still worth reading
                if problems is not None:
                    problems.append(Problem(name, f"front matter {refused.message}; its "
                                            "fields are not read", refused.line))
                data = {}
            if data is None:
                data = {}
            if not isinstance(data, Mapping):
                raise Skip("front matter is not a mapping of keys to values", 2)
            return data, stop if nl < 0 else nl + 1
        pos = stop + 1
    raise Skip("front matter has no closing '---' line", 1)
