"""Segmentation: a report's body in sentences and paragraphs, noise lines left out.

A report's body in sentences and paragraphs (blingfire), headlines apart and page furniture
(scope.yaml's `noise_lines`) left out.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import blingfire
import regex

from ..io.encodings import without_lone_surrogates
from ..yamlio import line_of
from .literals import Literals, fold, might_match, required_literals
from .model import Sentence
from .patterns import compile_pattern
from .scope import FLAGS


class Segmenter:
    """Splits a report's body into sentences, skipping the noise lines of scope.yaml."""

    def __init__(self, scope: Mapping[str, Any], path: str,
                 line_sentences: Sequence[regex.Pattern] = ()) -> None:
        noise = scope["noise_lines"]
        self.noise = [compile_pattern(p, path, line_of(noise, i), FLAGS, "noise_lines")
                      for i, p in enumerate(noise)]
        self._noise_literals = [required_literals(p) for p in self.noise]
        # lines that are sentences of their own: fact boxes ("People killed: 602")
        self.line_sentences = list(line_sentences)

    def sentences(self, text: str, start: int, folded: str | None = None) -> list[Sentence]:
        """Sentences of the body, with paragraph numbers; headlines and noise lines handled.
        `folded`: `fold(text)`, when the caller has it."""
        result: list[Sentence] = []
        # the noise patterns whose literals the report holds somewhere: the others cannot
        # match any of its lines
        folded = fold(text) if folded is None else folded
        noise = [(pattern, literals) for pattern, literals
                 in zip(self.noise, self._noise_literals, strict=True)
                 if might_match(literals, folded)]
        paragraph = 0
        block: list[tuple[int, int]] = []  # lines of the current paragraph

        def flush() -> None:
            nonlocal paragraph
            if not block:
                return
            first, last = block[0][0], block[-1][1]
            for a, b in _sentence_spans(text[first:last].replace("\n", " ")):
                result.append(Sentence(first + a, first + b, paragraph))
            block.clear()
            paragraph += 1

        position = start
        for line in text[start:].splitlines(keepends=True):
            line_start, line_end = position, position + len(line.rstrip("\r\n"))
            position += len(line)
            stripped = line.strip()
            if not stripped or (noise and _is_noise(stripped, noise)):
                flush()
                continue
            if stripped.startswith("#"):
                flush()
                offset = line_start + len(line) - len(line.lstrip(" \t#"))
                result.append(Sentence(offset, line_end, paragraph, headline=True))
                paragraph += 1
                continue
            if any(p.search(stripped) for p in self.line_sentences):
                flush()  # a paragraph of its own, whatever the lines around it
                block.append((line_start, line_end))
                flush()
                continue
            block.append((line_start, line_end))
        flush()
        return result


def _is_noise(line: str, patterns: list[tuple[regex.Pattern, Literals | None]]) -> bool:
    """Whether a line matches one of the noise patterns (each tried only if the folded line
    holds one of its literals)."""
    folded = fold(line)
    for pattern, literals in patterns:
        if might_match(literals, folded) and pattern.search(line):
            return True
    return False


def _sentence_spans(chunk: str) -> list[tuple[int, int]]:
    """Sentence offsets in a paragraph. blingfire's own offsets are computed in slow Python,
    so locate its sentences in the text instead; fall back to them if one cannot be found."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    # blingfire takes UTF-8; a lone surrogate (possible in text a library caller passes) has
    # none, so it stands in as U+FFFD, one character for one, and offsets stay the same.
    chunk = without_lone_surrogates(chunk)
    for sentence in _text_to_sentences(chunk).split("\n"):
        if not sentence.strip():
            continue
        index = chunk.find(sentence, cursor)
        if index < 0:
            return [tuple(o) for o in blingfire.text_to_sentences_and_offsets(chunk)[1]]
        spans.append((index, index + len(sentence)))
        cursor = index + len(sentence)
    return spans


_breaker = threading.local()  # each thread's output buffer (ctypes lets other threads run)


def _text_to_sentences(chunk: str) -> str:
    """`blingfire.text_to_sentences(chunk)`: the same library call with the same arguments and
    result, but into an output buffer kept between calls (the wrapper allocates and zeroes a
    new one of twice the input on every call, which took longer than the split itself)."""
    data = chunk.encode("utf-8")
    size = len(data) * 2
    buffer = getattr(_breaker, "buffer", None)
    if not data:
        return blingfire.text_to_sentences(chunk)
    if buffer is None or len(buffer) < size:
        buffer = _breaker.buffer = ctypes.create_string_buffer(max(size, 1 << 14))
    length = blingfire.blingfire.TextToSentences(
        ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(buffer), ctypes.c_int(size))
    if length == -1 or length > size:
        return ""
    # the wrapper reads its zeroed buffer up to the first NUL: the same bytes as these
    return ctypes.string_at(buffer, length).split(b"\0", 1)[0].decode("utf-8")
