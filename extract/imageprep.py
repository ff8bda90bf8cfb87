"""OpenCV preparation of a scanned page before OCR: find the page, even the light, turn
upright, deskew, clean, binarize.

Everything here is cheap on purpose (tens of milliseconds per A4 page at 300 dpi): the
whole OCR pipeline must keep at least 0.9x the throughput of plain `tesseract`, so a scan
costs no Tesseract orientation detection (`--psm 0`, a second pass). The 90-degree question
is answered here from projection profiles; only when they are unclear (`Prepared.clear`:
photos, heavy borders) does `extract.ocr.ocr_page` ask Tesseract's OSD, checked by a
trial read. The 180-degree question cannot be answered cheaply and is left to
`ocr_page`, which re-reads a page turned around only when the first reading looks like
nonsense.

A phone photo is a page on a darker surround, in perspective, lit unevenly: the page is
found (`find_page`), warped to a rectangle (`rectify`) and its light divided out
(`flatten_light`) before anything else; `page_of` repeats the cut for images shown to
reviewers. Scans are left as they are: their page is the whole picture.

Geometry conventions (shared with `extract.types.Page`):
- `rotation` is how far the scan was turned clockwise (0/90/180/270) to read it.
- `skew` is how far it was then turned clockwise (degrees, |skew| <= 10) to straighten
  the text lines; the canvas grows so no corner is cut off, new area is white.
`upright(image, rotation, skew)` applies exactly that geometry to any image of the page
(e.g. the colour original), so stored page images match the OCR word boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from extract.types import ExtractError

# Larger images are refused: a 60 MP page is A4 at ~900 dpi, beyond any sane scan,
# and OpenCV + Tesseract would need gigabytes of memory for it.
MAX_PIXELS = 60_000_000

MAX_SKEW = 10.0  # degrees; steeper pages are left alone (and OCR as they are)
MIN_SKEW = 0.3  # below this a rotation blurs more than it straightens
ANALYSIS_DPI = 50  # orientation/skew are judged on a small copy: fast, and words blur
# into line-shaped blobs, which is what the profiles should see
NOISE_LEVEL = 0.0002  # isolated dark pixels per pixel above which a page is "speckled"
BLANK_INK = 0.0005  # fraction of dark pixels below which a page is blank
# Pages below this resolution are upscaled (to OCR_UPSCALE_DPI, at most 2x): a 150 dpi fax
# has strokes one pixel wide that Tesseract breaks apart; between 200 and 300 it did not help.
MIN_OCR_DPI = 200
OCR_UPSCALE_DPI = 225
# A photo: the page must cover this share of the picture (less is not a page we can read,
# more is a scan whose edges are the page's own) and be this much lighter than what is
# around it, measured in grey levels.
PAGE_AREA = (0.25, 0.93)
PAGE_CONTRAST = 40
# Paper whose background varies by more than this many grey levels (5th to 95th percentile
# of the estimated background) is lit unevenly and is flattened before binarizing.
UNEVEN_LIGHT = 24
# Lines run across the page when their profile is this much sharper than the other way;
# nearer than that (photos, dense tables, big borders) Tesseract's OSD is asked as well.
CLEAR_ORIENTATION = 1.5


@dataclass
class Prepared:
    image: np.ndarray  # uint8, 0/255, upright, deskewed, scaled: what Tesseract reads
    gray: np.ndarray | None  # the same page in grey, not scaled (the second OCR engine's input)
    rotation: int  # 0/90/180/270, clockwise turn applied
    skew: float  # degrees, clockwise turn applied after `rotation`
    scale: float  # `image` pixels per pixel of the upright page at the given dpi
    width: int  # size of the upright page at the given dpi (word boxes refer to it)
    height: int
    blank: bool = False  # no ink to speak of: nothing to OCR
    noisy: bool = False  # a median filter was applied before binarizing
    photo: bool = False  # the page was found on a larger picture and its perspective undone
    flattened: bool = False  # uneven light was divided out
    clear: bool = True  # the projection profiles settled the 0/90 question on their own


def to_gray(image: Image.Image | np.ndarray) -> np.ndarray:
    """A uint8 grayscale array from a PIL image or an array (RGB/RGBA/gray, uint8/16/bool)."""
    if isinstance(image, Image.Image):
        check_size(image.width, image.height)
        if image.mode in ("I;16", "I;16B", "I;16L", "I"):
            image = Image.fromarray((np.asarray(image, dtype=np.uint32) >> 8).astype(np.uint8))
        return np.asarray(image if image.mode == "L" else image.convert("L"))
    arr = np.asarray(image)
    if arr.ndim not in (2, 3):
        raise ExtractError(f"not a page image: array of shape {arr.shape}")
    check_size(arr.shape[1], arr.shape[0])
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype != np.uint8:
        raise ExtractError(f"unsupported image data type {arr.dtype}")
    if arr.ndim == 3:
        code = cv2.COLOR_RGBA2GRAY if arr.shape[2] == 4 else cv2.COLOR_RGB2GRAY
        arr = cv2.cvtColor(arr, code) if arr.shape[2] in (3, 4) else arr[:, :, 0]
    return np.ascontiguousarray(arr)


def check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ExtractError(
            f"image too large: {width}×{height} pixels, the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels; scan at 300 dpi"
        )
    if width < 16 or height < 16:
        raise ExtractError(f"image too small to read: {width}×{height} pixels")


def square_pixels(image: Image.Image, across: int, down: int) -> tuple[Image.Image, int]:
    """(the image, its dpi) with square pixels. A fax received at standard resolution has
    204 dots per inch across but 98 lines down, so its letters are half as tall in pixels as
    they are wide: stretched to the finer resolution, the page has the proportions that
    skew, line and box measurements and Tesseract's models expect."""
    if abs(across - down) <= 0.02 * max(across, down):
        return image, across
    fine = max(across, down)
    w, h = image.size
    size = (round(w * fine / across), round(h * fine / down))
    if size[0] * size[1] > MAX_PIXELS:
        return image, across  # refused as too large by whoever measures it next
    square = image.resize(size, Image.Resampling.BICUBIC)
    square.info.update(dpi=(fine, fine), scan_dpi=min(across, down))  # see scan_dpi()
    return square, fine


