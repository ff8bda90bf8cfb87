"""Per-customer access: a sensitive customer's statements exist only for admins and those granted
it, in search, facets, totals, pages, originals, CSV exports and the API, on both backends."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive import access, db
from archive.models import AuditEvent, FieldRow
from archive.users import FINANCE, REVIEWER, User, add_user, create_token
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    PASSWORD,
    add_customer,
    app,
    as_role,
    login,
    make_document,
    users,
)

SECRET = [
    "对账单",
    "客户名称：北京中科联创科技有限公司",
    "客户编号：C002",
    "对账期间：2025年3月",
    "应付金额：¥1,200.00",
]
NO_CUSTOMER = ["对账单", "期末余额：¥3,300.00", "对账期间：2025年4月"]


@pytest.fixture(params=["sqlite", pytest.param("elastic", marks=pytest.mark.slow)])
def backend_env(request, data_dir, monkeypatch):
    """The web app searching SQLite, or a real Elasticsearch under an index of its own."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    from index.elastic import ElasticBackend

    url = request.getfixturevalue("elasticsearch_url")
    prefix = f"access-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("STMT_SEARCH_URL", url)
    monkeypatch.setenv("STMT_SEARCH_INDEX", prefix)
    yield "elastic"
    es = ElasticBackend.from_url(url)
    es.client.indices.delete(index=f"{prefix}-v*", ignore_unavailable=True)
    es.close()


@pytest.fixture
def world(backend_env, app, users):
    """C001 open, C002 sensitive; a statement of each and one without a customer; finance users
    with no grant, a direct grant and a grant through a group."""
    from archive import config
    from index.documents import backend

    kind = type(backend(config.load())).__name__
    assert kind == {"sqlite": "SqliteBackend", "elastic": "ElasticBackend"}[backend_env]
    add_customer("C001", "上海华东贸易有限公司")
    add_customer("C002", "北京中科联创科技有限公司")
    public = make_document()
    secret = make_document(
        {
            "customer_code": ("C002", 1.0),
            "customer_name": ("北京中科联创科技有限公司", 1.0),
            "period": ("2025-03", 1.0),
            "amount_due": ("1200.00", 1.0),
        },
        lines=SECRET,
        status="needs_review",
        filename="secret.pdf",
    )
    loose = make_document(
        {"period": ("2025-04", 1.0), "amount_due": ("3300.00", 1.0)},
        lines=NO_CUSTOMER,
        status="needs_review",
        filename="loose.pdf",
    )
    with db.session() as s:
        for name, role in (("direct", FINANCE), ("member", FINANCE), ("auditor", REVIEWER)):
            add_user(s, name, role, PASSWORD)
        access.set_sensitive(s, "C002", True, by="test")
        access.grant(s, "C002", user="direct", by="test")
        access.add_group(s, "audit", by="test")
        for name in ("member", "auditor"):
            access.add_member(s, "audit", name, by="test")
        access.grant(s, "C002", group="audit", by="test")
    return {"public": public, "secret": secret, "loose": loose}


def client_for(app, name: str):
    client = app.test_client()
    assert login(client, name).status_code == 302
    return client


def token_for(name: str) -> dict[str, str]:
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        return {"Authorization": f"Bearer {create_token(s, user)}"}


def denials(name: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == access.DENIED, AuditEvent.user == name)
                .order_by(AuditEvent.id)
            )
        )


def csv_ids(client, query: str = "") -> list[int]:
    resp = client.get(f"/search/export.csv{query}")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    return sorted(int(r[0]) for r in rows[1:])


