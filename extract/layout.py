"""Page geometry: words grouped into lines and cells, with the labels found on each line.

A line's text is rebuilt from its words left to right; a gap wider than CELL_GAP
characters becomes a cell break (CELL), a tiny gap between CJK words disappears.
Each character remembers the word it came from, so a value found in the text gets the
page box and the OCR confidence of its words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.lexicon import Hit, find_hits
from extract.types import Box, Page, Word
from extract.values import CELL, _is_cjk, _norm_token

CELL_GAP = 1.6  # gap (in character widths) that separates table cells / label and value
JOIN_GAP = 0.5  # gap below which neighbouring CJK words are one word split by OCR

# --------------------------------------------------------------------------- lines


@dataclass
class Line:
    page: Page
    index: int  # order on the page
    text: str  # normalized; cells separated by CELL
    owners: list[int]  # word index for each character of text, -1 for separators
    words: list[Word]
    hits: list[Hit] = field(default_factory=list)

    def cells(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for i, ch in enumerate(self.text + CELL):
            if ch == CELL:
                spans.append((start, i))
                start = i + 1
        return spans

    def cell_of(self, pos: int) -> int:
        return self.text.count(CELL, 0, pos)

    def box_conf(self, start: int, end: int) -> tuple[Box | None, float]:
        idx = {o for o in self.owners[start:end] if o >= 0}
        if not idx:
            return None, 1.0
        boxes = [self.words[i].box for i in idx]
        box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        return box, min(self.words[i].confidence for i in idx)


def _char_width(word: Word, text: str) -> float:
    return max(word.box[2] - word.box[0], 1e-6) / max(len(text), 1)


def _separator(prev: Word, prev_text: str, word: Word, text: str) -> str:
    gap = word.box[0] - prev.box[2]
    cw = (_char_width(prev, prev_text) + _char_width(word, text)) / 2
    if gap > CELL_GAP * cw:
        return CELL
    # OCR splits CJK runs into words: a tiny gap, or a lone character, is no real space
    lone = len(prev_text) == 1 or len(text) == 1
    if _is_cjk(prev_text[-1]) and _is_cjk(text[0]) and (gap < JOIN_GAP * cw or lone):
        return ""
    return " "


def _build_line(page: Page, index: int, words: list[Word]) -> Line:
    words = sorted(words, key=lambda w: w.box[0])
    chars: list[str] = []
    owners: list[int] = []
    prev: tuple[Word, str] | None = None
    for i, w in enumerate(words):
        text = _norm_token(w.text)
        if not text:
            continue
        if prev is not None:
            sep = _separator(prev[0], prev[1], w, text)
            chars.append(sep)
            owners.extend([-1] * len(sep))
        chars.append(text)
        owners.extend([i] * len(text))
        prev = (w, text)
    line = Line(page, index, "".join(chars), owners, words)
    line.hits = find_hits(line.text)
    return line


def page_lines(page: Page) -> list[Line]:
    by_line: dict[int, list[Word]] = {}
    for w in page.words:
        by_line.setdefault(w.line, []).append(w)
    return [_build_line(page, i, by_line[k]) for i, k in enumerate(sorted(by_line))]


def page_from_lines(lines: Sequence[str], *, number: int = 1, source: str = "text") -> Page:
    """A Page from plain text lines; boxes are in characters (column, line).

    Two or more spaces (or a tab) between words make a cell break, as a wide gap does.
    """
    words = []
    for i, line in enumerate(lines):
        for m in re.finditer(r"\S+", line.expandtabs(4)):
            words.append(Word(m.group(), (m.start(), i, m.end(), i + 1), 1.0, i))
    width = max((len(s) for s in lines), default=0)
    return Page(number=number, width=width, height=len(lines), dpi=72, source=source, words=words)
