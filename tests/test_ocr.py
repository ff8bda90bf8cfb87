"""Image preparation and Tesseract OCR on statement pages rendered here with Noto Sans CJK."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import cv2
import numpy as np
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract import imageprep, ocr
from extract.types import ExtractError, Page, Word

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LINES = [
    "对账单 Statement of Account",
    "客户名称：上海华东贸易有限公司",
    "Customer No.: C0042",
    "对账期间：2026-10-01 至 2026-10-31",
    "本期收款 ¥8,500.00",
    "期末余额 ¥80,509.61",
    "Amount due: CNY 12,345.67",
    "付款截止日：2026年11月15日",
]


@functools.cache
def render(dpi: int, scanned: bool = False) -> np.ndarray:
    """An A4 page of statement lines, 11 pt; `scanned` adds blur, grey paper, noise, JPEG."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    size = round(11 * dpi / 72)
    font = ImageFont.truetype(FONT, size)
    y = dpi
    for line in LINES:
        draw.text((round(0.8 * dpi), y), line, font=font, fill=0)
        y += 2 * size
    page = np.asarray(img)
    if scanned:
        page = _scan(page)
    page.flags.writeable = False  # cached: shared between tests
    return page


def _scan(page: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(7)
    grey = 225 - (255 - page.astype(np.float32)) * 195 / 255
    grey = cv2.GaussianBlur(grey, (0, 0), 0.8) + rng.normal(0, 10, page.shape)
    speckle = rng.random(page.shape)
    grey[speckle < 0.001] = 0
    out = np.clip(grey, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)


def tilt(page: np.ndarray, degrees: float) -> np.ndarray:
    """The page turned anticlockwise by `degrees` on the same canvas, as a crooked scan."""
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (w, h), borderValue=255)


