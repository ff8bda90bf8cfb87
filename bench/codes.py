"""Decode rate and time of extract.codes.read_codes per reader order, on synthetic scans.

    .venv/bin/python bench/codes.py [--per-variant N] [--seed S] [--orders a,b]

Each page is A4 at 200 or 300 dpi with text-like noise, our statement QR (qrpayload.build +
qr_image) and a Code 128 statement number (zxing-cpp's writer), in one scan variant. Prints
the share of codes read per variant (QR / Code 128) and ms per page for every order. Figures,
not a pass/fail test.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract import codes, qrpayload  # noqa: E402

VARIANTS = (
    "clean", "rot90", "rot180", "rot270", "skew", "lowcontrast", "blur", "jpeg30", "small",
    "covered", "nocode",
)  # fmt: skip
DPIS = (200, 300)


@dataclass
class Sample:
    variant: str
    dpi: int
    image: np.ndarray  # grayscale page
    expected: set[tuple[str, str]]  # (type, data) drawn on the page


def mm(value: float, dpi: int) -> int:
    return round(value * dpi / 25.4)


def text_noise(page: Image.Image, rng: np.random.Generator, dpi: int) -> None:
    """Lines of random words, like a statement's body, so readers see real clutter."""
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=mm(3.2, dpi))
    y = mm(15, dpi)
    letters = string.ascii_letters + string.digits + ".,:-/"
    while y < page.height - mm(20, dpi):
        x = mm(15, dpi) + int(rng.integers(0, mm(10, dpi)))
        words = ["".join(rng.choice(list(letters), int(rng.integers(2, 10)))) for _ in range(12)]
        draw.text((x, y), " ".join(words), fill=int(rng.integers(0, 60)), font=font)
        y += mm(rng.choice([5.0, 5.0, 6.5, 9.0]), dpi)


def code128_image(data: str, module_mm: float, height_mm: float, dpi: int) -> Image.Image:
    """Code 128 from zxing-cpp's writer at one pixel per module, scaled like a printer would."""
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.Code128)
    row = np.array(symbol.to_image(scale=1, add_quiet_zones=True))[:1]
    width = round(row.shape[1] * module_mm * dpi / 25.4)
    return Image.fromarray(row).resize((width, mm(height_mm, dpi)), Image.Resampling.BOX)