def scan_dpi(image: Image.Image | None) -> int | None:
    """The coarser resolution an image was scanned at, where it has less detail than its
    dpi says: given square pixels here, or a scanned PDF page rendered finer (pdf.render)."""
    return image.info.get("scan_dpi") if isinstance(image, Image.Image) else None


def prepare(image: Image.Image | np.ndarray, dpi: int) -> Prepared:
    """Turn, deskew, clean and binarize a page for Tesseract (see module docstring)."""
    gray = to_gray(image)
    corners = find_page(gray)
    if corners is not None:
        gray = rectify(gray, corners)
    gray, flattened = flatten_light(gray, dpi)
    ink = _analysis_mask(gray, dpi)
    h0, w0 = gray.shape
    if ink.mean() < BLANK_INK:
        return Prepared(_binarize(gray)[0], gray, 0, 0.0, 1.0, w0, h0, blank=True)
    rotation, skew, clear = _orientation_and_skew(ink)
    page = gray = upright(gray, rotation, skew)
    height, width = gray.shape
    scale = 1.0
    if dpi < MIN_OCR_DPI:
        scale = min(2.0, OCR_UPSCALE_DPI / dpi)
        if width * height * scale**2 <= MAX_PIXELS:
            gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        else:  # a huge page rendered at low dpi: upscaled only up to the pixel limit
            scale = max(1.0, (MAX_PIXELS / (width * height)) ** 0.5)
            size = (int(width * scale), int(height * scale))  # rounded down: within it
            gray = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
    binary, noisy = _binarize(gray)
    return Prepared(
        binary,
        page,
        rotation,
        skew,
        scale,
        width,
        height,
        noisy=noisy,
        photo=corners is not None,
        flattened=flattened,
        clear=clear and corners is None,
    )


