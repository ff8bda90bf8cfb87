"""Finance: search, facets, browse, document page, download, page images, CSV export."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from archive import db
from archive.models import AuditEvent
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    STATEMENT,
    add_customer,
    app,
    as_role,
    make_document,
    users,
)

OTHER = [
    "对账单",
    "客户名称：北京中科联创科技有限公司",
    "客户编号：C002",
    "对账期间：2025年3月",
    "应付金额：¥1,200.00",
]


def two_documents() -> tuple[int, int]:
    add_customer("C001", "上海华东贸易有限公司")
    add_customer("C002", "北京中科联创科技有限公司")
    a = make_document()
    b = make_document(
        {
            "customer_code": ("C002", 1.0),
            "customer_name": ("北京中科联创科技有限公司", 1.0),
            "period": ("2025-03", 1.0),
            "amount_due": ("1200.00", 1.0),
        },
        lines=OTHER,
        filename="=HYPERLINK(evil).pdf",
    )
    return a, b


def test_search_by_amount_and_by_chinese_word(as_role):
    a, b = two_documents()
    client = as_role("finance")
    html = client.get("/search?amount=80,509.61").get_data(as_text=True)
    assert f'data-id="{a}"' in html and f'data-id="{b}"' not in html
    assert "¥80,509.61" in html
    html = client.get("/search?q=中科联创").get_data(as_text=True)
    assert f'data-id="{b}"' in html and f'data-id="{a}"' not in html
    assert "<mark>中科联创</mark>" in html
    html = client.get("/search?amount_min=1000&amount_max=2000").get_data(as_text=True)
    assert f'data-id="{b}"' in html and f'data-id="{a}"' not in html
    html = client.get("/search?period_from=2026-01&period_to=2026-12").get_data(as_text=True)
    assert f'data-id="{a}"' in html and f'data-id="{b}"' not in html
    # months typed as people type them, in a text field rather than the browser's picker
    html = client.get("/search?period_from=2026年1月&period_to=2026/12").get_data(as_text=True)
    assert f'data-id="{a}"' in html and f'data-id="{b}"' not in html
    assert 'type="month"' not in html and '<input type="text" name="period_from"' in html


def test_facets_and_filters(as_role):
    a, b = two_documents()
    client = as_role("finance")
    html = client.get("/search").get_data(as_text=True)
    assert "上海华东贸易有限公司" in html and "北京中科联创科技有限公司" in html
    assert "2026" in html and "2025" in html  # years, with their months
    assert "/search?customer=C002" in html
    html = client.get("/search?customer=C002").get_data(as_text=True)
    assert f'data-id="{b}"' in html and f'data-id="{a}"' not in html
    html = client.get("/search?period=2026-10").get_data(as_text=True)
    assert f'data-id="{a}"' in html and f'data-id="{b}"' not in html
    html = client.get("/search?status=accepted&sort=-amount").get_data(as_text=True)
    assert html.index(f'data-id="{a}"') < html.index(f'data-id="{b}"')


def test_bad_filters_say_what_is_wrong(as_role):
    html = as_role("finance").get("/search?amount=abc&period=2026-13").get_data(as_text=True)
    assert "abc is not an amount" in html or "“abc”不是金额" in html
    assert "2026-13" in html


def test_pagination(as_role):
    for n in range(23):
        make_document(
            {"amount_due": (f"{n}.00", 1.0)},
            lines=[f"应付金额：¥{n}.00", "上海华东贸易有限公司 Account Statement"],
        )
    client = as_role("finance")
    first = client.get("/search?q=华东", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count('class="hit card"') == 20
    second = client.get("/search?q=华东&page=2").get_data(as_text=True)
    assert second.count('class="hit card"') == 3


def test_browse_customer_year_month(as_role):
    a, _b = two_documents()
    client = as_role("finance")
    assert "上海华东贸易有限公司" in client.get("/browse").get_data(as_text=True)
    html = client.get("/browse/C001", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2026" in html and "Oct 2026" in html and "missing" in html
    html = client.get("/browse/C001/2026").get_data(as_text=True)
    assert f"/documents/{a}" in html


def test_document_page_shows_fields_sources_and_boxes(as_role):
    a, _b = two_documents()
    html = as_role("finance").get(f"/documents/{a}", headers={"Accept-Language": "en"})
    text = html.get_data(as_text=True)
    assert "80,509.61" in text and "Oct 2026" in text
    assert 'class="box' in text and 'data-field="amount_due"' in text
    assert f"/documents/{a}/pages/1.png" in text
    assert "Correct fields" not in text  # finance does not correct
    with db.session() as s:
        views = s.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
        assert [(e.user, e.document_id) for e in views] == [("finance", a)]


def test_download_original_is_an_audited_attachment(as_role):
    a, _b = two_documents()
    resp = as_role("finance").get(f"/documents/{a}/original")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.mimetype == "application/pdf"
    with db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "download"))
        assert (event.user, event.document_id) == ("finance", a)


def test_page_image_is_rendered_once_and_cached(as_role, data_dir):
    a, _b = two_documents()
    client = as_role("finance")
    resp = client.get(f"/documents/{a}/pages/1.png")
    assert resp.status_code == 200 and resp.data.startswith(b"\x89PNG")
    cached = list((data_dir / "pages").rglob("*.png"))
    assert len(cached) == 1
    from PIL import Image

    width, height = Image.open(io.BytesIO(resp.data)).size
    assert abs(width / height - 595.28 / 841.89) < 0.01  # the page's own shape (A4)
    assert client.get(f"/documents/{a}/pages/2.png").status_code == 404
    assert client.get("/documents/999/pages/1.png").status_code == 404


def test_csv_export_is_excel_friendly(as_role):
    a, b = two_documents()
    resp = as_role("finance").get("/search/export.csv?sort=period")
    assert resp.mimetype == "text/csv"
    assert resp.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [str(b), str(a)]
    assert rows[1]["customer_name"] == "上海华东贸易有限公司"
    assert rows[1]["amount_due"] == "80509.61"
    assert rows[0]["file"].startswith("'=")  # formula injection defused
    with db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
        assert event.detail["rows"] == 2


def test_unknown_document_is_404(as_role):
    assert as_role("finance").get("/documents/12345").status_code == 404


def test_statement_text_is_searchable_like_the_cli(as_role):
    """The web search runs the same query as `stmt search --json`."""
    from decimal import Decimal

    from index.base import SearchQuery
    from index.service import run_search

    a, _b = two_documents()
    result = run_search(SearchQuery(amount=Decimal("80509.61")), None)
    assert [h.id for h in result.hits] == [a]
    assert STATEMENT[1].split("：")[1] in as_role("reviewer").get("/search?q=华东贸易").get_data(
        as_text=True
    )