def cover(page: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator,
          horizontal: bool) -> None:  # fmt: skip
    """A white or black bar over ~10% of the code, as a stamp or a fold would."""
    left, top, right, bottom = box
    fill = int(rng.choice([0, 255]))
    draw = ImageDraw.Draw(page)
    if horizontal:
        band = (bottom - top) // 10
        y = int(rng.integers(top + (bottom - top) // 4, bottom - (bottom - top) // 4))
        draw.rectangle((left, y, right, y + band), fill=fill)
    else:
        band = (right - left) // 10
        x = int(rng.integers(left + (right - left) // 4, right - (right - left) // 4))
        draw.rectangle((x, top, x + band, bottom), fill=fill)


def draw_page(rng: np.random.Generator, dpi: int, variant: str) -> tuple[Image.Image, set]:
    page = Image.new("L", (mm(210, dpi), mm(297, dpi)), 255)
    text_noise(page, rng, dpi)
    if variant == "nocode":
        return page, set()
    n = int(rng.integers(1, 9999))
    number = f"ST-202610-{n:04d}"
    payload = qrpayload.build(qrpayload.StatementCode(
        customer=f"C{n:04d}", period="2026-10", amount=Decimal(int(rng.integers(1, 10**7))) / 100,
        number=number,
    ))  # fmt: skip
    qr_cm = 1.2 if variant == "small" else float(rng.uniform(1.5, 2.5))
    qr = qrpayload.qr_image(payload, box_size=1, border=4)
    qr = qr.resize((mm(qr_cm * 10, dpi),) * 2, Image.Resampling.BOX)
    bar = code128_image(number, 0.19 if variant == "small" else 0.3, 9, dpi)
    qx = page.width - mm(20, dpi) - qr.width - int(rng.integers(0, mm(30, dpi)))
    qy = mm(15, dpi) + int(rng.integers(0, mm(20, dpi)))
    bx, by = mm(15, dpi) + int(rng.integers(0, mm(20, dpi))), qy + int(rng.integers(0, mm(60, dpi)))
    for img, (x, y) in ((qr, (qx, qy)), (bar, (bx, by))):
        page.paste(img, (x, y))
    if variant == "covered":
        q = mm(4 * qr_cm * 10 / 41, dpi)  # the quiet zone is 4 of 41 modules
        cover(page, (qx + q, qy + q, qx + qr.width - q, qy + qr.height - q), rng,
              bool(rng.integers(0, 2)))  # fmt: skip
        cover(page, (bx, by, bx + bar.width, by + bar.height), rng, True)
    return page, {("QRCODE", payload), ("CODE128", number)}


def scan(page: Image.Image, rng: np.random.Generator, dpi: int, variant: str) -> np.ndarray:
    """What a scanner makes of the printed page: slight blur and noise, plus the variant's harm."""
    img = np.asarray(page, dtype=np.float32)
    if variant == "lowcontrast":
        img = 120 + img * (70 / 255)  # grey ink on grey paper, ~70 levels apart
    if variant == "blur":
        img = cv2.GaussianBlur(img, (0, 0), mm(0.17, dpi))
    else:
        img = cv2.GaussianBlur(img, (0, 0), 0.6)
    img = np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)
    if variant.startswith("rot"):
        img = np.ascontiguousarray(np.rot90(img, k=-int(variant[3:]) // 90))
    if variant == "skew":
        angle = float(rng.uniform(3, 8) * rng.choice([-1, 1]))
        h, w = img.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    if variant == "jpeg30":
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=30)
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return img


def make_samples(per_variant: int, seed: int) -> list[Sample]:
    rng = np.random.default_rng(seed)
    samples = []
    for variant in VARIANTS:
        for dpi in DPIS:
            for _ in range(per_variant):
                page, expected = draw_page(rng, dpi, variant)
                samples.append(Sample(variant, dpi, scan(page, rng, dpi, variant), expected))
    return samples


@dataclass
class Result:
    found: dict[str, list[int]]  # variant -> [qr read, qr drawn, c128 read, c128 drawn, extra]
    ms: list[float]
    cpu_ms: list[float]  # process time: fairer than wall time on a busy machine
    ms_nocode: list[float]
    cpu_ms_nocode: list[float]


def run(order: str, samples: list[Sample], read: Callable = codes.read_codes) -> Result:
    result = Result({v: [0, 0, 0, 0, 0] for v in VARIANTS}, [], [], [], [])
    read(samples[0].image, 1, order=order)  # warm up libraries
    for s in samples:
        start, cpu = time.perf_counter(), time.process_time()
        got = {(c.type, c.data) for c in read(s.image, 1, order=order)}
        elapsed = (time.perf_counter() - start) * 1000
        cpu_elapsed = (time.process_time() - cpu) * 1000
        result.ms.append(elapsed)
        result.cpu_ms.append(cpu_elapsed)
        if s.variant == "nocode":
            result.ms_nocode.append(elapsed)
            result.cpu_ms_nocode.append(cpu_elapsed)
        tally = result.found[s.variant]
        for kind, data in s.expected:
            i = 0 if kind == "QRCODE" else 2
            tally[i + 1] += 1
            tally[i] += (kind, data) in got
        tally[4] += len(got - s.expected)
    return result


def pct(read: int, drawn: int) -> str:
    return f"{100 * read / drawn:3.0f}" if drawn else "  -"


def print_table(results: dict[str, Result]) -> None:
    orders = list(results)
    print(f"{'variant (QR% / C128%)':<22}" + "".join(f"{o:>14}" for o in orders))
    for variant in VARIANTS:
        cells = []
        for o in orders:
            qr, qn, bar, bn, extra = results[o].found[variant]
            cells.append(f"{'extra ' + str(extra) if variant == 'nocode' else ''}"
                         if variant == "nocode" else f"{pct(qr, qn)} / {pct(bar, bn)}")  # fmt: skip
        print(f"{variant:<22}" + "".join(f"{c:>14}" for c in cells))
    rows: dict[str, Callable[[Result], str]] = {
        "all codes read %": lambda r: pct(sum(t[0] + t[2] for t in r.found.values()),
                                          sum(t[1] + t[3] for t in r.found.values())),
        "false codes": lambda r: str(sum(t[4] for t in r.found.values())),
        "ms/page mean": lambda r: f"{np.mean(r.ms):.0f}",
        "ms/page p95": lambda r: f"{np.percentile(r.ms, 95):.0f}",
        "cpu ms/page mean": lambda r: f"{np.mean(r.cpu_ms):.0f}",
        "ms/codeless page mean": lambda r: f"{np.mean(r.ms_nocode):.0f}",
        "cpu ms/codeless page": lambda r: f"{np.mean(r.cpu_ms_nocode):.0f}",
    }  # fmt: skip
    for name, cell in rows.items():
        print(f"{name:<22}" + "".join(f"{cell(results[o]):>14}" for o in orders))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-variant", type=int, default=4, help="pages per variant and dpi")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", default="zbar-first,zxing-first,zxing-only,zbar-only")
    args = parser.parse_args()
    samples = make_samples(args.per_variant, args.seed)
    print(f"{len(samples)} pages ({args.per_variant} per variant and dpi, dpi {DPIS}), "
          f"default order {codes.DEFAULT_ORDER!r}")  # fmt: skip
    results = {order: run(order, samples) for order in args.orders.split(",")}
    print_table(results)


if __name__ == "__main__":
    main()