def api_search(client, headers, query: str = "") -> dict:
    resp = client.get(f"/api/v1/search{query}", headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json


def sees_everything(app, name: str, world) -> None:
    """What someone allowed to see C002 gets, through every door."""
    client = client_for(app, name)
    secret = world["secret"]
    html = client.get("/search?q=中科联创").get_data(as_text=True)
    assert f'data-id="{secret}"' in html
    assert client.get(f"/documents/{secret}").status_code == 200
    assert client.get(f"/documents/{secret}/original").status_code == 200
    assert client.get(f"/documents/{secret}/pages/1.png").status_code == 200
    assert csv_ids(client) == sorted(world.values())
    headers = token_for(name)
    body = api_search(client, headers)
    assert body["total"] == 3
    assert body["facets"]["customer"] == {"C001": 1, "C002": 1}
    assert api_search(client, headers, "?q=中科联创")["total"] == 1
    for path in ("", "/original", "/history"):
        assert client.get(f"/api/v1/documents/{secret}{path}", headers=headers).status_code == 200
    assert not denials(name)


def test_without_a_grant_the_statements_do_not_exist(app, world):
    secret, missing = world["secret"], 10**6
    client = client_for(app, "finance")

    # search page, facets and totals
    html = client.get("/search", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'data-id="{world["public"]}"' in html and f'data-id="{world["loose"]}"' in html
    assert f'data-id="{secret}"' not in html and "C002" not in html and "中科联创" not in html
    assert f'data-id="{secret}"' not in client.get("/search?q=中科联创").get_data(as_text=True)
    assert "中科联创" not in client.get("/browse").get_data(as_text=True)

    # pages, originals and page images answer as for a document that does not exist
    for path in ("", "/original", "/pages/1.png"):
        assert client.get(f"/documents/{secret}{path}").status_code == 404
        assert client.get(f"/documents/{missing}{path}").status_code == 404
    for path in ("/browse/C002", "/browse/C002/2025", "/browse/C999"):
        assert client.get(path).status_code == 404

    # CSV export
    assert csv_ids(client) == sorted([world["public"], world["loose"]])
    assert csv_ids(client, "?customer=C002") == []
    assert csv_ids(client, "?amount=1200") == []

    # the API: search, facets, totals, document, original, history
    headers = token_for("finance")
    body = api_search(client, headers)
    assert body["total"] == 2
    assert {h["id"] for h in body["hits"]} == {world["public"], world["loose"]}
    assert body["facets"]["customer"] == {"C001": 1}
    assert body["facets"]["status"] == {"accepted": 1, "needs_review": 1}
    assert api_search(client, headers, "?q=中科联创")["total"] == 0
    unknown = api_search(client, headers, "?customer=C9")
    assert api_search(client, headers, "?customer=C002") == unknown
    for path in ("", "/original", "/history"):
        resp = client.get(f"/api/v1/documents/{secret}{path}", headers=headers)
        gone = client.get(f"/api/v1/documents/{missing}{path}", headers=headers)
        assert resp.status_code == gone.status_code == 404
        assert resp.json["message"].replace(str(secret), "N") == gone.json["message"].replace(
            str(missing), "N"
        )

    # every refusal is audited, with who, what and which document
    events = denials("finance")
    refused = [e for e in events if e.document_id == secret]
    assert len(refused) == 6
    assert {e.detail["path"] for e in refused} >= {
        f"/documents/{secret}",
        f"/documents/{secret}/original",
        f"/api/v1/documents/{secret}/history",
    }
    assert {e.detail["what"] for e in events} == {"document", "customer", "search"}
    assert not any(e.document_id == missing for e in events)


def test_reviewers_without_a_grant_neither_see_nor_correct_it(app, world):
    secret = world["secret"]
    client = client_for(app, "reviewer")
    queue = client.get("/review/").get_data(as_text=True)
    assert "secret.pdf" not in queue and "loose.pdf" in queue
    assert client.get(f"/review/{secret}").status_code == 404
    resp = client.post(f"/review/{secret}", data={"amount_due": "1.00"})
    assert resp.status_code == 404
    headers = token_for("reviewer")
    resp = client.patch(
        f"/api/v1/documents/{secret}/fields", json={"amount_due": "2.00"}, headers=headers
    )
    assert resp.status_code == 404
    with db.session() as s:
        amount = s.scalar(
            select(FieldRow.value).where(
                FieldRow.document_id == secret, FieldRow.name == "amount_due"
            )
        )
    assert amount == "1200.00"
    assert len([e for e in denials("reviewer") if e.document_id == secret]) == 3
    # a reviewer in the granted group reviews it
    member = client_for(app, "auditor")
    assert "secret.pdf" in member.get("/review/").get_data(as_text=True)
    assert member.get(f"/review/{secret}").status_code == 200


def test_a_direct_grant_or_a_group_lets_users_see_it(app, world):
    sees_everything(app, "direct", world)
    sees_everything(app, "member", world)


def test_admins_see_everything(app, world):
    sees_everything(app, "admin", world)


def test_revoking_and_leaving_the_group_take_effect_at_once(app, world):
    secret = world["secret"]
    direct, member = client_for(app, "direct"), client_for(app, "member")
    assert direct.get(f"/documents/{secret}").status_code == 200
    with db.session() as s:
        assert access.revoke(s, "C002", user="direct", by="test")
        assert access.remove_member(s, "audit", "member", by="test")
    for client in (direct, member):
        assert client.get(f"/documents/{secret}").status_code == 404
        assert csv_ids(client) == sorted([world["public"], world["loose"]])
    with db.session() as s:
        access.set_sensitive(s, "C002", False, by="test")
    assert csv_ids(member) == sorted(world.values())  # no longer sensitive: everyone sees it


def test_the_archive_decides_when_the_index_lags(app, world):
    """A statement moved to a sensitive customer while the index still has the old code."""
    public = world["public"]
    with db.session() as s:
        row = s.scalar(
            select(FieldRow).where(FieldRow.document_id == public, FieldRow.name == "customer_code")
        )
        row.value = "C002"  # as a correction does, but the index has not heard of it
    client = client_for(app, "finance")
    body = api_search(client, token_for("finance"), "?customer=C001")
    assert public not in [h["id"] for h in body["hits"]]
    assert public not in csv_ids(client)
    assert client.get(f"/documents/{public}").status_code == 404


# -- managing access --------------------------------------------------------------------------


def test_admin_pages_flag_customers_and_manage_groups_and_grants(as_role, data_dir):
    add_customer("C001", "上海华东贸易有限公司")
    admin = as_role("admin")
    assert as_role("finance").get("/admin/access").status_code == 403

    def post(path: str, **form) -> str:
        resp = admin.post(path, data=form, headers={"Accept-Language": "en"})
        assert resp.status_code == 302
        return admin.get("/admin/access", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Customer C001 is sensitive now." in post("/admin/access/sensitive", code="C001", on="1")
    assert "There is no customer C404." in post("/admin/access/sensitive", code="C404", on="1")
    assert "Group audit added." in post("/admin/groups", name="audit")
    assert "finance added to group audit." in post(
        "/admin/groups/members", name="audit", member="finance", add="1"
    )
    assert "audit may see customer C001." in post(
        "/admin/access/grant", code="C001", grantee="group:audit"
    )
    assert "reviewer may see customer C001." in post(
        "/admin/access/grant", code="C001", grantee="user:reviewer"
    )
    assert "Name one user or one group." in post("/admin/access/grant", code="C001", grantee="")
    with db.session() as s:
        assert access.grants(s) == {"C001": (["reviewer"], ["audit"])}
        finance = s.scalar(select(User).where(User.name == "finance"))
        mailroom = s.scalar(select(User).where(User.name == "mailroom"))
        assert access.hidden_customers(s, finance) == frozenset()
        assert access.hidden_customers(s, mailroom) == {"C001"}

    zh = admin.get("/admin/access", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "敏感客户" in zh and "用户组" in zh and "撤销" in zh
    assert "敏感" in admin.get("/admin/customers").get_data(as_text=True)

    assert "reviewer may no longer see customer C001." in post(
        "/admin/access/revoke", code="C001", grantee="user:reviewer"
    )
    assert "finance taken out of group audit." in post(
        "/admin/groups/members", name="audit", member="finance", add="0"
    )
    assert "Group audit removed." in post("/admin/groups/remove", name="audit")
    assert "Customer C001 is no longer sensitive." in post(
        "/admin/access/sensitive", code="C001", on="0"
    )
    with db.session() as s:
        assert access.grants(s) == {} and access.groups(s) == []
        actions = set(s.scalars(select(AuditEvent.action)))
    assert actions >= {
        "customer_sensitive",
        "group_added",
        "group_member_added",
        "access_granted",
        "access_revoked",
        "group_member_removed",
        "group_removed",
    }


def test_command_line(data_dir):
    from ingest.cli import main

    def stmt(*args: str):
        return CliRunner().invoke(main, list(args))

    add_customer("C001", "上海华东贸易有限公司")
    with db.session() as s:
        add_user(s, "ann", FINANCE, PASSWORD)
    assert stmt("customers", "sensitive", "C001", "--on").exit_code == 0
    assert stmt("access", "list").output.split() == ["C001", "(admins", "only)"]
    assert stmt("groups", "add", "audit", "--member", "ann").exit_code == 0
    assert stmt("access", "grant", "C001", "--group", "audit").exit_code == 0
    assert stmt("access", "grant", "C001", "--user", "ann").exit_code == 0
    assert stmt("access", "list").output.split() == ["C001", "ann,", "@audit"]
    assert stmt("groups", "list").output.split() == ["audit", "ann"]

    refused = stmt("access", "grant", "C001", "--user", "nobody")
    assert refused.exit_code == 1 and "There is no user nobody." in refused.output
    both = stmt("access", "grant", "C001", "--user", "ann", "--group", "audit")
    assert both.exit_code == 2 and "--user NAME or --group NAME" in both.output
    assert "There is no customer C9" in stmt("customers", "sensitive", "C9", "--off").output

    assert stmt("access", "revoke", "C001", "--user", "ann").exit_code == 0
    assert stmt("groups", "remove", "audit", "--member", "ann").exit_code == 0
    assert stmt("groups", "list").output.split() == ["audit", "(no", "members)"]
    assert stmt("groups", "remove", "audit").exit_code == 0
    assert stmt("access", "list").output.split() == ["C001", "(admins", "only)"]
    assert stmt("customers", "sensitive", "C001", "--off").exit_code == 0
    assert stmt("access", "list").output == ""


def test_every_refusal_reason_has_its_chinese():
    from archive.translations_zh import ZH

    source = Path(access.__file__).read_text(encoding="utf-8")
    texts = re.findall(r'AccessError\(\s*"([^"]+)"', source)
    assert len(texts) >= 5
    assert [t for t in texts if t not in ZH] == []


def test_export_rows_are_checked_against_the_archive(app, world):
    """Between the search and the export of its rows a statement may change customer."""
    from web.search import _export_rows

    ids = sorted(world.values())
    assert [r[0] for r in _export_rows(ids, frozenset())] == ids
    left = [r[0] for r in _export_rows(ids, frozenset({"C001"}))]
    assert left == [world["secret"], world["loose"]]


def test_a_hidden_customer_cannot_be_named_in_a_correction(app, world):
    """To a reviewer without a grant a sensitive customer is as unknown as a made-up code."""
    loose = world["loose"]
    client = client_for(app, "reviewer")
    headers = token_for("reviewer")
    answers = [
        client.patch(
            f"/api/v1/documents/{loose}/fields", json={"customer_code": code}, headers=headers
        )  # fmt: skip
        for code in ("C002", "C999")
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json["message"].replace("C002", "X") == answers[1].json["message"].replace(
        "C999", "X"
    )
    resp = client_for(app, "auditor").patch(
        f"/api/v1/documents/{loose}/fields", json={"customer_code": "c002"},
        headers=token_for("auditor"),
    )  # fmt: skip
    assert resp.status_code == 200 and resp.json["corrections"][0]["new"] == "C002"
    assert client.get(f"/review/{loose}").status_code == 404  # now a sensitive customer's


def test_a_batch_holding_a_hidden_statement_is_hidden_too(app, world):
    """The original of a scan batch (or an email) holds the pages of every part cut from it."""
    from archive import config, documents
    from archive.models import SPLIT, Document
    from tests.web_fixtures import statement_pdf

    with db.session() as s:
        batch, _new = documents.register(
            s, config.load(), statement_pdf([*SECRET, "第二页"]), "batch.pdf", source="upload"
        )
        batch.status = SPLIT
        s.get(Document, world["secret"]).parent_id = batch.id
        batch_id = batch.id
    finance, member = client_for(app, "finance"), client_for(app, "member")
    assert finance.get(f"/documents/{batch_id}/original").status_code == 404
    assert [e.document_id for e in denials("finance")] == [batch_id]
    assert member.get(f"/documents/{batch_id}/original").status_code == 200
    with db.session() as s:
        s.get(Document, world["secret"]).parent_id = None
    assert finance.get(f"/documents/{batch_id}/original").status_code == 200


def test_the_rules_on_sqlite_and_postgresql(archive):
    """Who sees what, straight from the archive, on both databases the archive runs on."""
    from archive.models import Customer, Document
    from archive.users import ADMIN

    with db.session() as s:
        s.add_all([Customer(code=c, name=c) for c in ("A", "B", "C")])
        people = {n: add_user(s, n, r, PASSWORD) for n, r in
                  (("ann", FINANCE), ("bo", FINANCE), ("root", ADMIN))}  # fmt: skip
        docs = {}
        for code in ("A", "B", None):
            doc = Document(sha256=uuid.uuid4().hex * 2, filename=f"{code}.pdf", size=1)
            if code:
                doc.fields.append(FieldRow(name="customer_code", value=code, confidence=1.0,
                                           source="text"))  # fmt: skip
            s.add(doc)
            docs[code] = doc
        s.flush()
        access.set_sensitive(s, "A", True, by="t")
        access.set_sensitive(s, "B", True, by="t")
        access.add_group(s, "g", by="t")
        access.add_member(s, "g", "bo", by="t")
        assert access.grant(s, "A", user="ann", by="t")
        assert not access.grant(s, "A", user="ann", by="t")  # once is enough
        assert access.grant(s, "B", group="g", by="t")
        hidden = {n: access.hidden_customers(s, u) for n, u in people.items()}
        assert hidden == {"ann": {"B"}, "bo": {"A"}, "root": frozenset()}
        shown = {
            n: set(s.scalars(select(Document.filename).where(access.visible(h))))
            for n, h in hidden.items()
        }
        assert shown == {
            "ann": {"A.pdf", "None.pdf"},
            "bo": {"B.pdf", "None.pdf"},
            "root": {"A.pdf", "B.pdf", "None.pdf"},
        }
        assert access.may_see(s, people["ann"], docs["A"])
        assert not access.may_see(s, people["ann"], docs["B"])
        assert access.may_see(s, people["ann"], docs[None])
        access.remove_group(s, "g", by="t")
        assert access.hidden_customers(s, people["bo"]) == {"A", "B"}
        assert access.grants(s) == {"A": (["ann"], []), "B": ([], [])}
