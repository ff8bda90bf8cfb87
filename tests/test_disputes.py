"""The customer's answer to a statement: confirmed with a signed copy (found by its QR code),
or disputed, with the dispute's history in the audit log and as search facets."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import json
import zlib
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive import audit, config, db
from archive.models import AuditEvent, RawCode
from archive.secret import server_key
from extract import qrpayload
from extract.coversheet import cover_code
from ingest.cli import main
from services.disputes import (
    DisputeError,
    confirm,
    disputes,
    open_dispute,
    statement_for_signed_copy,
    update_dispute,
)
from tests.web_fixtures import STATEMENT, app, as_role, make_document, users  # noqa: F401


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def signed_copy(payload: str) -> int:
    """A scanned signed copy: another document carrying the statement's QR code."""
    doc_id = make_document(
        {"customer_code": ("C001", 1.0), "period": ("2026-10", 1.0)},
        lines=[*STATEMENT, f"客户签章：已确认 Confirmed {zlib.crc32(payload.encode())}"],
        filename="signed.pdf",
    )
    with db.session() as s:
        s.add(RawCode(document_id=doc_id, type="QRCODE", data=payload, page=1, box=None))
    return doc_id


@pytest.fixture
def statement(data_dir):
    return make_document(
        {"customer_code": ("C001", 1.0), "period": ("2026-10", 1.0),
         "statement_no": ("ST-202610-0001", 1.0), "amount_due": ("80509.61", 1.0)}
    )


def test_signed_copy_found_by_its_qr_code(statement):
    key = server_key(config.load())
    own = qrpayload.build(
        qrpayload.StatementCode("C001", "2026-10", D("80509.61"), number="ST-202610-0001"), key
    )
    copy = signed_copy(own)
    with db.session() as s:
        assert statement_for_signed_copy(s, copy) == statement
        row = confirm(s, None, user="fin", signed_id=copy)
        assert (row.document_id, row.state) == (statement, "confirmed")
        assert row.signed_document_id == copy
    cover = signed_copy(qrpayload.build(cover_code("C001", "2026-10"), key))
    with db.session() as s:
        assert statement_for_signed_copy(s, cover) == statement
    stranger = signed_copy(qrpayload.build(cover_code("C999", "2026-10"), key))
    forged = signed_copy(qrpayload.build(cover_code("C001", "2026-10"), b"not ours"))
    with db.session() as s:
        for doc_id in (stranger, forged):
            with pytest.raises(DisputeError, match="no statement matches"):
                confirm(s, None, user="fin", signed_id=doc_id)


def test_dispute_history_audit_and_facets(statement):
    with db.session() as s:
        d = open_dispute(s, statement, user="fin", reason="发票 INV-9 未收到", owner="li",
                         amount=D("1200.00"))
        dispute_id = d.id
    with db.session() as s:
        update_dispute(s, dispute_id, user="li", status="investigating", note="已联系客户")
        update_dispute(s, dispute_id, user="li", owner="wang")
        with pytest.raises(DisputeError, match="nothing to change"):
            update_dispute(s, dispute_id, user="li")
        with pytest.raises(DisputeError, match="status must be one of"):
            update_dispute(s, dispute_id, user="li", status="closed")
    cli("reindex")
    with db.session() as s:
        [d] = disputes(s)
        assert [(h["user"], h["status"]) for h in d.history] == [
            ("fin", "open"), ("li", "investigating"), ("li", "investigating")
        ]
        assert d.owner == "wang" and d.notes == "已联系客户" and d.amount == D("1200.00")
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.document_id == statement)
        ).all()
        assert actions[-3:] == ["dispute_opened", "dispute_updated", "dispute_updated"]
        assert audit.verify(s).ok
    found = json.loads(cli("search", "--dispute", "investigating", "--json"))
    assert [h["id"] for h in found["hits"]] == [statement]
    assert found["facets"]["confirmation"] == {"disputed": 1}
    assert found["facets"]["dispute"] == {"investigating": 1}
    listed = [json.loads(x) for x in cli("disputes", "list", "--json").splitlines()]
    assert [(x["id"], x["status"], x["amount"], x["owner"]) for x in listed] == [
        (dispute_id, "investigating", "1200.00", "wang")
    ]
    assert cli("disputes", "list", "--status", "resolved", "--json") == ""


def test_cli_confirm_and_dispute(statement):
    out = CliRunner().invoke(main, ["disputes", "open", str(statement), "--reason", "金额不符",
                                    "--owner", "li", "--amount", "12abc"])
    assert out.exit_code == 2 and "not an amount" in out.output
    obj = json.loads(cli("disputes", "open", str(statement), "--reason", "金额不符", "--owner",
                         "li", "--amount", "1,000.5", "--json", "--user", "zhang"))
    assert (obj["amount"], obj["status"], obj["history"][0]["user"]) == ("1000.50", "open", "zhang")
    assert "is resolved" in cli("disputes", "update", str(obj["id"]), "--status", "resolved")
    assert "confirmed" in cli("confirm", str(statement))
    found = json.loads(cli("search", "--confirmation", "confirmed", "--json"))
    assert [h["id"] for h in found["hits"]] == [statement]
    missing = CliRunner().invoke(main, ["confirm", "999"])
    assert missing.exit_code == 1 and "no document 999" in missing.output


def test_web_flow_for_finance(statement, as_role):
    finance = as_role("finance")
    finance.post("/language", data={"locale": "en"})
    page = finance.get(f"/documents/{statement}").get_data(as_text=True)
    assert "dispute-form" in page and "No answer from the customer yet." in page
    finance.post(f"/documents/{statement}/disputes",
                 data={"amount": "50", "reason": "<script>x</script>", "owner": "li"})
    page = finance.get(f"/documents/{statement}").get_data(as_text=True)
    assert 'data-answer="disputed"' in page and "&lt;script&gt;x&lt;/script&gt;" in page
    with db.session() as s:
        [d] = disputes(s)
    resp = finance.post(f"/disputes/{d.id}", data={"status": "written_off", "note": "小额核销",
                                                    "back": "list"}, follow_redirects=True)
    assert "Dispute updated." in resp.get_data(as_text=True)
    assert f'data-dispute="{d.id}" data-status="written_off"' in resp.get_data(as_text=True)
    bad = finance.post(f"/documents/{statement}/disputes", data={"reason": "", "owner": "li"},
                       follow_redirects=True)
    assert "reason is required" in bad.get_data(as_text=True)
    assert "written_off" in finance.get("/search?dispute=written_off").get_data(as_text=True)
    finance.post(f"/documents/{statement}/confirm", data={"signed": ""})
    assert 'data-answer="confirmed"' in finance.get(f"/documents/{statement}").get_data(
        as_text=True
    )
    reviewer = as_role("reviewer")
    assert "dispute-form" not in reviewer.get(f"/documents/{statement}").get_data(as_text=True)
    assert reviewer.post(f"/documents/{statement}/confirm").status_code == 403
    assert reviewer.get("/disputes").status_code == 403
    zh = as_role("admin")
    zh.post("/language", data={"locale": "zh"})
    assert "已核销" in zh.get("/disputes").get_data(as_text=True)
    assert finance.post("/disputes/999", data={"status": "open"}).status_code == 404
