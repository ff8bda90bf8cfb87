"""Cover sheets, sticker labels and the QR image API carry our checksummed payload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from extract import qrpayload
from extract.coversheet import CoverError, cover_pdf, label_pdf, qr_png, qr_svg
from extract.pipeline import find_codes
from tests.helpers import stmt


def test_cover_sheet_pages_carry_the_cover_code():
    pdf = cover_pdf("C0042", "Northwind Trading Ltd.", "2026-10", count=2)
    codes = find_codes(pdf)
    assert [c.page for c in codes] == [1, 2]
    sc = qrpayload.parse(codes[0].data)
    assert (sc.customer, sc.period, sc.kind, sc.amount) == ("C0042", "2026-10", "cover", None)
    assert "|cur=" not in codes[0].data  # a cover says nothing about amount or currency


def test_cover_code_survives_a_poor_200_dpi_scan():
    import numpy as np

    from extract.codes import read_codes
    from tests.corpus import rasterize

    img = rasterize(cover_pdf("C0001", "上海华信贸易有限公司", "2026-03"), 200)[0]
    img = img.rotate(-2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) * 0.9 + np.random.default_rng(3).normal(
        0, 15, img.size[::-1]
    )
    noisy = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    [code] = [c for c in read_codes(noisy, 1) if c.type == "QRCODE"]
    assert qrpayload.parse(code.data).customer == "C0001"


def test_labels_are_statement_codes_not_separators():
    pdf = label_pdf("C0002", None, "2026-11", count=30, number="ST-9")
    codes = find_codes(pdf)
    assert {c.page for c in codes} == {1, 2}
    sc = qrpayload.parse(codes[0].data)
    assert sc.kind is None and sc.number == "ST-9"


def test_bad_input_is_refused():
    with pytest.raises(CoverError):
        cover_pdf("C|1", None, "2026-10")
    with pytest.raises(CoverError):
        cover_pdf("C1", None, "2026-13")
    with pytest.raises(CoverError):
        label_pdf("C1", None, "2026-10", count=0)


def test_qr_images():
    payload = qrpayload.build(qrpayload.StatementCode("C0042", "2026-10"))
    assert Image.open(io.BytesIO(qr_png(payload))).format == "PNG"
    assert qr_svg(payload).lstrip().startswith(b"<?xml")


def test_stmt_qr_cover_and_label(tmp_path):
    env = {"STMT_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "cover.pdf"
    stmt("qr", "cover", "--customer", "C0042", "--period", "2026-10", "--count", "3",
         "--out", str(out), env=env)  # fmt: skip
    assert len(find_codes(out.read_bytes())) == 3
    labels = tmp_path / "labels.pdf"
    stmt("qr", "label", "--customer", "C0042", "--period", "2026-10", "--out", str(labels), env=env)
    assert find_codes(labels.read_bytes())
    bad = stmt("qr", "cover", "--customer", "C1", "--period", "2026-1", "--out", str(out),
               env=env, check=False)  # fmt: skip
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr


@pytest.fixture
def client(data_dir):
    from archive import db
    from archive.users import add_user, create_token
    from web.app import create_app
    from web.qr import qr_api

    app = create_app({"TESTING": True})
    if "qr_api" not in app.blueprints:  # the app registers it once wired in
        app.register_blueprint(qr_api)
    with db.session() as s:
        token = create_token(s, add_user(s, "billing", "finance", "long enough password"))
    return app.test_client(), {"Authorization": f"Bearer {token}"}


def test_qr_api(client):
    c, auth = client
    assert c.get("/api/v1/qr?customer=C0042&period=2026-10").status_code == 401
    resp = c.get(
        "/api/v1/qr?customer=C0042&period=2026-10&amount=12,345.67&number=ST-1", headers=auth
    )
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    payload = resp.headers["X-Statement-Payload"]
    assert str(qrpayload.parse(payload).amount) == "12345.67"
    from extract.codes import read_codes

    [code] = read_codes(Image.open(io.BytesIO(resp.data)), 1)
    assert code.data == payload
    svg = c.get("/api/v1/qr", query_string={"payload": payload, "format": "svg"}, headers=auth)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    broken = payload[:-1] + ("0" if payload[-1] != "0" else "1")
    bad = c.get("/api/v1/qr", query_string={"payload": broken}, headers=auth)
    assert bad.status_code == 400 and "checksum" in bad.get_json()["message"]
    assert (
        c.get("/api/v1/qr?customer=C1&period=2026-10&format=gif", headers=auth).status_code == 400
    )