def find_page(gray: np.ndarray) -> np.ndarray | None:
    """The four corners (tl, tr, br, bl; float32, pixels of `gray`) of a page photographed
    on a darker surround, or None when the picture is the page itself (a scan).

    The page is the largest light region of a small copy; it counts only when it covers
    part, not all, of the picture, is a convex quadrilateral, and is clearly lighter than
    what lies around it (a scan's own white margin is not a surround).
    """
    h, w = gray.shape
    factor = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    level, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Close the gaps the text and table rules leave in the page's light region.
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    share = cv2.contourArea(hull) / mask.size
    if not PAGE_AREA[0] <= share <= PAGE_AREA[1]:
        return None
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(quad) != 4:  # a rounded or torn outline: its tightest rectangle
        quad = cv2.boxPoints(cv2.minAreaRect(hull))
    inside = np.zeros_like(mask)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    ring = cv2.dilate(inside, np.ones((25, 25), np.uint8)) & ~inside
    if not ring.any() or np.median(small[inside > 0]) - np.median(small[ring > 0]) < PAGE_CONTRAST:
        return None
    return _order_corners(quad.astype(np.float32) / factor)


def _order_corners(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    total, diff = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(total)], pts[np.argmin(diff)], pts[np.argmax(total)], pts[np.argmax(diff)]],
        np.float32,
    )


