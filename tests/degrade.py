"""Hard capture conditions for test pages: phone photos, faxes, JPEG quality 30.

Tests and benchmarks import this module; nothing here is part of the product. Every
function takes a clean rendered page (PIL, any mode) and a `random.Random`, and is
deterministic for a given seed. `capture(condition, pages, seed)` returns the file bytes
as the device would deliver them.

- photo: the page lying on a larger grey, textured desk, shot slightly from the side (a
  perspective warp), turned 3-6 degrees, lit unevenly (a gradient darkening one side by a
  third), slightly out of focus, saved as a phone JPEG without a resolution tag.
- fax150: a 150 dpi bilevel page (threshold, no grey), a little skewed, with the streaks
  and specks of a fax line, as a Group 4 TIFF tagged 150 dpi.
- fax-standard: a fax received at the standard resolution of ITU-T T.4, 204 dots per inch
  across but only 98 lines per inch down (every glyph half as tall in pixels as it is wide),
  as fax servers store it: a Group 3 TIFF tagged 204 x 98 dpi.
- jpeg30: a 200 dpi grey scan saved at JPEG quality 30 (blocking and ringing around text).
"""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image

CONDITIONS = ("photo", "fax150", "jpeg30", "fax-standard")
# The resolution each condition's page is rendered at before it is degraded.
RENDER_DPI = {"photo": 200, "fax150": 150, "jpeg30": 200, "fax-standard": 204}
# ITU-T T.4 standard resolution: dots per inch across, lines per inch down
FAX_STANDARD_DPI = (204, 98)


def photo(page: Image.Image, rng: random.Random) -> Image.Image:
    """An RGB phone photo of the page on a desk (see the module docstring)."""
    gen = np.random.default_rng(rng.randrange(2**32))
    paper = np.asarray(page.convert("RGB"), dtype=np.float32)
    paper *= np.array([0.97, 0.96, 0.92], dtype=np.float32)  # warm paper, not pure white
    h, w = paper.shape[:2]
    # The desk: about a fifth of the page on each side, mid grey with a coarse texture.
    pad_x, pad_y = int(w * rng.uniform(0.12, 0.22)), int(h * rng.uniform(0.08, 0.16))
    out_w, out_h = w + 2 * pad_x, h + 2 * pad_y
    texture = cv2.GaussianBlur(gen.standard_normal((out_h, out_w)).astype(np.float32), (0, 0), 3)
    desk = rng.uniform(95, 140) + 14 * texture
    canvas = np.repeat(desk[..., None], 3, axis=2) * np.array([1.0, 0.98, 0.93], np.float32)
    # Page corners: turned by 3-6 degrees either way, then each corner pulled a little
    # (a camera not quite above the page).
    angle = np.radians(rng.choice([-1, 1]) * rng.uniform(3, 6))
    centre = np.array([out_w / 2, out_h / 2], np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = (src - [w / 2, h / 2]) @ rot.T + centre
    dst += np.array(
        [[rng.uniform(-0.025, 0.025) * w, rng.uniform(-0.02, 0.02) * h] for _ in range(4)],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(paper, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (out_w, out_h))[..., None]
    image = warped * mask + canvas * (1 - mask)
    # Light from one side: a linear gradient from full light to about two thirds.
    theta = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    ramp = (xs / out_w - 0.5) * np.cos(theta) + (ys / out_h - 0.5) * np.sin(theta)
    light = 1.0 - rng.uniform(0.25, 0.35) * (ramp - ramp.min()) / (ramp.max() - ramp.min())
    image *= light[..., None]
    image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.7, 1.1))
    image += gen.standard_normal(image.shape).astype(np.float32) * 3
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))


def fax(page: Image.Image, rng: random.Random, lines_per_inch: float | None = None) -> Image.Image:
    """A bilevel fax page at the page's own resolution (render it at 150 dpi). With
    `lines_per_inch`, the page (rendered at 204 dpi) is sampled at that many lines down,
    after the skew of its feed, as a fax machine scans it."""
    gen = np.random.default_rng(rng.randrange(2**32))
    gray = page.convert("L").rotate(
        rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=255
    )
    if lines_per_inch:
        w, h = gray.size
        gray = gray.resize(
            (w, round(h * lines_per_inch / RENDER_DPI["fax-standard"])), Image.Resampling.BOX
        )
    a = np.asarray(gray, dtype=np.float32)
    a += gen.standard_normal(a.shape).astype(np.float32) * 12
    bilevel = a > rng.uniform(140, 165)
    h, w = bilevel.shape
    bilevel[gen.random((h, w)) < 0.0004] = False  # specks
    for row in gen.choice(h, size=3, replace=False):  # horizontal streaks of a noisy line
        start = int(gen.integers(0, w // 2))
        bilevel[row, start : start + int(gen.integers(w // 8, w // 2))] = False
    return Image.fromarray((bilevel * 255).astype(np.uint8)).convert("1")


def jpeg(page: Image.Image, rng: random.Random, quality: int = 30) -> Image.Image:
    """The page with light scanner noise, through a JPEG of `quality` and back."""
    gen = np.random.default_rng(rng.randrange(2**32))
    a = np.asarray(page.convert("L"), dtype=np.float32) * rng.uniform(0.92, 0.97)
    a += gen.standard_normal(a.shape).astype(np.float32) * 4
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def capture(condition: str, page: Image.Image, seed: int) -> tuple[bytes, str]:
    """(file bytes, format) of one rendered page captured under `condition`."""
    rng = random.Random(seed)
    buf = io.BytesIO()
    if condition == "photo":
        photo(page, rng).save(buf, "JPEG", quality=rng.randint(70, 85))  # phones tag no dpi
        return buf.getvalue(), "jpeg"
    if condition == "fax150":
        fax(page, rng).save(buf, "TIFF", dpi=(150, 150), compression="group4")
        return buf.getvalue(), "tiff"
    if condition == "fax-standard":
        fax(page, rng, FAX_STANDARD_DPI[1]).save(
            buf, "TIFF", dpi=FAX_STANDARD_DPI, compression="group3"
        )
        return buf.getvalue(), "tiff"
    if condition == "jpeg30":
        # the image is re-saved at the same quality: what a scanner set to "smallest" writes
        jpeg(page, rng).save(buf, "JPEG", quality=30, dpi=(200, 200))
        return buf.getvalue(), "jpeg"
    raise ValueError(f"unknown condition {condition!r}; one of {CONDITIONS}")
