"""extract.codes.read_codes on pages and photos drawn here: text noise, our QR, foreign codes."""

from __future__ import annotations

import random
from decimal import Decimal

import cv2
import numpy as np
import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pyzbar import pyzbar

from extract import qrpayload
from extract.codes import ORDERS, QUICK_ORDER, read_codes
from extract.qrpayload import StatementCode

STATEMENT = StatementCode(
    customer="C0042", period="2026-10", amount=Decimal("12345.67"), number="ST-202610-0042"
)
PAYLOAD = qrpayload.build(STATEMENT)


def mm(value: float, dpi: int) -> int:
    return round(value * dpi / 25.4)


def page(dpi: int = 200, width_mm: float = 210, height_mm: float = 297) -> Image.Image:
    """A white page with lines of random words, like a statement body."""
    rng = random.Random(dpi)
    img = Image.new("L", (mm(width_mm, dpi), mm(height_mm, dpi)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=mm(3.2, dpi))
    for y in range(mm(10, dpi), img.height - mm(10, dpi), mm(6, dpi)):
        words = (
            "".join(rng.choices("abcdefghXYZ0123456789.,", k=rng.randint(2, 9))) for _ in range(14)
        )
        draw.text((mm(10, dpi), y), " ".join(words), fill=20, font=font)
    return img


def put(img: Image.Image, code: Image.Image, at: tuple[int, int]) -> tuple[int, int, int, int]:
    """Paste `code` (quiet zone included) at `at`; returns the pasted box."""
    img.paste(code, at)
    return (at[0], at[1], at[0] + code.width, at[1] + code.height)


def qr(data: str, size_mm: float, dpi: int) -> Image.Image:
    """A QR code printed `size_mm` wide (quiet zone included) at `dpi`."""
    img = qrpayload.qr_image(data, box_size=1, border=4)
    return img.resize((mm(size_mm, dpi),) * 2, Image.Resampling.BOX)


def code128(data: str, dpi: int) -> Image.Image:
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.Code128)
    row = np.array(symbol.to_image(scale=1))[:1]
    return Image.fromarray(row).resize((mm(row.shape[1] * 0.3, dpi), mm(9, dpi)))


def scanned(img: Image.Image, seed: int = 0) -> np.ndarray:
    """Scanner blur and noise."""
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0, 4, arr.shape)
    return np.clip(arr + noise, 0, 255).astype(np.uint8)


def ours(codes) -> list[StatementCode]:
    return [p for p in (qrpayload.parse(c.data) for c in codes) if p is not None]


