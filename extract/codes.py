"""Read QR codes and barcodes from one page image with zxing-cpp and zbar (pyzbar).

zbar misses skewed, low-contrast and partly covered codes (the reason Paperless-ngx moved to
zxing-cpp); zxing-cpp misses some blurred Code 128 that zbar reads. So both read the page as
scanned (see ORDERS), places where zxing saw a code but could not decode it are retried
enlarged and re-binarized, and a page where nothing was found is retried whole (ENHANCEMENTS).
Most pages carry no code at all, so the retries are what a codeless page costs: keep them few.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import zxingcpp
from PIL import Image
from pyzbar import pyzbar
from pyzbar.wrapper import ZBarConfig, ZBarSymbol, zbar_image_scanner_set_config

from extract.types import Box, Code

# Reader names in the order they are tried. bench/codes.py measures the orders against each other.
ORDERS: dict[str, tuple[str, ...]] = {
    "zxing-first": ("zxing", "zbar"),
    "zbar-first": ("zbar", "zxing"),
    "zxing-only": ("zxing",),
    "zbar-only": ("zbar",),
}
# bench/codes.py: all orders with zxing read our QR equally (100% but for covered codes);
# zbar-first also reads the most blurred Code 128 (81% vs 50% zxing-only) at ~4x the CPU time
# of zxing-only (~0.5 s vs 0.12 s per A4 page), small next to OCR. "zxing-only" is the cheap
# choice when only our QR matters.
DEFAULT_ORDER = "zbar-first"
# Ingest's first look at every page: zxing alone, no whole-page retries. It reads our QR as
# well as the thorough search does at a quarter of its CPU time; the thorough search (both
# readers, enhanced images) follows for documents that would otherwise wait for review.
QUICK_ORDER = "zxing-only"
# Whole-page retries when nothing was found, in order (cheap and most helpful first):
# "downscale" (half size: big noisy scans, and photos whose modules are blurred over several
# pixels), "binarize" (adaptive threshold, ~1 page read), "fine" (a tight adaptive threshold
# that splits modules blur has run together), "invert" (light modules on a dark ground),
# "upscale" (2x and sharpened: small codes zxing does not even detect; on small images only,
# where it is cheap). Small codes that zxing sees but cannot decode are retried in crops
# instead, see _read_regions. bench/qrphotos.py counts what each retry rescues.
ENHANCEMENTS: tuple[str, ...] = ("downscale", "binarize", "fine", "invert", "upscale")
# Retries after "binarize" go to zxing alone: zbar reads none of their rescues and costs 3-5
# times zxing on a codeless page, which is what every retry mostly meets.
_ZXING_ONLY_ENHANCEMENTS = {"invert", "fine", "upscale"}
SMALL_IMAGE_PX = 1200  # images up to this long side (photos of a code, crops) are also resized
MIN_CODE_PX = 40  # a code zxing saw but could not read is retried only from this size (px)
MAX_RETRIES = 6  # ... and on at most this many places per page

# zxing-cpp format names (BarcodeFormat.name) -> our names (zbar's where zbar has the format).
_ZXING_TYPES = {
    "QRCode": "QRCODE",
    "QRCodeModel1": "QRCODE",
    "QRCodeModel2": "QRCODE",
    "MicroQRCode": "MICROQR",
    "RMQRCode": "RMQR",
    "Code128": "CODE128",
    "Code39": "CODE39",
    "Code39Std": "CODE39",
    "Code39Ext": "CODE39",
    "Code93": "CODE93",
    "EAN13": "EAN13",
    "ISBN": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "ITF",
    "ITF14": "ITF",
    "Codabar": "CODABAR",
    "DataBar": "DATABAR",
    "DataBarOmni": "DATABAR",
    "DataBarStk": "DATABAR",
    "DataBarStkOmni": "DATABAR",
    "DataBarExp": "DATABAR_EXP",
    "DataBarExpStk": "DATABAR_EXP",
    "DataBarLtd": "DATABAR_LTD",
    "PDF417": "PDF417",
    "CompactPDF417": "PDF417",
    "MicroPDF417": "PDF417",
    "DataMatrix": "DATAMATRIX",
    "Aztec": "AZTEC",
    "AztecCode": "AZTEC",
    "AztecRune": "AZTEC",
    "MaxiCode": "MAXICODE",
}
_ZBAR_TYPES = {"I25": "ITF", "ISBN13": "EAN13"}

# Formats a statement may carry. Exotic ones (DataBar, DX film edge, Telepen, ...) are left out:
# they add time and false positives on dense text.
_ZXING_FORMATS = zxingcpp.barcode_formats_from_str(
    "QRCode,MicroQRCode,Code128,Code39,Code93,EAN13,EAN8,UPCA,UPCE,ITF,Codabar,"
    "PDF417,DataMatrix,Aztec"
)
_ZBAR_SYMBOLS = (
    ZBarSymbol.QRCODE, ZBarSymbol.CODE128, ZBarSymbol.CODE39, ZBarSymbol.CODE93,
    ZBarSymbol.EAN13, ZBarSymbol.EAN8, ZBarSymbol.UPCA, ZBarSymbol.UPCE, ZBarSymbol.I25,
    ZBarSymbol.CODABAR,
)  # fmt: skip
_ZBAR_CFG_BINARY = 4  # zbar >= 0.23.90: return QR bytes as encoded, no charset guessing

# type, data, box in the coordinates of the image read, and the reader's name
_Hit = tuple[str, str, Box, str]


@dataclass(frozen=True)
class _View:
    """A copy of the page prepared for reading, and how its pixels map back to the page."""

    image: np.ndarray  # 2-D uint8
    scale: float = 1.0  # view pixels per page pixel
    left: int = 0  # page position of the view's (0, 0)
    top: int = 0

    def to_page(self, box: Box) -> Box:
        x0, y0, x1, y1 = (v / self.scale for v in box)
        return (x0 + self.left, y0 + self.top, x1 + self.left, y1 + self.top)


def read_codes(
    image: Image.Image | np.ndarray, page: int, order: str | None = None, *, thorough: bool = True
) -> list[Code]:
    """Every QR code and barcode on one page image, each type+data once, boxes in page pixels.

    `order` names an entry of ORDERS (default DEFAULT_ORDER): the reader tried first on the page.
    Only a `thorough` search retries a page where nothing was found with enhanced images.
    """
    names = ORDERS[order or DEFAULT_ORDER]
    gray = _gray(image)
    hits, seen = _read_page(_View(gray), names)
    unread = _unread(seen, hits)
    if unread:
        hits += _read_regions(gray, unread, names)
    if not hits and thorough:
        hits = _read_enhanced(gray, names)
    return _dedupe(hits, page)


def _read_page(view: _View, names: tuple[str, ...]) -> tuple[list[_Hit], list[Box]]:
    """Readers on the page as scanned: hits, and boxes where a code was seen but not decoded.

    Once a reader has found something, a slow reader still runs only when a code was seen and
    left unread: a page may carry several codes of which one reader reads only some (zbar the
    blurred Code 128, zxing the skewed QR), but zbar costs 3-5 times zxing on a text page.
    """
    hits: list[_Hit] = []
    seen: list[Box] = []
    for name in names:
        if hits and name not in _CHEAP and not _unread(seen, hits):
            continue
        found, missed = _read(name, view)
        hits += found
        seen += missed
    return hits, seen


def _read_regions(gray: np.ndarray, boxes: list[Box], names: tuple[str, ...]) -> list[_Hit]:
    """Retry each place where a code was seen but not decoded, enlarged and re-binarized.

    Crops are small, so this costs a few ms where a whole-page retry costs a second.
    """
    hits: list[_Hit] = []
    for box in boxes:
        for view in _region_views(gray, box):
            found = [hit for name in names for hit in _read(name, view)[0]]
            if found:
                hits += found
                break
    return hits


def _region_views(gray: np.ndarray, box: Box) -> Iterator[_View]:
    left, top, right, bottom = box
    margin = 0.5 * max(right - left, bottom - top) + 10  # quiet zone and a misjudged extent
    x0, y0 = max(0, int(left - margin)), max(0, int(top - margin))
    x1, y1 = min(gray.shape[1], int(right + margin)), min(gray.shape[0], int(bottom + margin))
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return
    for scale in (2.0, 3.0):
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        yield _View(big, scale, x0, y0)
        _, otsu = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        yield _View(otsu, scale, x0, y0)


def _read_enhanced(gray: np.ndarray, names: tuple[str, ...]) -> list[_Hit]:
    """Hits from the first enhanced copy of the page in which any reader finds a code.

    A place where a code was seen but not decoded is retried in crops once, not again for
    every enhanced copy that sees it: on an unreadable photo that alone cost a second.
    """
    retried: list[Box] = []
    for enhancement, view in _enhanced_views(gray):
        readers = names
        if enhancement in _ZXING_ONLY_ENHANCEMENTS:
            readers = tuple(n for n in names if n in _CHEAP) or names
        for name in readers:
            found, missed = _read(name, view)
            fresh = [b for b in missed if not any(_overlap(b, r) > 0.5 for r in retried)]
            if fresh and not found:
                retried += fresh
                found = _read_regions(gray, fresh, names)
            if found:
                return found
    return []


def _enhanced_views(gray: np.ndarray) -> Iterator[tuple[str, _View]]:
    """Copies of the page that rescue codes the scan itself hides, in ENHANCEMENTS order.

    On big pages (A4 at 200 dpi and more) "invert" and "fine" work on the half-size copy: a
    quarter of the cost on the codeless pages they mostly meet, and a code that fills a
    statement's corner still has 3 px and more per module there.
    """
    small = max(gray.shape) <= SMALL_IMAGE_PX
    big = min(gray.shape) > 1500
    half = None
    if big or small:
        half = _View(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 0.5)
    base = half if half is not None and big else _View(gray)  # what invert and fine work on
    for name in ENHANCEMENTS:
        if name == "downscale" and half is not None:
            yield name, half
        elif name == "binarize":
            yield name, _View(_binarize(gray))
        elif name == "invert":
            yield name, _View(cv2.bitwise_not(base.image), base.scale)
        elif name == "fine":
            yield name, _View(_binarize(base.image, block=15, offset=3), base.scale)
        elif name == "upscale" and small:
            double = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
            yield name, _View(_sharpen(double), 2.0)


def _read(name: str, view: _View) -> tuple[list[_Hit], list[Box]]:
    found, missed = _READERS[name](view.image)
    return (
        [(kind, data, view.to_page(box), name) for kind, data, box, _ in found],
        [view.to_page(box) for box in missed],
    )


def _unread(seen: list[Box], hits: list[_Hit]) -> list[Box]:
    """The boxes in `seen` that no hit covers, largest first, at most MAX_RETRIES.

    zxing reports dozens of specks on grainy low-contrast scans; anything under MIN_CODE_PX is
    noise (a 1 cm code at 150 dpi is 59 px).
    """
    boxes = [
        box
        for box in seen
        if max(box[2] - box[0], box[3] - box[1]) >= MIN_CODE_PX
        and not any(_overlap(box, hit[2]) > 0.3 for hit in hits)
    ]
    boxes.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    return boxes[:MAX_RETRIES]


# --- readers -------------------------------------------------------------------------------


def _read_zxing(gray: np.ndarray) -> tuple[list[_Hit], list[Box]]:
    # try_downscale off: it doubles the time and produced Code 128 misreads (valid checksum,
    # wrong code set) on 2x pages; the enhanced passes downscale themselves.
    found = zxingcpp.read_barcodes(
        gray,
        formats=_ZXING_FORMATS,
        try_rotate=True,
        try_downscale=False,
        try_invert=False,
        text_mode=zxingcpp.TextMode.Plain,  # control characters as they are, not as "<SOH>"
        return_errors=True,
    )
    hits, missed = [], []
    for code in found:
        pos = code.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        box = _box([p.x for p in corners], [p.y for p in corners])
        if not code.valid:
            missed.append(box)
            continue
        kind = _ZXING_TYPES.get(code.format.name, code.format.name.upper())
        # zxing's own text guesses a charset when the bytes are not UTF-8; keep it as fallback.
        hits.append((kind, _text(code.bytes, fallback=code.text), box, "zxing"))
    return hits, missed


def _read_zbar(gray: np.ndarray) -> tuple[list[_Hit], list[Box]]:
    symbols, binary = _zbar_scan(gray)
    hits = []
    for symbol in symbols:
        if symbol.type != "QRCODE" and symbol.quality < 2:
            continue  # read on one scan line only: blurred Code 128 misreads pass the checksum
        kind = _ZBAR_TYPES.get(symbol.type, symbol.type)
        data = _text(symbol.data, japanese=True) if binary else _unmangle(_text(symbol.data))
        xs, ys = [p.x for p in symbol.polygon], [p.y for p in symbol.polygon]
        hits.append((kind, data, _box(xs, ys, pad=1), "zbar"))
    return hits, []


def _zbar_scan(gray: np.ndarray) -> tuple[list[Any], bool]:
    """pyzbar.decode, but with QR binary mode on so zbar does not re-encode the bytes.

    Without it zbar guesses Shift-JIS for short UTF-8 Chinese text and returns mojibake.
    Returns the decoded symbols and whether binary mode took (libzbar >= 0.23.90).
    """
    height, width = gray.shape
    pixels = np.ascontiguousarray(gray).tobytes()
    with pyzbar._image_scanner() as scanner:
        zbar_image_scanner_set_config(scanner, ZBarSymbol.NONE, ZBarConfig.CFG_ENABLE, 0)
        for symbol in _ZBAR_SYMBOLS:
            zbar_image_scanner_set_config(scanner, symbol, ZBarConfig.CFG_ENABLE, 1)
        binary = zbar_image_scanner_set_config(scanner, ZBarSymbol.QRCODE, _ZBAR_CFG_BINARY, 1) == 0
        with pyzbar._image() as img:
            pyzbar.zbar_image_set_format(img, pyzbar._FOURCC["L800"])
            pyzbar.zbar_image_set_size(img, width, height)
            pyzbar.zbar_image_set_data(img, pyzbar.cast(pixels, pyzbar.c_void_p), len(pixels), None)
            if pyzbar.zbar_scan_image(scanner, img) < 0:
                return [], binary
            return list(pyzbar._decode_symbols(pyzbar._symbols_for_image(img))), binary


_Reader = Callable[[np.ndarray], tuple[list[_Hit], list[Box]]]
_READERS: dict[str, _Reader] = {"zxing": _read_zxing, "zbar": _read_zbar}
_CHEAP = {"zxing"}  # readers worth running on a page where another already found a code


# --- helpers -------------------------------------------------------------------------------


def _text(raw: bytes, fallback: str | None = None, japanese: bool = False) -> str:
    """Bytes as UTF-8; else the reader's own reading, GB18030 (Chinese senders), Latin-1.

    With `japanese`, Shift_JIS text with kana comes before GB18030: QR codes from Japan
    carry Shift_JIS without a charset marker, and GB2312 text never decodes to kana.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fallback:
        return fallback
    if japanese:
        try:
            text = raw.decode("shift_jis")
            if any("\u3041" <= c <= "\u30ff" for c in text):
                return text
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _unmangle(text: str) -> str:
    """Undo old zbar's charset guess: UTF-8 bytes it read as Shift-JIS or Latin-1."""
    if text.isascii():
        return text
    for charset in ("shift_jis", "cp932", "latin-1"):
        try:
            return text.encode(charset).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def _box(xs: list[float], ys: list[float], pad: float = 0) -> Box:
    return (min(xs), min(ys), max(xs) + pad, max(ys) + pad)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _overlap(a: Box, b: Box) -> float:
    """Intersection area over the smaller box's area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min(_area(a), _area(b))
    return w * h / smaller if smaller > 0 else 0.0


def _dedupe(hits: list[_Hit], page: int) -> list[Code]:
    """One Code per type+data. Where readings of one type disagree on the same spot, only the
    reading made most often (first on a tie) is kept: one symbol cannot hold two values. On a
    tie over a QR code zxing's reading wins: it sees charset markers and Kanji segments, zbar
    only the bytes."""
    votes: dict[tuple[str, str], int] = {}
    for kind, data, *_ in hits:
        votes[(kind, data)] = votes.get((kind, data), 0) + 1
    kept: dict[tuple[str, str], Box] = {}
    ranked = sorted(hits, key=lambda h: (-votes[h[:2]], h[0] == "QRCODE" and h[3] != "zxing"))
    for kind, data, box, _ in ranked:
        key = (kind, data)
        rival = any(k[0] == kind and k != key and _overlap(b, box) > 0.5 for k, b in kept.items())
        if key in kept:
            if _area(box) > _area(kept[key]):
                kept[key] = box  # zbar's box of a linear code can be a line; take the fuller one
        elif not rival:
            kept[key] = box
    return [
        Code(type=k[0], data=k[1], page=page, box=tuple(round(float(v), 1) for v in b))  # type: ignore[arg-type]
        for k, b in kept.items()
    ]


def _gray(image: Image.Image | np.ndarray) -> np.ndarray:
    """A contiguous 2-D uint8 array: what both readers take without copying again."""
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("L"))
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = _to_uint8(arr)
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = cv2.cvtColor(arr, cv2.COLOR_RGBA2GRAY)
    elif arr.ndim == 3 and arr.shape[2] == 3:
        arr = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    elif arr.ndim == 3:
        arr = arr[:, :, 0]
    return np.ascontiguousarray(arr)


def _to_uint8(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == bool:
        return arr.astype(np.uint8) * 255
    if np.issubdtype(arr.dtype, np.floating) and arr.max(initial=0) <= 1.0:
        arr = arr * 255
    elif arr.dtype == np.uint16:
        arr = arr / 257
    return np.clip(arr, 0, 255).astype(np.uint8)


def _binarize(gray: np.ndarray, block: int = 31, offset: int = 10) -> np.ndarray:
    """Adaptive threshold after a light blur: sharp module edges for blurred or noisy scans."""
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    return cv2.adaptiveThreshold(
        smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, offset
    )


def _sharpen(gray: np.ndarray) -> np.ndarray:
    """Unsharp mask: module edges an upscaled small code has lost."""
    return cv2.addWeighted(gray, 1.8, cv2.GaussianBlur(gray, (0, 0), 2), -0.8, 0)
