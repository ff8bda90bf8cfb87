"""Text preparation shared by both search backends.

Chinese has no spaces between words, so besides the words a tokenizer finds we index
overlapping CJK bigrams ("上海贸易" -> "上海 海贸 贸易"); a query is turned into the same
bigrams and matched as a phrase, so any Chinese word of two or more characters is found.
"""

from __future__ import annotations

import html
import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN = re.compile(f"[{_CJK}]+|[^\\W_]+(?:[.,-][^\\W_]+)*", re.UNICODE)


def normalize(text: str) -> str:
    """Full-width to half-width and lower case, as for indexing."""
    return unicodedata.normalize("NFKC", text).lower()


def cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _parts(token: str) -> list[str]:
    """The words inside a word joined by dots or commas that has letters in it: OCR often
    loses the space after a dot or comma ("MR.D.I.Y.SDN", "MR，D.I.Y，SDN"), and a user types
    the words apart ("mr d.i.y"). Numbers ("1,234.56") stay whole, and so do hyphenated
    references ("INV-2024-001"): their first part would be in every line of a ledger."""
    if not _JOINER.search(token) or not _LETTER.search(token):
        return []
    return _JOINER.split(token)


_JOINER = re.compile(r"[.,]")
_LETTER = re.compile(r"[^\W\d_]")


def index_terms(text: str) -> str:
    """Text as space-separated terms: words as they are (and, after a joined word, its
    parts), CJK runs as bigrams."""
    out: list[str] = []
    for token in _TOKEN.findall(normalize(text)):
        # _TOKEN tries a CJK run first, so a token that starts with a CJK character is one
        # (a cheaper test than matching it again: this runs for every word of every page).
        if _is_cjk(token[0]):
            out.extend(cjk_bigrams(token))
        else:
            out.append(token)
            out.extend(_parts(token))
    return " ".join(out)


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _word(token: str) -> list[list[str]]:
    """A query word as the phrases of terms any one of which matches it. A joined word
    ("d.i.y") matches as itself or as its parts in a row: an index built before parts were
    indexed holds only the former."""
    if _CJK_RUN.fullmatch(token):
        return [cjk_bigrams(token)]
    parts = _parts(token)
    return [[token], parts] if parts else [[token]]


MAX_JOINED = 5  # readings with two words joined, beyond the query as typed


def query_readings(query: str) -> list[list[list[list[str]]]]:
    """The ways a query may stand in the index, any one of which matches; in a reading,
    every word must match (AND). The words as typed are the first reading, then the same
    with two neighbouring words run together.

    OCR of Latin text with the Chinese model often drops the space between two words
    ("UNIHAKKAINTERNATIONAL", "HENGSTATIONERY"); a user types them apart. Only words of
    letters are joined: a number run into a word is a different value, not a lost space."""
    tokens = _TOKEN.findall(normalize(query))
    words = [_word(t) for t in tokens]
    readings = [words] if words else []
    for i in range(len(tokens) - 1):
        if len(readings) > MAX_JOINED:
            break
        if _letters(tokens[i]) and _letters(tokens[i + 1]):
            readings.append([*words[:i], [[tokens[i] + tokens[i + 1]]], *words[i + 2 :]])
    return readings


def _letters(token: str) -> bool:
    return token.isalpha() and not _is_cjk(token[0])


def snippet(text: str, query: str, width: int = 120) -> str:
    """A window of `text` around the first match of `query`, matches in <mark>.

    The text is HTML-escaped first, so the snippet is safe to show as markup.
    """
    flat = " ".join(text.split())
    terms = [t for t in _TOKEN.findall(query) if t]
    norm = normalize(flat)
    pos = -1
    for t in terms:
        pos = norm.find(normalize(t))
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    window = flat[start : start + width]
    out = html.escape(window)
    for t in sorted({html.escape(t) for t in terms}, key=len, reverse=True):
        out = re.sub(re.escape(t), lambda m: f"<mark>{m.group(0)}</mark>", out, flags=re.I)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(flat) else ""
    return prefix + out + suffix