def turn(page: np.ndarray, anticlockwise: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(page, anticlockwise // 90))


@functools.cache
def read(dpi: int, scanned: bool = False, anticlockwise: int = 0, degrees: float = 0) -> Page:
    page = turn(render(dpi, scanned), anticlockwise)
    if degrees:
        page = tilt(page, degrees)
    return ocr.ocr_page(page, 1, dpi)


def assert_reads_statement(page: Page) -> None:
    text = page.text
    for expected in ("上海华东贸易有限公司", "C0042", "80,509.61", "12,345.67", "8,500.00"):
        assert expected in text, f"{expected!r} not in:\n{text}"


def find(page: Page, text: str) -> Word:
    return next(w for w in page.words if text in w.text)


# -- reading ----------------------------------------------------------------------------


def test_reads_clean_page_at_300_dpi() -> None:
    page = read(300)
    assert_reads_statement(page)
    assert (page.number, page.source, page.dpi, page.rotation) == (1, "ocr", 300, 0)
    assert (page.width, page.height) == (2481, 3507)
    assert all(0.0 <= w.confidence <= 1.0 for w in page.words)
    assert ocr.quality(page.words) > 0.7


@pytest.mark.slow
def test_reads_noisy_scan_at_200_dpi() -> None:
    page = read(200, scanned=True)
    assert_reads_statement(page)
    assert (page.width, page.height) == (1654, 2338)


def test_cjk_characters_are_merged_into_words() -> None:
    page = read(300)
    # label, colon and name are one word: the line reads as printed
    assert any(w.text.startswith("客户名称") for w in page.words), page.text
    assert any(w.text.endswith("上海华东贸易有限公司") for w in page.words), page.text
    # Latin words stay apart, each with its own line number shared across the line
    amount = find(page, "12,345.67")
    line = [w.text for w in page.words if w.line == amount.line]
    assert line[:2] == ["Amount", "due:"]


def test_lines_are_numbered_in_reading_order() -> None:
    lines = read(300).lines()
    assert len(lines) == len(LINES)
    assert lines[0].startswith("对账单")
    assert lines[-1].startswith("付款截止日")


def test_word_boxes_are_in_page_pixels() -> None:
    page = read(300)
    left, top, right, bottom = find(page, "12,345.67").box
    font = ImageFont.truetype(FONT, 46)  # 11 pt at 300 dpi, as render() draws it
    x = 240 + font.getlength("Amount due: CNY ")
    y = 300 + LINES.index("Amount due: CNY 12,345.67") * 92
    assert abs(left - x) < 8
    assert abs(right - (x + font.getlength("12,345.67"))) < 8
    assert y < top < bottom < y + 70


# -- orientation and skew ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("anticlockwise", [90, 180, 270])
def test_turned_pages_are_read_upright(anticlockwise: int) -> None:
    page = read(300, anticlockwise=anticlockwise)
    assert page.rotation == anticlockwise  # turning back clockwise by the same amount
    assert_reads_statement(page)
    assert (page.width, page.height) == (2481, 3507)
    # boxes refer to the upright page: the same place as on the upright scan
    upright_box = find(read(300), "12,345.67").box
    box = find(page, "12,345.67").box
    assert max(abs(a - b) for a, b in zip(box, upright_box, strict=True)) < 8


@pytest.mark.parametrize("anticlockwise", [0, 90, 270])
def test_the_shape_of_words_tells_a_page_read_on_its_side(anticlockwise: int) -> None:
    """Tesseract reads the lines of a page lying on its side as vertical text, as
    confidently as upright ones: its words, taller than wide, tell (and ocr_page then
    turns the page a quarter; a receipt's fixed-pitch columns can mislead the profiles)."""
    words = ocr.read_words(turn(render(200), anticlockwise), 200)
    assert len(words) >= ocr.MIN_DIRECTION_WORDS
    assert ocr.read_down(words) == bool(anticlockwise)


@pytest.mark.parametrize("degrees", [5.0, -5.0, 2.5])
def test_skew_is_measured_and_corrected(degrees: float) -> None:
    prepared = imageprep.prepare(tilt(render(300), degrees), 300)
    assert prepared.rotation == 0
    assert abs(prepared.skew - degrees) <= 1.0  # turned back clockwise by the tilt
    assert abs(imageprep.prepare(prepared.image, 300).skew) < 1.0


@pytest.mark.parametrize("anticlockwise", [90, 270])
def test_sideways_pages_are_detected_without_ocr(anticlockwise: int) -> None:
    prepared = imageprep.prepare(tilt(turn(render(200), anticlockwise), 3.0), 200)
    assert prepared.rotation in (90, 270)  # which of the two is settled by OCR
    assert abs(prepared.skew - 3.0) <= 1.0


@pytest.mark.slow
def test_skewed_scan_is_read() -> None:
    page = read(300, scanned=True, degrees=5.0)
    assert abs(page.skew - 5.0) <= 1.0
    assert_reads_statement(page)
    assert page.width > 2481  # the canvas grew to keep the corners


def test_small_skew_is_left_alone() -> None:
    assert imageprep.prepare(tilt(render(200), 0.1), 200).skew == 0.0


def test_upright_image_matches_page_geometry() -> None:
    original = Image.fromarray(turn(render(200), 90)).convert("RGB")
    prepared = imageprep.prepare(original, 200)
    shown = imageprep.upright_image(original, prepared.rotation, prepared.skew)
    assert shown.mode == "RGB"
    assert shown.size == (prepared.width, prepared.height) == (1654, 2338)


# -- cleaning -------------------------------------------------------------------------------


def test_speckled_scans_are_median_filtered_clean_ones_not() -> None:
    assert imageprep.prepare(render(300, scanned=True), 300).noisy
    assert not imageprep.prepare(render(300), 300).noisy
    prepared = imageprep.prepare(render(300, scanned=True), 300)
    assert set(np.unique(prepared.image)) <= {0, 255}


def test_low_resolution_is_upscaled_and_boxes_scaled_back() -> None:
    prepared = imageprep.prepare(cv2.resize(render(200), None, fx=0.5, fy=0.5), 100)
    assert prepared.scale == 2.0
    assert prepared.image.shape == (prepared.height * 2, prepared.width * 2)


# -- guards and failures --------------------------------------------------------------------


def test_blank_page_has_no_words(monkeypatch) -> None:
    blank = np.full((3508, 2480), 250, np.uint8)
    blank += np.random.default_rng(1).integers(0, 5, blank.shape, dtype=np.uint8)
    monkeypatch.setattr(ocr, "run_tesseract", _never)  # and costs no Tesseract run
    page = ocr.ocr_page(Image.fromarray(blank), 3, 300)
    assert page.words == [] and page.text == ""
    assert (page.number, page.width, page.height) == (3, 2480, 3508)


def _never(*args, **kwargs):
    raise AssertionError("Tesseract should not run")


def test_blank_page_through_tesseract_has_no_words() -> None:
    blank = np.full((1200, 900), 255, np.uint8)
    assert ocr.read_words(blank, 100) == []


@pytest.mark.parametrize(
    "image",
    [
        np.broadcast_to(np.uint8(255), (8000, 8000)),
        np.broadcast_to(np.uint8(255), (8000, 8000, 3)),
    ],
)
def test_huge_images_are_refused(image: np.ndarray) -> None:
    with pytest.raises(ExtractError, match=r"image too large: 8000×8000 pixels, the limit is 60"):
        ocr.ocr_page(image, 1, 300)


def test_huge_pil_image_is_refused_before_conversion() -> None:
    with pytest.raises(ExtractError, match="image too large"):
        imageprep.prepare(Image.new("1", (9000, 7000)), 300)


def test_missing_tesseract_is_explained(monkeypatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(ExtractError, match="Tesseract is not installed"):
        ocr.ocr_page(render(200), 1, 200)


def test_missing_language_is_explained() -> None:
    with pytest.raises(ExtractError, match="language data for 'xyz'"):
        ocr.ocr_page(render(200), 1, 200, lang="xyz")


def test_timeout_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match=r"OCR stopped after 0.01 s"):
        ocr.ocr_page(render(200), 1, 200, timeout=0.01)


def test_single_thread_for_tesseract() -> None:
    assert os.environ["OMP_THREAD_LIMIT"]


# -- Tesseract output parsing ---------------------------------------------------------------


def tsv(*rows: tuple) -> dict[str, list]:
    keys = ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text")
    return {key: [row[i] for row in rows] for i, key in enumerate(keys)}


def test_words_from_data_drops_empty_words_and_numbers_lines() -> None:
    data = tsv(
        (1, 1, 0, 0, 0, 500, 500, -1, ""),  # block row
        (1, 1, 1, 10, 10, 40, 20, 96.5, "Amount"),
        (1, 1, 1, 60, 10, 30, 20, 91, "  "),
        (1, 1, 2, 10, 40, 40, 20, 88, "due"),
        (2, 1, 1, 10, 90, 40, 20, 0, "X"),  # line 1 again, but of block 2
    )
    words = ocr.words_from_data(data)
    assert [(w.text, w.line) for w in words] == [("Amount", 0), ("due", 1), ("X", 2)]
    assert words[0].box == (10, 10, 50, 30)
    assert words[0].confidence == pytest.approx(0.965)


def test_merge_cjk_joins_close_characters_only() -> None:
    def w(text: str, left: float, conf: float = 0.9, line: int = 0) -> Word:
        return Word(text, (left, 100, left + 40, 140), conf, line)

    words = [
        w("客", 0),
        w("户", 44, 0.7),
        w("名称", 88),
        w(":", 140),
        w("上海", 215),  # gaps up to one line height (40 px) join
        w("Ltd", 300),  # Latin next to CJK stays apart
        w("公", 400),
        w("余额", 500),  # a gap of 60 px is a new word
        w("2026", 600),
        w("年", 644),
        w("11", 688),
        w("月", 732),
        w("司", 444, line=1),  # another line
    ]
    merged = ocr.merge_cjk(words)
    assert [m.text for m in merged] == ["客户名称:上海", "Ltd", "公", "余额", "2026年11月", "司"]
    assert merged[0].box == (0, 100, 255, 140)
    assert merged[0].confidence == 0.7


def test_is_cjk() -> None:
    assert all(ocr.is_cjk(c) for c in "客：￥。")
    assert not any(ocr.is_cjk(c) for c in "A1:¥")


# -- lines rebuilt by geometry (word boxes as Tesseract gave them on corpus scans) --------


def test_label_and_value_in_other_blocks_share_a_line() -> None:
    words = [
        # psm 3 put the summary labels in one block and their amounts in another
        Word("期初余额", (240, 1920, 448, 1982), 0.53, 19),
        Word("/Opening", (461, 1933, 632, 1978), 0.53, 19),
        Word("¥419,397.", (1334, 1935, 1536, 1975), 0.9, 19),
        Word("本期发生额/", (240, 2000, 470, 2060), 0.8, 20),
        Word("65", (1540, 1935, 1589, 1970), 0.96, 34),  # the cents, cut off into a block
        Word("¥3,586.13", (1334, 2012, 1589, 2052), 0.9, 35),
    ]
    lines = _lines(ocr.rebuild_lines(words))
    assert lines == ["期初余额 /Opening ¥419,397.65", "本期发生额/ ¥3,586.13"]


def test_rebuilt_lines_keep_digit_groups_and_rows_apart() -> None:
    words = [
        Word("1001", (722, 2192, 773, 2212), 0.95, 3),
        Word("2345", (780, 2192, 833, 2212), 0.95, 3),
        Word("0920", (840, 2192, 893, 2212), 0.91, 3),
        Word("如对本对账单有异议", (206, 2219, 601, 2260), 0.8, 4),  # the next row, close below
        Word("Page", (1300, 2222, 1360, 2258), 0.9, 9),
    ]
    merged = ocr.rebuild_lines(words)
    assert _lines(merged) == ["1001 2345 0920", "如对本对账单有异议 Page"]
    assert [w.line for w in merged] == [0, 0, 0, 1, 1]


def test_tesseract_runs_are_bounded_by_the_slots(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ocr, "SLOTS", 2)
    alive, most, done = [0], [0], []
    lock = threading.Lock()

    def run() -> None:
        with ocr.slot():
            with lock:
                alive[0] += 1
                most[0] = max(most[0], alive[0])
            time.sleep(0.05)
            with lock:
                alive[0] -= 1
        done.append(1)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(done) == 6 and most[0] == 2


def test_tesseract_waits_for_a_free_slot(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ocr, "SLOTS", 1)
    image = np.full((200, 600), 255, np.uint8)
    cv2.putText(image, "Statement 42", (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    read = threading.Event()
    with ocr.slot():
        reader = threading.Thread(target=lambda: (ocr.read_words(image, 300), read.set()))
        reader.start()
        assert not read.wait(1.0)
    assert read.wait(60)
    reader.join()


def test_a_slot_held_by_a_killed_process_is_free_again(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ocr, "SLOTS", 1)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom extract import ocr\nocr.SLOTS = 1\n"
         "with ocr.slot():\n    print('held', flush=True)\n    time.sleep(60)"],
        env={**os.environ, "TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        got = threading.Event()

        def take() -> None:
            with ocr.slot():
                got.set()

        waiter = threading.Thread(target=take, daemon=True)
        waiter.start()
        assert not got.wait(0.5)  # the one slot is the other process's
        holder.send_signal(signal.SIGKILL)
        assert got.wait(5)  # the kernel freed it with the process
    finally:
        holder.kill()
        holder.wait()


def _lines(words: list[Word]) -> list[str]:
    return Page(1, 2480, 3508, 300, "ocr", words=words).lines()


def test_a_page_holds_its_slot_from_preparation_to_its_last_run(monkeypatch, tmp_path) -> None:
    """A page waiting for a core holds no prepared images: the slot is taken before the
    preparation, and the page's own Tesseract runs use it rather than wait for another."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ocr, "SLOTS", 1)
    image = np.full((400, 1200), 255, np.uint8)
    cv2.putText(image, "Statement 42", (40, 220), cv2.FONT_HERSHEY_SIMPLEX, 3, 0, 6)
    other_got_one = threading.Event()
    waiters = []
    prepare = imageprep.prepare

    def preparing(*args, **kwargs):
        def other() -> None:
            with ocr.slot():
                other_got_one.set()

        waiters.append(threading.Thread(target=other, daemon=True))
        waiters[-1].start()
        assert not other_got_one.wait(0.3)  # the one slot is this page's already
        return prepare(*args, **kwargs)

    monkeypatch.setattr(imageprep, "prepare", preparing)
    page = ocr.ocr_page(Image.fromarray(image), 1, 300, timeout=60)
    assert "Statement" in " ".join(w.text for w in page.words)
    assert other_got_one.wait(10)  # free again once the page is read
