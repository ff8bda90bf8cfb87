"""A sender's notice whose summary amounts carry only the sender's own codes.

Written for the learning tests: no label of the lexicon marks its amounts. The boxes are
[K1] balance brought forward, [K2] this period's debits, [K3] the amount due, [K4] this
period's credits and [K5] the credit limit; a legend at the foot says so, in words the
parser does not read as labels of the boxes above. Nobody wrote a parser rule for it.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from tests import corpus as C
from tests import layouts as L
from tests.corpus import MARGIN, PAGE_W, Truth

NAME = "coded_notice"
SCANS = ("digital", "scan300", "scan200-noisy")


def make_truth(rng: random.Random) -> Truth:
    """A statement with a positive balance (the amount due is the closing balance)."""
    customers = [c for c in C.CUSTOMERS if not c[1].isascii()]
    truth = C.make_truth(
        rng, customer=rng.choice(customers), exact_dates=False, negative=False, currency="CNY"
    )
    return replace(truth, amount_due=truth.closing_balance, unprinted=("closing_balance",))


def render(truth: Truth, *, qr: bool = False) -> bytes:
    rng = random.Random(L._seed(truth, NAME))
    d = L._Doc(truth, "往来款项通知", qr=qr)
    y = L.TOP - 14
    d.text(MARGIN, y, "东海实业有限公司", 13.5, bold=True)
    d.text(MARGIN, y - 15, "Donghai Industrial Co., Ltd.", 9)
    y -= 62
    d.text(PAGE_W / 2, y, "往来款项通知 Account Notice", 15, bold=True, align="center")
    y -= 30
    info = [
        ("往来户号 A/C", f"{rng.randint(2000, 2099)}-{rng.randint(1000, 9999)}"),
        ("户名 Name", truth.customer_name),
        ("通知编号 Ref.", truth.statement_no),
        ("期间 Period", f"{truth.year}/{truth.month:02d}"),
        ("日期 Date", f"{truth.statement_date:%Y/%m/%d}"),
    ]
    for i, (k, v) in enumerate(info):
        d.text(MARGIN, y - 16 * i, k, 10)
        d.text(MARGIN + 100, y - 16 * i, v, 10)
    y -= 16 * len(info) + 16
    limit = Decimal(rng.randint(20, 400) * 10000)
    boxes = [
        ("[K1]", truth.opening_balance),
        ("[K2]", truth.charges),
        ("[K3]", truth.amount_due),
        ("[K4]", truth.payments),
        ("[K5]", limit),
    ]
    width = (PAGE_W - 2 * MARGIN) / len(boxes)
    for i, (k, v) in enumerate(boxes):
        x = MARGIN + width * i
        d.rect(x + 2, y - 26, width - 4, 34)
        d.text(x + 8, y - 2, k, 9)
        d.text(x + width - 8, y - 18, L._num(v), 10.5, align="right", bold=k == "[K3]")
    y -= 56
    legend = (
        "说明：K1 上月转来，K2 本月借方，K3 请付款，K4 本月贷方，K5 额度。"
        "如有疑问请于十日内来电。"
    )
    d.text(MARGIN, y, legend, 8.5)
    return d.done()


def scan(truth: Truth, condition: str) -> tuple[bytes, str]:
    """(file bytes, file name) of the notice in a capture condition of SCANS."""
    pdf = render(truth)
    if condition == "digital":
        return pdf, f"{truth.statement_no}.pdf"
    dpi, noise, blur = (300, 0.0, 0.0) if condition == "scan300" else (200, 9.0, 0.4)
    data = C.render_scan(
        truth, NAME, qr=False, dpi=dpi, noise=noise, blur=blur, rotation_deg=0.6, pdf=pdf
    )
    return data, f"{truth.statement_no}.png"
