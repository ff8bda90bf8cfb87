"""Cover sheets, sticker sheets and QR images carrying our statement payload (docs/qr-payload.md).

A cover sheet goes in front of a customer's paper statement in a scan batch: the pages after
it, until the next separator, belong to its customer and period with full confidence. A
sticker carries a statement code without `t=cover`: it is stuck on a statement's first page,
which must stay a page of the statement (a cover code would make it a separator).

Fonts: reportlab embeds TrueType outlines only, and the Noto CJK collection is CFF
(PostScript outlines), so the CJK text uses WenQuanYi Micro Hei (fonts-wqy-microhei, in
scripts/install) or Droid Sans Fallback.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from extract import qrpayload
from extract.qrpayload import StatementCode

A4 = (595.27, 841.89)  # points
MM = 72 / 25.4
COVER_QR_MM = 70  # large: still read from a poor 200 dpi scan of a skewed sheet
# A4 sticker sheet of 3 x 8 labels of 70 x 37 mm (Avery/Zweckform 3474 and alikes).
LABEL_COLS, LABEL_ROWS = 3, 8
LABEL_W, LABEL_H = 70 * MM, 37 * MM
LABEL_QR_MM = 30
MAX_COUNT = 500  # sheets or labels in one file
_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # if reportlab learns CFF
)


class CoverError(ValueError):
    """Bad input for a cover sheet or label; the message is shown to users."""


def cover_code(customer: str, period: str) -> StatementCode:
    return StatementCode(customer=customer, period=period, currency="", kind="cover")


def label_code(customer: str, period: str, number: str | None = None) -> StatementCode:
    return StatementCode(customer=customer, period=period, currency="", number=number)


def payload_for(code: StatementCode, key: bytes | None = None) -> str:
    """The payload for `code`, signed with the installation's `key` when given."""
    try:
        payload = qrpayload.build(code, key=key)
    except ValueError as exc:
        raise CoverError(str(exc)) from None
    if qrpayload.parse(payload) is None:  # e.g. a period like 2026-13
        raise CoverError(f"not a valid customer code and period: {code.customer!r} {code.period!r}")
    return payload


@cache
def cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for path, index in _FONTS:
        if Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont("stmt-cjk", path, subfontIndex=index))
            except TTFError:
                continue
            return "stmt-cjk"
    raise CoverError("no CJK TrueType font: apt-get install fonts-wqy-microhei")


def _qr_reader(payload: str):
    from reportlab.lib.utils import ImageReader

    # One pixel per module, scaled up without smoothing: sharp edges at any print size.
    img = qrpayload.qr_image(payload, box_size=1, border=4).convert("L")
    n = img.size[0]
    return ImageReader(img.resize((n * 8, n * 8), resample=0))


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits `width`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    w = stringWidth(text, font, size)
    return size if w <= width else max(6.0, size * width / w)


def _centered(c, text: str, y: float, size: float, width: float = A4[0] - 100) -> None:
    font = cjk_font()
    c.setFont(font, _fit(c, text, font, size, width))
    c.drawCentredString(A4[0] / 2, y, text)


def cover_pdf(
    customer: str,
    customer_name: str | None,
    period: str,
    count: int = 1,
    *,
    key: bytes | None = None,
) -> bytes:
    """`count` identical A4 cover sheets for a customer and period (signed with `key`)."""
    from reportlab.pdfgen import canvas

    if not 1 <= count <= MAX_COUNT:
        raise CoverError(f"count must be between 1 and {MAX_COUNT}")
    payload = payload_for(cover_code(customer, period), key)
    qr = _qr_reader(payload)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(f"Cover sheet {customer} {period}")
    w, h = A4
    size = COVER_QR_MM * MM
    for _ in range(count):
        _centered(c, "对账单封面 · Statement cover sheet", h - 90, 20)
        _centered(c, customer_name or customer, h - 160, 30)
        _centered(c, f"客户编号 Customer code: {customer}", h - 200, 18)
        _centered(c, period, h - 330, 96)
        c.drawImage(qr, (w - size) / 2, 190, size, size)
        _centered(c, "此页之后至下一张封面的页面属于上述客户及期间。", 150, 11)
        _centered(c, "Pages after this sheet, up to the next cover sheet, belong to this", 132, 11)
        _centered(c, "customer and period. This sheet is not archived.", 118, 11)
        c.setFont(cjk_font(), 7)
        c.drawCentredString(w / 2, 60, payload)
        c.showPage()
    c.save()
    return buf.getvalue()


def label_pdf(
    customer: str,
    customer_name: str | None,
    period: str,
    count: int = LABEL_COLS * LABEL_ROWS,
    number: str | None = None,
    *,
    key: bytes | None = None,
) -> bytes:
    """A4 sheets of 70 x 37 mm stickers, each with the statement code (signed with `key`)."""
    from reportlab.pdfgen import canvas

    if not 1 <= count <= MAX_COUNT:
        raise CoverError(f"count must be between 1 and {MAX_COUNT}")
    payload = payload_for(label_code(customer, period, number), key)
    qr = _qr_reader(payload)
    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(f"Statement labels {customer} {period}")
    left = (A4[0] - LABEL_COLS * LABEL_W) / 2
    top = A4[1] - (A4[1] - LABEL_ROWS * LABEL_H) / 2
    per_sheet = LABEL_COLS * LABEL_ROWS
    for i in range(count):
        if i and i % per_sheet == 0:
            c.showPage()
        row, col = divmod(i % per_sheet, LABEL_COLS)
        x, y = left + col * LABEL_W, top - (row + 1) * LABEL_H
        q = LABEL_QR_MM * MM
        c.drawImage(qr, x + 3 * MM, y + (LABEL_H - q) / 2, q, q)
        tx, tw = x + 5 * MM + q, LABEL_W - q - 8 * MM
        lines = [(customer, 11), (customer_name or "", 7), (period, 16), (number or "", 7)]
        ty = y + LABEL_H - 5 * MM
        for text, size in lines:
            if text:
                ty -= size
                c.setFont(font, _fit(c, text, font, size, tw))
                c.drawString(tx, ty, text)
                ty -= 4
    c.showPage()
    c.save()
    return buf.getvalue()


def qr_png(payload: str, box_size: int = 8) -> bytes:
    buf = io.BytesIO()
    qrpayload.qr_image(payload, box_size=box_size).save(buf, "PNG")
    return buf.getvalue()


def qr_svg(payload: str, box_size: int = 8) -> bytes:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.svg import SvgPathImage

    qr = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=box_size, border=4, image_factory=SvgPathImage
    )
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    return buf.getvalue()
