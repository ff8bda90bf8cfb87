"""`stmt demo`: a few generated customers and statements to try the product on.

The statements are real PDFs with a text layer (reportlab, a CJK font of the system), written
the way Chinese suppliers lay out 对账单, so they go through the same reading as any upload.
One customer is left without its last statement, so the completeness audit and the reminders
have something to show.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)

CUSTOMERS = (
    ("D001", "上海华东贸易有限公司", "monthly"),
    ("D002", "北京远航物流有限公司", "monthly"),
    ("D003", "广州南方电子科技有限公司", "monthly"),
    ("D004", "杭州西湖纺织品有限公司", "quarterly"),
    ("D005", "Northwind Trading Ltd.", "monthly"),
)


class DemoError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoStatement:
    code: str
    name: str
    period: str
    number: str
    opening: Decimal
    billed: Decimal
    paid: Decimal

    @property
    def due(self) -> Decimal:
        return self.opening + self.billed - self.paid

    def lines(self) -> list[str]:
        year, month = self.period.split("-")
        return [
            "对账单 Account Statement",
            f"客户名称：{self.name}",
            f"客户编号：{self.code}",
            f"对账期间：{year}年{int(month)}月",
            f"对账单号：{self.number}",
            f"期初余额：¥{self.opening:,.2f}",
            f"本期发生额：¥{self.billed:,.2f}",
            f"本期收款：¥{self.paid:,.2f}",
            f"应付金额：¥{self.due:,.2f}",
        ]


def _months_back(today: dt.date, n: int) -> list[str]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first.strftime("%Y-%m"))
    return sorted(out)


def statements(today: dt.date, months: int = 3, seed: int = 7) -> list[DemoStatement]:
    """The demo's statements for the last `months` months; the same every time for a day."""
    rng = random.Random(seed)
    periods = _months_back(today, months)
    out = []
    for code, name, cycle in CUSTOMERS:
        for i, period in enumerate(periods):
            if cycle == "quarterly" and int(period[5:]) % 3:
                continue
            if code == "D003" and i == len(periods) - 1:
                continue  # missing: the audit and the reminders show it
            cents = [rng.randrange(100_000, 9_000_000) for _ in range(3)]
            out.append(
                DemoStatement(
                    code=code,
                    name=name,
                    period=period,
                    number=f"ST-{period.replace('-', '')}-{code}",
                    opening=Decimal(cents[0]) / 100,
                    billed=Decimal(cents[1]) / 100,
                    paid=Decimal(min(cents[2], cents[0])) / 100,
                )
            )
    return out


def pdf(statement: DemoStatement) -> bytes:
    return text_pdf(statement.lines())


def text_pdf(lines: list[str] | tuple[str, ...]) -> bytes:
    """One A4 page with these lines as its text layer (a CJK font embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = next((f for f in FONTS if f.exists()), None)
    if font is None:
        raise DemoError("no Chinese font found (install fonts-wqy-microhei)")
    if "DemoCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DemoCJK", str(font), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("DemoCJK", 13)
    y = A4[1] - 90
    for line in lines:
        c.drawString(70, y, line)
        y -= 30
    c.showPage()
    c.save()
    return buf.getvalue()


def load(today: dt.date | None = None, submit=None) -> tuple[int, list[int]]:
    """Add the demo customers (existing ones are left) and submit the statements through
    `submit(data, filename)` (the ingest path every source takes); (customers added, ids)."""
    from sqlalchemy import select

    from archive import db
    from archive.models import Customer

    today = today or dt.date.today()
    added = 0
    with db.session() as s:
        have = set(s.scalars(select(Customer.code)))
        for code, name, cycle in CUSTOMERS:
            if code not in have:
                s.add(Customer(code=code, name=name, aliases=[], cycle=cycle))
                added += 1
    ids = [submit(pdf(st), f"demo-{st.code}-{st.period}.pdf") for st in statements(today)]
    return added, ids
