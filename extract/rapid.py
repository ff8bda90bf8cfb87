"""RapidOCR: the second OCR engine, for pages Tesseract reads too poorly to find a field.

Like `extract.ocr` for Tesseract, every call of the engine, its arguments and its failure
modes live here. RapidOCR runs PaddleOCR's PP-OCR detection, orientation and recognition
models with onnxruntime; the `rapidocr-onnxruntime` wheel carries the models, so nothing
is downloaded at run time. It reads photos, JPEG artefacts and faxes better than Tesseract
(on real receipt scans it found the exact total where Tesseract missed a quarter of them)
but costs several times Tesseract's CPU per page, so the pipeline asks it only when the
first reading left a required field unfound or weak.

Public entry point: `read_page(image, page) -> list[Word]`, the page's words in the
coordinates of the Tesseract `page` (same turn, deskew and perspective, `Page.width` x
`Page.height`), so either engine's boxes can be drawn over the same page image.

The models are loaded once per process, on first use (about half a second), under a lock;
onnxruntime runs on one thread per page, like Tesseract: parallelism comes from workers.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import numpy as np
from PIL import Image

from extract import imageprep, ocr
from extract.types import ExtractError, Page, Word

NAME = "rapidocr"
# RapidOCR measures its text boxes in pixels of its input; pages larger than this on their
# longer side are shrunk by RapidOCR itself (its default), which keeps a 300 dpi A4 page's
# 10 pt text about 25 px high: enough for its recognizer, and detection stays fast.
MAX_SIDE = 2000
# Detected text whose recognition score is below this is dropped (RapidOCR's default).
MIN_SCORE = 0.5
# A Latin or digit character is about this share of a CJK character's width; used to share
# a detected line's width among its words.
NARROW = 0.55

_engine: Any = None
_lock = threading.Lock()


def engine() -> Any:
    """The process's RapidOCR instance, loaded on first use."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise ExtractError(
                    "the second OCR engine (RapidOCR) is not installed; install "
                    "rapidocr-onnxruntime or set STMT_OCR_FALLBACK=none"
                ) from exc
            try:
                _engine = RapidOCR(
                    intra_op_num_threads=1,
                    inter_op_num_threads=1,
                    max_side_len=MAX_SIDE,
                    text_score=MIN_SCORE,
                )
            except Exception as exc:  # onnxruntime refuses a damaged model, or the CPU
                raise ExtractError(f"the second OCR engine (RapidOCR) cannot start: {exc}") from exc
        return _engine


def loaded() -> bool:
    """Whether this process has loaded the models (clean scans never should)."""
    return _engine is not None


def read_page(image: Image.Image | np.ndarray, page: Page) -> list[Word]:
    """RapidOCR's words on `page` (a Tesseract reading of `image`), in that page's frame.
    The page holds one of the machine's OCR slots (extract.ocr.slot), as Tesseract's do."""
    with ocr.slot():
        return _read_page(image, page)


def _read_page(image: Image.Image | np.ndarray, page: Page) -> list[Word]:
    prep = imageprep.prepare(image, page.dpi)
    if prep.blank or prep.gray is None:
        return []
    # ocr_page may have turned the prepared page further (OSD, or the 180-degree re-read).
    extra = (page.rotation - prep.rotation) % 360
    gray = np.ascontiguousarray(np.rot90(prep.gray, -(extra // 90))) if extra else prep.gray
    return ocr.rebuild_lines(read_words(gray))


def read_words(gray: np.ndarray) -> list[Word]:
    """Run RapidOCR on a grey page; each detected text line split into words at spaces."""
    bgr = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
    try:
        result, _elapsed = engine()(bgr)
    except ExtractError:
        raise
    except Exception as exc:  # onnxruntime errors have no common base class
        raise ExtractError(f"the second OCR engine (RapidOCR) failed on the page: {exc}") from exc
    words: list[Word] = []
    for line, (quad, text, score) in enumerate(result or []):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        words += split_line(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score), line)
    return words


# RapidOCR's English lines often lose their spaces ("1,278.06was due"); a word glued to
# an amount's cents is split off, so the amount reads as one (codes have no cents).
_GLUED_AFTER_CENTS = re.compile(r"(?<=\d[.,]\d\d)(?=[A-Za-z]{2})")


def split_line(text: str, box: tuple[float, float, float, float], score: float, line: int):
    """Words of one detected line, each given its share of the line's width."""
    left, top, right, bottom = box
    tokens = _GLUED_AFTER_CENTS.sub(" ", text).split()
    widths = [sum(1.0 if ocr.is_cjk(c) else NARROW for c in t) for t in tokens]
    space = NARROW
    total = sum(widths) + space * (len(tokens) - 1)
    if not tokens or total <= 0:
        return []
    unit = (right - left) / total
    words, x = [], left
    for token, width in zip(tokens, widths, strict=True):
        end = x + width * unit
        words.append(Word(token, (round(x, 1), top, round(end, 1), bottom), score, line))
        x = end + space * unit
    return words
