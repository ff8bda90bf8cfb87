"""extract.codes.read_codes on pages drawn here: text noise, our QR, foreign codes."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extract import qrpayload
from extract.codes import ORDERS, read_codes
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
