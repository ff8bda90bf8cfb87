"""Tesseract: the one module that runs the external OCR program.

Like OCRmyPDF's `_exec/tesseract.py`, every call, its arguments and its failure modes live
here. Public entry point: `ocr_page(image, number, dpi) -> Page`, which prepares the image
(`extract.imageprep`), runs Tesseract once, and runs it a second time on the page turned
180 degrees only when the first reading looks like nonsense (low confidence). Pages whose
orientation the image preparation could not settle (photos, heavy borders) also get
Tesseract's orientation detection (`detect_turn`), whose proposed turn is kept only when a
reading of the page so turned beats the first one. A first reading whose words are mostly
taller than wide was of lines running down the page (Tesseract reads them as vertical
text): the page is turned a quarter and read again (`read_down`).

Lines are rebuilt from the word boxes (`rebuild_lines`): words that share a row of the
page share `Word.line`, whichever layout blocks Tesseract put them in, so a label and its
value far to the right are one line; lines are numbered top to bottom.

Word boxes are in pixels of the *upright* page at the given dpi: the input turned by
`Page.rotation` and deskewed by `Page.skew`, exactly as `imageprep.upright_image(image,
page.rotation, page.skew)` returns it; `Page.width`/`height` are that image's size. Store
that image to draw field boxes over it.

At most SLOTS pages are being read by OCR on the machine at once (`slot`), whichever
process reads them: a slot is held from the image preparation to the last Tesseract run of
a page, so a page waiting for a core holds only its rendering, not the images derived from
it and not a Tesseract process.

Settings come in as keyword arguments (the caller has them from STMT_OCR_LANG and
STMT_OCR_TIMEOUT; defaults LANG and TIMEOUT below). One environment variable is set here:
  OMP_THREAD_LIMIT  set to 1 unless already set. Tesseract's OpenMP threads only slow a
                    machine that already OCRs one page per worker process (measured by
                    OCRmyPDF and by us); parallelism comes from the workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytesseract
from PIL import Image

from extract import imageprep
from extract.types import ExtractError, Page, Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the tesseract subprocess

LANG = "chi_sim+eng"  # Tesseract languages
TIMEOUT = 120.0  # seconds per Tesseract run
# psm 3 (automatic layout) read statement pages as well as 6 (one uniform block) and
# was a little faster; 4 (one column) garbled table headers (bench/ocr_prep.py).
PSM = 3
# A first reading whose character-weighted mean confidence is below this is re-read
# turned 180 degrees. Upright statement pages measured 0.80-0.81, upside-down ones 0.27-0.36.
DOUBTFUL = 0.6
# Words of three or more characters a reading needs before their shape says whether its
# lines ran across or down the page.
MIN_DIRECTION_WORDS = 5
# Tesseract's OSD orientation confidence below which its proposed turn is not tried.
OSD_CONFIDENT = 1.0
# Adjacent CJK words on one line are merged when the gap is below this many line heights.
# Tesseract's CJK boxes hug the ink, so narrow glyphs (名, colons) leave gaps of up to ~0.8
# of the line height between characters of one word; table columns are several apart.
CJK_GAP = 1.0
DATE_UNITS = frozenset("年月日号")  # "2026 年 11 月" -> "2026年11月": joined to digits
# Tesseract lines that overlap vertically by this share of the smaller height are one row.
ROW_OVERLAP = 0.5
ROW_LOOKBACK = 8  # rows above that a line may still join (lines are taken top to bottom)
# Pieces of one number cut apart by layout analysis sit closer than this many line heights;
# a real space between a number and the next is wider.
SPLIT_NUMBER_GAP = 0.2
# Pages read by OCR at once on this machine, whichever process reads them: one per core. A
# worker reads one document per core and each document one page per core, so without a
# bound cores x cores pages (each with its prepared images, ~50 MiB at 300 dpi, and its
# Tesseract run, ~115 MiB, one thread) would share the cores: more memory for no more
# speed. A lone document on an idle machine still gets every core.
SLOTS = os.cpu_count() or 1
SLOT_POLL = 0.02  # seconds between looks for a free slot


def ocr_page(
    image: Image.Image | np.ndarray,
    number: int,
    dpi: int,
    *,
    lang: str | None = None,
    timeout: float | None = None,
) -> Page:
    """OCR one page image; see the module docstring for the coordinates of the boxes."""
    with slot():
        return _ocr_page(image, number, dpi, lang=lang, timeout=timeout)


def _ocr_page(
    image: Image.Image | np.ndarray,
    number: int,
    dpi: int,
    *,
    lang: str | None,
    timeout: float | None,
) -> Page:
    prep = imageprep.prepare(image, dpi)
    page = Page(
        number,
        prep.width,
        prep.height,
        dpi,
        "ocr",
        rotation=prep.rotation,
        skew=prep.skew,
        photo=prep.photo,
        scan_dpi=imageprep.scan_dpi(image),
    )
    if prep.blank:
        return page
    ocr_dpi = round(dpi * prep.scale)
    image = prep.image
    words = read_words(image, ocr_dpi, lang=lang, timeout=timeout)

    def turned(turn: int, better: Callable[[list[Word]], bool]) -> None:
        """Read the page turned clockwise by `turn`; keep that reading if `better` says so."""
        nonlocal words, image
        other_image = _turn(image, turn)
        other = read_words(other_image, ocr_dpi, lang=lang, timeout=timeout)
        if better(other):
            words, image, page.rotation = other, other_image, (page.rotation + turn) % 360
            if turn % 180:
                page.width, page.height = page.height, page.width

    if read_down(words):
        # Tesseract reads lines that run down the page as vertical text, as confidently as
        # lines across, so only the shape of its words tells that the quarter turn was
        # wrong (a receipt's fixed-pitch characters make columns as sharp as lines).
        turned(270 if page.rotation % 180 else 90, lambda other: not read_down(other))
    if not prep.clear:
        # Photos and pages whose profiles did not settle 0 or 90 degrees (a border, a grey
        # surround, a dense table): Tesseract's OSD proposes a turn, and a reading of the
        # page so turned must beat the first one, so a portrait page is never laid on its
        # side on OSD's word alone (it guesses on pages with few lines of text).
        turn = detect_turn(image, ocr_dpi, timeout=timeout)
        if turn:
            turned(turn, lambda other: quality(other) > quality(words))
    if quality(words) < DOUBTFUL:
        turned(180, lambda other: quality(other) > quality(words))
    page.words = [_unscale(w, prep.scale) for w in words]
    return page


def read_down(words: list[Word]) -> bool:
    """Whether most words of three or more characters are taller than wide: Tesseract
    read the page's lines as vertical text, so the page lies on its side."""
    long = [w for w in words if len(w.text) >= 3]
    tall = sum(1 for w in long if w.box[3] - w.box[1] > w.box[2] - w.box[0])
    return len(long) >= MIN_DIRECTION_WORDS and tall > len(long) / 2