def test_our_payload_round_trip_at_200_dpi_with_noise_and_slight_rotation():
    img = page(200)
    put(img, qr(PAYLOAD, 20, 200), (1200, 150))
    img = img.rotate(2.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    codes = read_codes(scanned(img), page=3)
    assert ours(codes) == [STATEMENT]
    assert [(c.type, c.page) for c in codes] == [("QRCODE", 3)]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotated_page(turn):
    img = page(200, height_mm=120)
    put(img, qr(PAYLOAD, 20, 200), (1200, 150))
    codes = read_codes(img.rotate(turn, expand=True), page=1)
    assert ours(codes) == [STATEMENT]


def test_small_code():
    img = page(200, height_mm=120)
    put(img, qr(PAYLOAD, 12, 200), (1300, 200))
    assert ours(read_codes(scanned(img), page=1)) == [STATEMENT]


def test_low_contrast():
    img = page(200, height_mm=120)
    put(img, qr(PAYLOAD, 18, 200), (1250, 200))
    faded = 130 + scanned(img).astype(np.float32) * (60 / 255)  # grey ink on grey paper
    assert ours(read_codes(faded.astype(np.uint8), page=1)) == [STATEMENT]


@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize(
    "text", ["上海", "客户名称：上海某某贸易有限公司 对账单 2026年10月 ¥1,234.00"]
)
def test_foreign_qr_with_chinese_utf8_text(order, text):
    # zbar without binary mode reads short UTF-8 Chinese as Shift-JIS ("上海" -> "荳頑ｵｷ").
    foreign = qrcode.make(text.encode("utf-8"), box_size=6).get_image().convert("L")
    img = page(200, height_mm=80)
    put(img, foreign, (900, 100))
    codes = read_codes(img, page=1, order=order)
    assert [(c.type, c.data) for c in codes] == [("QRCODE", text)]


def test_code128_is_read_next_to_our_qr():
    img = page(200, height_mm=120)
    put(img, qr(PAYLOAD, 20, 200), (1250, 100))
    put(img, code128("ST-202610-0042", 200), (150, 420))
    codes = read_codes(np.stack([scanned(img)] * 3, axis=-1), page=1)  # RGB input
    assert {(c.type, c.data) for c in codes} == {("QRCODE", PAYLOAD), ("CODE128", "ST-202610-0042")}


def test_blank_page_has_no_codes():
    assert read_codes(scanned(page(200)), page=1) == []


@pytest.mark.parametrize("order", ["zxing-only", "zbar-only"])
def test_box_is_where_the_code_was_drawn(order):
    img = page(300, height_mm=150)
    drawn_qr = put(img, qr(PAYLOAD, 20, 300), (1800, 300))
    drawn_bar = put(img, code128("ST-202610-0042", 300), (200, 1000))
    codes = {c.type: c for c in read_codes(scanned(img), page=1, order=order)}
    for kind, drawn in (("QRCODE", drawn_qr), ("CODE128", drawn_bar)):
        left, top, right, bottom = codes[kind].box
        # Inside the pasted image (which includes the quiet zone), and most of its width.
        assert drawn[0] - 3 <= left < right <= drawn[2] + 3
        assert drawn[1] - 3 <= top < bottom <= drawn[3] + 3
        assert right - left > 0.6 * (drawn[2] - drawn[0])


# --- photos the quick pass or the plain readers miss ------------------------------------------
# Each image is a QR code as a phone or a poor scan renders it. The thorough pass must read
# the exact payload; the second test keeps each case honest, i.e. still beyond what it claims.

CHINESE = "客户名称：上海某某贸易有限公司 对账单 2026年10月 应付 ¥1,234.00"


def qr_pixels(data: str, module: int) -> np.ndarray:
    """The code drawn `module` px per module with its quiet zone, as float grey levels."""
    image = qrpayload.qr_image(data, box_size=module, border=4).convert("L")
    return np.asarray(image, dtype=np.float32)


def centred(code: np.ndarray, size: int) -> np.ndarray:
    out = np.full((size, size), 255.0, np.float32)
    top, left = (size - code.shape[0]) // 2, (size - code.shape[1]) // 2
    out[top : top + code.shape[0], left : left + code.shape[1]] = code
    return out


def camera(img: np.ndarray, blur: float, noise: float = 4.0) -> np.ndarray:
    """Lens blur and sensor noise, fixed seed."""
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    img = img + np.random.default_rng(0).normal(0, noise, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def inverted(data: str) -> np.ndarray:
    """Light modules on a dark ground, as printed on a dark letterhead band or a screen."""
    return camera(255 - centred(qr_pixels(data, 5), 500), 0.6)


def shadowed(data: str) -> np.ndarray:
    """Grey print 25 levels from its paper, under light falling to a fifth in one corner."""
    img = centred(qr_pixels(data, 5), 500)
    across = np.linspace(0, 1, img.shape[1])[None, :]
    down = np.linspace(0, 1, img.shape[0])[:, None]
    light = 0.2 + 0.8 * np.clip(0.7 * across + 0.5 * down, 0, 1)
    return camera((175 + img / 255 * 25) * light, 0, noise=3)


def blurred(data: str) -> np.ndarray:
    """Out of focus: blur of two thirds of a module."""
    return camera(centred(qr_pixels(data, 6), 600), 3.8)


def small_rotated(data: str) -> np.ndarray:
    """2.2 px per module, turned 30 degrees, slightly blurred: a code far from the camera."""
    code = qr_pixels(data, 1)
    turn = cv2.getRotationMatrix2D((code.shape[1] / 2, code.shape[0] / 2), 30, 2.2)
    turn[:, 2] += 150 - code.shape[0] / 2
    img = cv2.warpAffine(code, turn, (300, 300), flags=cv2.INTER_LINEAR, borderValue=255)
    return camera(img, 0.9)


def slanted(data: str) -> np.ndarray:
    """Photographed at a slant: the far edge half as wide as the near one, then blurred."""
    code = qr_pixels(data, 4)
    n = code.shape[0]
    corners = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
    seen = np.float32([[n / 4, 0], [3 * n / 4, 0], [n, 3 * n / 4], [0, 3 * n / 4]]) + (700 - n) / 2
    warp = cv2.getPerspectiveTransform(corners, seen)
    img = cv2.warpPerspective(code, warp, (700, 700), flags=cv2.INTER_AREA, borderValue=255)
    return camera(img, 1.0)


# case -> (image maker, payload, what it defeats: the quick pass and/or the plain readers)
HARD_PHOTOS = {
    "inverted": (inverted, PAYLOAD, {"quick"}),
    "shadowed low contrast": (shadowed, PAYLOAD, {"quick", "plain"}),
    "blurred": (blurred, PAYLOAD, {"quick", "plain"}),
    "blurred chinese": (blurred, CHINESE, {"quick", "plain"}),
    "small and rotated": (small_rotated, PAYLOAD, {"quick", "plain"}),
    "small and rotated chinese": (small_rotated, CHINESE, {"quick", "plain"}),
    "slanted": (slanted, PAYLOAD, {"quick", "plain"}),
}


@pytest.mark.parametrize("case", list(HARD_PHOTOS))
def test_thorough_pass_reads_hard_photo(case):
    make, data, _ = HARD_PHOTOS[case]
    codes = read_codes(make(data), page=1)
    assert [(c.type, c.data) for c in codes] == [("QRCODE", data)]
    if data == PAYLOAD:
        assert ours(codes) == [STATEMENT]


@pytest.mark.parametrize("case", list(HARD_PHOTOS))
def test_hard_photo_is_beyond_quick_pass_or_plain_readers(case):
    make, data, beyond = HARD_PHOTOS[case]
    image = make(data)
    if "quick" in beyond:
        quick = read_codes(image, page=1, order=QUICK_ORDER, thorough=False)
        assert data not in {c.data for c in quick}, "the quick pass reads it: no longer hard"
    if "plain" in beyond:
        plain = {s.data.decode("utf-8", "replace") for s in pyzbar.decode(image)}
        plain |= {r.text for r in zxingcpp.read_barcodes(image)}
        assert data not in plain, "zbar or zxing-cpp alone reads it: no longer hard"


@pytest.mark.parametrize("order", list(ORDERS))
def test_japanese_shift_jis_qr_reads_the_same_in_every_order(order):
    # Japanese generators write Shift_JIS without a charset marker; zbar hands over the bytes,
    # which GB18030 would also decode (to "Google 儌僶僀儖").
    text = "Google モバイル\r\nhttp://google.jp"
    image = qrcode.make(text.encode("shift_jis"), box_size=6).get_image().convert("L")
    assert [c.data for c in read_codes(image, page=1, order=order)] == [text]


@pytest.mark.parametrize("order", list(ORDERS))
def test_control_characters_are_kept(order):
    # GS separators in a Latin-1 payload: zxing's display text would show them as "<GS>".
    text = "\x1dLOT A1\x1dcafé"
    image = qrcode.make(text.encode("latin-1"), box_size=6).get_image().convert("L")
    assert [c.data for c in read_codes(image, page=1, order=order)] == [text]