def rectify(gray: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The quadrilateral `corners` (tl, tr, br, bl) warped to an upright rectangle, at the
    resolution of its longer edges (no detail is thrown away)."""
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(
        gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def page_of(image: Image.Image) -> Image.Image:
    """The page as OCR saw it before turning: cut out of a photo and its perspective undone
    (colour kept), or the image itself when it is a scan. For drawing word boxes over it."""
    corners = find_page(to_gray(image))
    if corners is None:
        return image
    rgb = np.asarray(image.convert("RGB") if image.mode not in ("L", "RGB") else image)
    return Image.fromarray(rectify(rgb, corners))


def flatten_light(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, bool]:
    """Divide out uneven lighting (a phone's shadow, a gradient) when there is any.

    The paper's brightness is estimated on a small copy by a morphological closing wider
    than any stroke (it removes the dark text and keeps the light paper), smoothed; the page
    divided by it has an even background, which a single Otsu threshold then separates from
    the ink. Evenly lit scans are returned as they are, at the cost of the small copy.
    """
    factor = min(1.0, ANALYSIS_DPI / max(dpi, 1))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    size = max(3, int(ANALYSIS_DPI * 0.3) | 1)  # ~8 mm: wider than strokes and table rules
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), size)
    low, high = np.percentile(background, (5, 95))
    if high - low <= UNEVEN_LIGHT:
        return gray, False
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255 * 0.95)
    return flat, True


def upright(image: np.ndarray, rotation: int, skew: float) -> np.ndarray:
    """Apply `rotation` (clockwise quarter turns) then `skew` (clockwise degrees)."""
    turns = (rotation // 90) % 4
    if turns:
        image = np.ascontiguousarray(np.rot90(image, -turns))  # np.rot90 turns anticlockwise
    if abs(skew) < MIN_SKEW:
        return image
    h, w = image.shape[:2]
    rad = math.radians(abs(skew))
    new_w = int(round(w * math.cos(rad) + h * math.sin(rad)))
    new_h = int(round(h * math.cos(rad) + w * math.sin(rad)))
    # OpenCV angles are anticlockwise; centre on the pixel grid so that a later 180-degree
    # turn (np.rot90 twice) commutes with this rotation.
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), -skew, 1.0)
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    white = (255,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=white)


def upright_image(image: Image.Image | np.ndarray, rotation: int, skew: float) -> Image.Image:
    """The page as a PIL image turned like `Page.rotation`/`Page.skew` (colour kept)."""
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGB") if image.mode not in ("L", "RGB") else image)
    return Image.fromarray(upright(np.asarray(image), rotation, skew))


def _binarize(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """Otsu threshold; a 3x3 median first when the page is speckled.

    Measured on synthetic scans: Otsu reads as well as gray on clean pages and far better
    on noisy ones (speckle made Tesseract read nothing and take 2-3x longer); adaptive
    thresholding turned background noise into thousands of specks (one page took 300 s).
    The median is kept for speckled pages: on clean 200 dpi serif text it ate thin strokes.
    """
    binary = _threshold(gray)
    if not _speckled(binary):
        return binary, False
    # The median of the gray image keeps thin strokes better than that of the binary one.
    return _threshold(cv2.medianBlur(gray, 3)), True


def _threshold(gray: np.ndarray) -> np.ndarray:
    """Otsu, ignoring pure white: the white corners a deskew adds to grey paper would
    otherwise become the "background" class and turn the whole paper black."""
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()
    hist[255] = 0
    level = _otsu_level(hist)
    return cv2.threshold(gray, level, 255, cv2.THRESH_BINARY)[1]


def _otsu_level(hist: np.ndarray) -> int:
    """The grey level that best splits a 256-bin histogram in two (Otsu 1979)."""
    total = hist.sum()
    if total == 0:
        return 127
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mass[-1] * weight - mass * total) ** 2 / (weight * (total - weight))
    return int(np.argmax(np.nan_to_num(between[:-1])))


def _speckled(binary: np.ndarray) -> bool:
    """Many isolated dark pixels (at most one dark neighbour): dust, pepper noise.

    Clean text has almost none, however much of it there is, unlike a count of the
    pixels a median filter changes, which grows with the length of letter outlines.
    """
    # In 8-bit buffers, two at a time (a 300 dpi page is 8.7 MB in each): this runs
    # on every page, and wider temporaries made it the peak of a page's preparation.
    dark = (binary == 0).view(np.uint8)  # 1 where dark
    neighbours = cv2.boxFilter(dark, -1, (3, 3), normalize=False)  # at most 9: fits a byte
    alone = cv2.compare(neighbours, 2, cv2.CMP_LE, dst=neighbours)  # in place
    isolated = cv2.countNonZero(np.bitwise_and(alone, dark, out=alone))
    return isolated > NOISE_LEVEL * binary.size


def _analysis_mask(gray: np.ndarray, dpi: int) -> np.ndarray:
    """The ink mask (float 0/1, 1 = dark) of a small copy (~ANALYSIS_DPI) of the page."""
    factor = min(1.0, ANALYSIS_DPI / max(dpi, 1))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    level = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    # Otsu on a blank page splits paper noise; demand real contrast against the paper.
    paper = float(np.percentile(small, 90))
    ink = (small < min(level, paper - 40)).astype(np.float32)
    return ink


def _orientation_and_skew(ink: np.ndarray) -> tuple[int, float, bool]:
    """Quarter turn (0 or 90, the 180 part is not decidable here), skew, and whether the
    profiles made the 0/90 choice clearly (see CLEAR_ORIENTATION).

    Text lines make the row profile of an upright page spiky (lines and gaps); the column
    profile is flat by comparison. So the better of "rows at the best small angle" and
    "columns at the best small angle" says whether lines run across or down the page.
    """
    ys, xs = np.nonzero(ink)
    across = _best_angle(xs, ys)
    down = _best_angle(ys, xs)
    clear = max(across[1], down[1]) >= CLEAR_ORIENTATION * max(min(across[1], down[1]), 1e-9)
    if down[1] > across[1]:
        # Lines run down the page: turning clockwise by 90 makes them run across. Which
        # way is right is a 50/50 guess here; the 180 re-read in ocr_page fixes a bad guess.
        # The angle was measured with x and y swapped, which mirrors its sign.
        return 90, -down[0], clear
    return 0, across[0], clear


def _best_angle(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
    """Clockwise degrees that make rows of (xs, ys) sharpest, and that sharpness."""
    if len(xs) == 0:
        return 0.0, 0.0
    best = (0.0, _sharpness(xs, ys, 0.0))
    for step, span in ((1.0, MAX_SKEW), (0.1, 1.0)):
        centre = best[0]
        for angle in np.arange(centre - span, centre + span + step / 2, step):
            if abs(angle) > MAX_SKEW:
                continue
            score = _sharpness(xs, ys, float(angle))
            if score > best[1]:
                best = (round(float(angle), 2), score)
    return best


def _sharpness(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """Sum of squared steps of the row profile after turning the points by `angle`.

    Turning the page clockwise by `angle` moves a point to y' = y*cos + x*sin; only the row
    it lands in matters, so no image is rotated. Normalised by the ink so that row and
    column profiles of the same page compare fairly.
    """
    rad = math.radians(angle)
    rows = np.rint(ys * math.cos(rad) + xs * math.sin(rad)).astype(np.int64)
    rows -= rows.min()
    profile = np.bincount(rows).astype(np.float64)
    return float(np.sum(np.diff(profile) ** 2) / max(len(xs), 1))