def _turn(image: np.ndarray, clockwise: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, -(clockwise // 90)))


@functools.cache
def _slot_folder(temp: str) -> Path:
    """The machine's slot files for this user, made once per process and temp folder."""
    folder = Path(temp) / f"stmt-ocr-slots-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


_held = threading.local()  # how deep this thread is in slot(): a page's runs share its slot


@contextlib.contextmanager
def slot() -> Iterator[None]:
    """Hold one of the machine's SLOTS while a page is read (or, called on its own, while
    one Tesseract run lasts). A slot is a locked file, so the kernel frees it when its
    holder dies, even by SIGKILL: no slot is lost to a worker killed mid-page. Every opened
    file is its own lock, so threads of one process exclude each other as processes do; a
    thread that holds a slot already (a page's second Tesseract run) keeps using it."""
    depth = getattr(_held, "depth", 0)
    _held.depth = depth + 1
    try:
        if depth:
            yield
        else:
            with _free_slot():
                yield
    finally:
        _held.depth = depth


@contextlib.contextmanager
def _free_slot() -> Iterator[None]:
    folder = _slot_folder(tempfile.gettempdir())
    while True:
        for i in range(SLOTS):
            fd = os.open(folder / f"{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield
            finally:
                os.close(fd)  # closing the file releases its lock
            return
        time.sleep(SLOT_POLL)


def _page_file(folder: str, image: np.ndarray) -> str:
    """The page written as a PNG in `folder` for Tesseract to read.

    A binarized page (only black and white, as imageprep makes it) is written with one bit
    per pixel. Tesseract then keeps no 8-bit copy of it: a 300 dpi page costs its run ~22 MiB
    less (112 against 90 MiB with chi_sim+eng), and the words it reads are the same. A
    binarized A4 page compresses to ~100 kB in ~25 ms."""
    path = str(Path(folder) / "page.png")
    bilevel = image.ndim == 2 and cv2.countNonZero(cv2.inRange(image, 1, 254)) == 0
    if not cv2.imwrite(path, image, [cv2.IMWRITE_PNG_BILEVEL, int(bilevel)]):
        raise ExtractError("could not write the page image for OCR")
    return path


def detect_turn(image: np.ndarray, dpi: int, *, timeout: float | None = None) -> int:
    """Tesseract's orientation detection (`--psm 0`): the clockwise turn (0/90/180/270)
    that makes the page upright, or 0 when it finds too little text to say."""
    with tempfile.TemporaryDirectory(prefix="stmt-osd-") as tmp:
        path = _page_file(tmp, image)
        try:
            with slot():
                osd = pytesseract.image_to_osd(
                    path,
                    config=f"--psm 0 --dpi {dpi}",
                    timeout=timeout or TIMEOUT,
                    output_type=pytesseract.Output.DICT,
                )
        except pytesseract.TesseractError:  # "Too few characters", no osd data: no opinion
            return 0
        except RuntimeError as exc:  # pytesseract's timeout
            if "timeout" not in str(exc).lower():
                raise
            return 0
    if float(osd.get("orientation_conf", 0)) < OSD_CONFIDENT:
        return 0
    return int(osd.get("rotate", 0)) % 360


def quality(words: list[Word]) -> float:
    """Mean confidence weighted by characters; 0 for no words."""
    chars = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / chars if chars else 0.0


def read_words(
    image: np.ndarray,
    dpi: int,
    *,
    lang: str | None = None,
    psm: int = PSM,
    timeout: float | None = None,
) -> list[Word]:
    """Run Tesseract on a prepared image; words with boxes in its pixels, CJK merged."""
    data = run_tesseract(image, dpi, lang=lang or LANG, psm=psm, timeout=timeout or TIMEOUT)
    return merge_cjk(rebuild_lines(words_from_data(data)))


def run_tesseract(
    image: np.ndarray, dpi: int, *, lang: str, psm: int, timeout: float
) -> dict[str, list]:
    """`tesseract <png> - --psm N --dpi D -l LANG tsv` as a dict of columns."""
    with tempfile.TemporaryDirectory(prefix="stmt-ocr-") as tmp:
        path = _page_file(tmp, image)
        try:
            with slot():
                return pytesseract.image_to_data(
                    path,
                    lang=lang,
                    config=f"--psm {psm} --dpi {dpi}",
                    timeout=timeout,
                    output_type=pytesseract.Output.DICT,
                )
        except pytesseract.TesseractNotFoundError as exc:
            raise ExtractError(
                "Tesseract is not installed or not on PATH; install tesseract-ocr with the "
                "chi-sim and eng language data (Debian: apt-get install tesseract-ocr "
                "tesseract-ocr-chi-sim)"
            ) from exc
        except pytesseract.TesseractError as exc:
            raise ExtractError(_explain(exc, lang)) from exc
        except RuntimeError as exc:  # pytesseract's timeout_manager kills and raises this
            if "timeout" not in str(exc).lower():
                raise
            raise ExtractError(
                f"OCR stopped after {timeout:g} s on one page (limit STMT_OCR_TIMEOUT); "
                "the scan may be very noisy or not a document"
            ) from exc


def _explain(exc: pytesseract.TesseractError, lang: str) -> str:
    message = str(exc.message or exc).strip()
    if "Failed loading language" in message or "Error opening data file" in message:
        return (
            f"Tesseract language data for {lang!r} is missing; install it "
            "(Debian: tesseract-ocr-chi-sim, tesseract-ocr-eng) or set STMT_OCR_LANG"
        )
    return f"Tesseract failed (exit {exc.status}): {message[-300:]}"


def words_from_data(data: dict[str, list]) -> list[Word]:
    """Words from Tesseract's TSV columns: drop empty text and conf -1 (layout rows).

    Lines are numbered 0, 1, ... in Tesseract's reading order; (block, par, line) triples
    are only unique together, so they are renumbered.
    """
    words: list[Word] = []
    line_numbers: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data.get("text", [])):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = line_numbers.setdefault(key, len(line_numbers))
        left, top = float(data["left"][i]), float(data["top"][i])
        box = (left, top, left + float(data["width"][i]), top + float(data["height"][i]))
        words.append(Word(text, box, min(conf, 100.0) / 100.0, line))
    return words


def rebuild_lines(words: list[Word]) -> list[Word]:
    """Renumber lines by geometry: Tesseract's lines that share a row of the page are one line.

    Tesseract's layout analysis puts a label column and a value column far to its right
    (期初余额 ........ ¥419,397.65) in different blocks, and may even cut an amount in
    two ("¥419,397." | "65"). Its lines are kept whole, sorted top to bottom, and joined
    to the row they overlap vertically by at least ROW_OVERLAP of the smaller height when
    they do not overlap it horizontally. Lines are numbered top to bottom; the pieces of a
    number cut across blocks are joined again.
    """
    segments: dict[int, list[Word]] = {}
    for word in words:
        segments.setdefault(word.line, []).append(word)
    rows: list[_Row] = []
    for seg in sorted((_Segment(ws) for ws in segments.values()), key=lambda s: s.top):
        best, overlap = None, 0.0
        for row in rows[-ROW_LOOKBACK:]:
            o = row.overlap(seg)
            if o > overlap and not row.collides(seg):
                best, overlap = row, o
        if best is None:
            rows.append(_Row([seg]))
        else:
            best.segments.append(seg)
    rows.sort(key=lambda r: r.top)
    out: list[Word] = []
    for number, row in enumerate(rows):
        out += _join_split_numbers(row.words(number))
    return out


class _Segment:
    """One Tesseract line: its words and the band of rows it covers (medians, so that a
    tall bracket or a low comma does not stretch it)."""

    def __init__(self, words: list[Word]) -> None:
        self.words = sorted(words, key=lambda w: w.box[0])
        self.top = float(np.median([w.box[1] for w in words]))
        self.bottom = float(np.median([w.box[3] for w in words]))
        self.left = min(w.box[0] for w in words)
        self.right = max(w.box[2] for w in words)


class _Row:
    def __init__(self, segments: list[_Segment]) -> None:
        self.segments = segments

    @property
    def top(self) -> float:
        return float(np.median([s.top for s in self.segments]))

    @property
    def bottom(self) -> float:
        return float(np.median([s.bottom for s in self.segments]))

    def overlap(self, seg: _Segment) -> float:
        """Vertical overlap as a share of the smaller height; 0 below ROW_OVERLAP."""
        top, bottom = self.top, self.bottom
        shared = min(bottom, seg.bottom) - max(top, seg.top)
        share = shared / max(min(bottom - top, seg.bottom - seg.top), 1.0)
        return share if share >= ROW_OVERLAP else 0.0

    def collides(self, seg: _Segment) -> bool:
        return any(s.left < seg.right and seg.left < s.right for s in self.segments)

    def words(self, number: int) -> list[Word]:
        words = sorted((w for s in self.segments for w in s.words), key=lambda w: w.box[0])
        return [Word(w.text, w.box, w.confidence, number) for w in words]


_NUMBER_END = re.compile(r"\d[.,]?$")
_NUMBER_START = re.compile(r"^[.,]?\d")


def _join_split_numbers(words: list[Word]) -> list[Word]:
    """Join a number cut in two across blocks ("¥419,397." + "65") when the gap is far
    narrower than a space."""
    out: list[Word] = []
    for word in words:
        prev = out[-1] if out else None
        if prev is not None and _split_number(prev, word):
            out[-1] = _join(prev, word)
        else:
            out.append(word)
    return out


def _split_number(left: Word, right: Word) -> bool:
    if not (_NUMBER_END.search(left.text) and _NUMBER_START.match(right.text)):
        return False
    if left.text[-1].isdigit() and right.text[0].isdigit():
        return False  # "1209 0877": digit groups with a gap are separate on purpose
    height = min(left.box[3] - left.box[1], right.box[3] - right.box[1])
    return right.box[0] - left.box[2] < SPLIT_NUMBER_GAP * height


def is_cjk(char: str) -> bool:
    """Han characters, kana/hangul, and CJK or full-width punctuation (：，。（）￥)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols & punctuation, kana, unified Han
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # extension B and later
    )


def merge_cjk(words: list[Word]) -> list[Word]:
    """Join the per-character words Tesseract gives for Chinese into words of a line.

    "客 户 名 称 ： 上 海" -> "客户名称：上海". Two neighbours are joined when the join is
    CJK-to-CJK (or CJK next to lone punctuation) and the gap is small against the line
    height, and digits with 年/月/日 of a date. The merged word's
    box is the union and its confidence the minimum: it is only as sure as its weakest
    character.
    """
    by_line: dict[int, list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    merged: list[Word] = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.box[0])
        height = float(np.median([w.box[3] - w.box[1] for w in line_words]))
        current = line_words[0]
        for word in line_words[1:]:
            if _joins(current, word, height):
                current = _join(current, word)
            else:
                merged.append(current)
                current = word
        merged.append(current)
    return merged


def _joins(left: Word, right: Word, height: float) -> bool:
    gap = right.box[0] - left.box[2]
    a, b = left.text[-1], right.text[0]
    if gap > CJK_GAP * height:
        return False
    if (a.isdigit() and b in DATE_UNITS) or (a in DATE_UNITS and b.isdigit()):
        return True
    # Punctuation counts as CJK when it sits alone or next to CJK: "名称" ":" "上海".
    left_cjk = is_cjk(a) or (_is_punct(a) and (len(left.text) == 1 or is_cjk(left.text[-2])))
    right_cjk = is_cjk(b) or (_is_punct(b) and (len(right.text) == 1 or is_cjk(right.text[1])))
    # CJK next to Latin or digits stays apart: Tesseract's CJK boxes often cover the
    # following space, so the gap cannot tell "对账单 Statement" from "单号ST".
    return (is_cjk(a) or is_cjk(b)) and left_cjk and right_cjk


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] == "P"


def _join(left: Word, right: Word) -> Word:
    box = (
        min(left.box[0], right.box[0]),
        min(left.box[1], right.box[1]),
        max(left.box[2], right.box[2]),
        max(left.box[3], right.box[3]),
    )
    return Word(left.text + right.text, box, min(left.confidence, right.confidence), left.line)


def _unscale(word: Word, scale: float) -> Word:
    if scale == 1.0:
        return word
    box = tuple(round(v / scale, 1) for v in word.box)
    return Word(word.text, box, word.confidence, word.line)  # type: ignore[arg-type]
