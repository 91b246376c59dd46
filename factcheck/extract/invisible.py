"""Invisible characters: read a text without them, and give positions in the text as written.

Format characters (Unicode category Cf: zero-width space, joiner and non-joiner, LRM and RLM,
word joiner, a byte-order mark inside the text, soft hyphen, bidi controls) show as nothing,
yet split a figure or a trigger word for every pattern ("1\u200b2 killed", "arrest\u00aded").
Terminal escape sequences pasted in with the text (ANSI CSI such as "\x1b[31m", and OSC such
as a window title) are as invisible, and their parameters are no figure ("31" metres).
The claim reader reads the text without them, and `Visible` maps its offsets back, so that
`file:line:column`, the figure and the quote stay those of the original text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

import regex

from ..io.model import Document
from .model import Claim, position

_INVISIBLE = regex.compile(
    r"(?:\p{Cf}"
    # CSI: ESC [ (or C1 CSI), parameter and intermediate bytes, one final byte
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    # OSC (ESC ] or C1 OSC), up to BEL or ST (ESC \ or C1 ST); cut at a line end if unclosed
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    # any other two-character escape (ESC 7, ESC ( B)
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
    r")+")


class Visible:
    """A text without its invisible characters (`text`), with offset maps to the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        removed: list[int] = []
        for match in _INVISIBLE.finditer(original):
            removed.extend(range(match.start(), match.end()))
        self.removed = removed
        # for the j-th removed character, the offset in `text` of the character after it
        self._after = [at - j for j, at in enumerate(removed)]
        self.text = _INVISIBLE.sub("", original) if removed else original

    def __bool__(self) -> bool:
        """Whether the text held any invisible character."""
        return bool(self.removed)

    def start(self, offset: int) -> int:
        """The original offset of the character at `offset` of `text`."""
        return offset + bisect_right(self._after, offset)

    def end(self, offset: int) -> int:
        """The original offset just after the character before `offset` of `text` (an end
        never takes in the invisible characters that follow it)."""
        return 0 if offset <= 0 else self.start(offset - 1) + 1

    def visible(self, offset: int) -> int:
        """The offset in `text` of an original offset."""
        return offset - bisect_left(self.removed, offset)

    def document(self, document: Document) -> Document:
        """The document as the reader reads it: its text without invisible characters."""
        return replace(document, text=self.text, body_start=self.visible(document.body_start))

    def restore(self, claim: Claim) -> None:
        """Put a claim read from `text` back in the original: its span, position, figure,
        clause and quote."""
        text, original = self.text, self.original
        figure_was_span = text[claim.start:claim.end] == claim.figure
        quote_at = text.rfind(claim.quote, 0, claim.start + len(claim.quote)) \
            if claim.quote else -1
        start, end = self.start(claim.start), self.end(claim.end)
        if figure_was_span:
            claim.figure = original[start:end]
        if quote_at >= 0:
            claim.quote = original[self.start(quote_at):self.end(quote_at + len(claim.quote))]
        claim.clause = (self.start(claim.clause[0]), self.end(claim.clause[1]))
        claim.start, claim.end = start, end
        claim.line, claim.column = position(original, start)
