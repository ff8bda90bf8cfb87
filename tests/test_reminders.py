"""Reminders: rules, one digest per user through a real SMTP server on loopback, nothing sent
twice a day, the command, the in-app list with its count in the top bar."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from archive import db
from archive.models import Customer, Document
from archive.users import add_user, by_name
from ingest.cli import main
from services import mailer, reminders
from tests.smtp_server import smtp_server
from tests.web_fixtures import PASSWORD, STATEMENT, app, login, make_document  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

TODAY = dt.date(2026, 10, 8)  # after day 5: September's statements are due


def person(name, role, email=None, locale="en"):
    with db.session() as s:
        user = add_user(s, name, role, PASSWORD, email)
        user.locale = locale


def customer(code, owner=None):
    with db.session() as s:
        owner_id = by_name(s, owner).id if owner else None
        s.add(Customer(code=code, name=f"客户{code}", aliases=[], owner_id=owner_id))


def waiting_review(days: int) -> int:
    doc_id = make_document(
        status="needs_review", filename="wait.pdf", lines=[*STATEMENT, f"等待 {days} 天"]
    )
    with db.session() as s:
        s.get(Document, doc_id).processed_at = dt.datetime.combine(
            TODAY, dt.time(9)
        ) - dt.timedelta(days=days)
    return doc_id


@pytest.fixture
def office(archive):
    person("mei", "finance", "mei@example.cn")
    person("wang", "finance", "wang@example.cn", locale="zh")
    person("boss", "admin", "boss@example.cn")
    person("rev", "reviewer", "rev@example.cn")
    person("quiet", "finance")  # no e-mail: in the app only
    customer("C001", "mei")
    customer("C002", "mei")
    customer("C003", "wang")
    customer("C004")  # no owner: the admins hear of it
    customer("C005", "quiet")
    return {"review": waiting_review(9), "fresh": waiting_review(1)}


def test_digests_one_per_user_and_nothing_twice_a_day(office):
    with smtp_server() as (url, server):
        smtp = mailer.SmtpSettings.from_url(url)
        with db.session() as s:
            digests = {d.user: d for d in reminders.run(s, send=True, today=TODAY, smtp=smtp)}
        assert sorted(digests) == ["boss", "mei", "quiet", "rev", "wang"]
        assert digests["quiet"].error == "no e-mail address" and not digests["quiet"].sent
        assert server.logins == ["archive"] * 4
        mails = {m["To"]: m for m in server.messages}
        assert sorted(mails) == ["boss@example.cn", "mei@example.cn", "rev@example.cn",
                                 "wang@example.cn"]  # fmt: skip
        mei = mails["mei@example.cn"]
        assert mei["From"] == "archive@example.cn"
        assert mei["Subject"] == "Statement Archive: 2 reminders"
        body = mei.get_content()
        assert "The statement of C001 客户C001 for 2026-09 has not arrived." in body
        assert "C002" in body and "C003" not in body
        assert "http://127.0.0.1:8000/finance/completeness?period=2026-09" in body
        wang = mails["wang@example.cn"]
        assert wang["Subject"] == "对账单档案：1 条提醒"
        assert "C003 客户C003 2026-09 的对账单尚未收到" in wang.get_content()
        assert "C004" in mails["boss@example.cn"].get_content()
        rev = mails["rev@example.cn"].get_content()
        assert f"Document {office['review']} (wait.pdf)" in rev
        assert f"Document {office['fresh']} " not in rev  # waiting one day only

        # the same day again: nothing new, nothing sent
        with db.session() as s:
            again = reminders.run(s, send=True, today=TODAY, smtp=smtp)
        assert len(server.messages) == 4 and not any(d.sent for d in again)
        # something new the same day: only that goes out, in one more digest
        customer("C006", "mei")
        with db.session() as s:
            third = {d.user: d for d in reminders.run(s, send=True, today=TODAY, smtp=smtp)}
        assert third["mei"].sent and [i.key for i in third["mei"].new] == ["missing:C006:2026-09"]
        assert len(server.messages) == 5
        # the next day it is all due again
        with db.session() as s:
            reminders.run(s, send=True, today=TODAY + dt.timedelta(days=1), smtp=smtp)
        assert len(server.messages) == 9


def test_before_the_day_nothing_is_missing_yet(office):
    with db.session() as s:
        early = reminders.collect(s, dt.date(2026, 10, 5))
    assert list(early) == ["rev"]


def test_a_mail_server_away_records_nothing(office):
    with smtp_server() as (url, _server):
        pass  # stopped: nobody listens there any more
    with db.session() as s:
        digests = reminders.run(s, send=True, today=TODAY, smtp=mailer.SmtpSettings.from_url(url))
    assert all(not d.sent for d in digests)
    assert "refused" in next(d for d in digests if d.user == "mei").error
    with smtp_server() as (url, server), db.session() as s:
        reminders.run(s, send=True, today=TODAY, smtp=mailer.SmtpSettings.from_url(url))
        assert len(server.messages) == 4  # sent once the server is back


def test_a_wrong_password_is_an_error(office):
    with smtp_server() as (url, server), db.session() as s:
        bad = mailer.SmtpSettings.from_url(url.replace("s3cret", "wrong"))
        digests = reminders.run(s, send=True, today=TODAY, smtp=bad)
        assert not server.messages and all(not d.sent for d in digests)


def test_smtp_urls():
    got = mailer.SmtpSettings.from_url("smtp://u%40x:p%3Aw@mail.example.cn:587?starttls=1")
    assert (got.user, got.password, got.host, got.port, got.starttls, got.tls) == (
        "u@x",
        "p:w",
        "mail.example.cn",
        587,
        True,
        False,
    )
    assert mailer.SmtpSettings.from_url("smtps://mail.example.cn").port == 465
    with pytest.raises(mailer.MailError):
        mailer.SmtpSettings.from_url("http://mail.example.cn")


def test_the_command_and_the_beat(office, monkeypatch):
    monkeypatch.setenv("STMT_REMIND_MISSING_AFTER_DAY", "0")  # whatever day the test runs
    out = CliRunner().invoke(main, ["remind", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["sent"] == 0 and {u["user"] for u in report["users"]} >= {"mei", "rev"}
    refused = CliRunner().invoke(main, ["remind", "--send"])
    assert refused.exit_code != 0 and "STMT_SMTP_URL is not set" in refused.output
    assert reminders.beat_schedule() == {}
    with smtp_server() as (url, server):
        monkeypatch.setenv("STMT_SMTP_URL", url)
        assert "send-reminders" in reminders.beat_schedule()
        first = json.loads(CliRunner().invoke(main, ["remind", "--send", "--json"]).output)
        second = json.loads(CliRunner().invoke(main, ["remind", "--send", "--json"]).output)
        assert first["sent"] == 4 and second["sent"] == 0 and len(server.messages) == 4


def test_in_app_list_and_count(app, office):
    client = app.test_client()
    login(client, "mei")
    client.post("/language", data={"locale": "en"})
    # the count runs on today's date; set the day so September... is whatever last month is
    html = client.get("/finance/reminders").get_data(as_text=True)
    with db.session() as s:
        mine = reminders.for_user(s, by_name(s, "mei"))
    assert f'<span class="count">{len(mine)}</span>' in html or not mine
    for item in mine:
        assert item.text.format(**item.values).replace("'", "&#39;") in html
    rev = app.test_client()
    login(rev, "rev")
    html = rev.get("/finance/reminders").get_data(as_text=True)
    assert f'href="/review/{office["review"]}"' in html
    with db.session() as s:
        assert f'<span class="count">{len(reminders.for_user(s, by_name(s, "rev")))}</span>' in html


def received_days_ago(days: int, code: str, name: str) -> int:
    doc_id = make_document(
        {"customer_code": (code, 1.0), "period": ("2026-08", 0.95)},
        lines=[*STATEMENT, name],
        filename=f"{name}.pdf",
    )
    with db.session() as s:
        s.get(Document, doc_id).created_at = dt.datetime.combine(
            TODAY, dt.time(9), dt.UTC
        ) - dt.timedelta(days=days)
    return doc_id


def test_confirmations_not_returned_and_disputes_left_open(office, monkeypatch):
    from archive.ledger import Dispute
    from services import disputes

    old = received_days_ago(40, "C001", "old")  # mei's customer, no answer: reminded
    recent = received_days_ago(10, "C001", "recent")  # not yet due
    orphan = received_days_ago(40, "C004", "orphan")  # no owner: the admins
    confirmed = received_days_ago(40, "C002", "confirmed")
    signed = received_days_ago(35, "C002", "signed")  # the signed copy: no statement to answer
    disputed = received_days_ago(40, "C003", "disputed")
    settled = received_days_ago(40, "C003", "settled")
    with db.session() as s:
        disputes.confirm(s, confirmed, user="mei", signed_id=signed)
        long_open = disputes.open_dispute(
            s, disputed, user="wang", reason="少了一张发票", owner="wang"
        ).id
        gone = disputes.open_dispute(s, settled, user="wang", reason="重复", owner="left").id
        fresh = disputes.open_dispute(s, settled, user="wang", reason="新的", owner="wang").id
        closed = disputes.open_dispute(s, settled, user="wang", reason="已解", owner="wang").id
        disputes.update_dispute(s, closed, user="wang", status="resolved")
    with db.session() as s:
        for dispute_id, days in ((long_open, 20), (gone, 20), (fresh, 3), (closed, 30)):
            s.get(Dispute, dispute_id).created_at = dt.datetime.combine(
                TODAY, dt.time(9), dt.UTC
            ) - dt.timedelta(days=days)
    with db.session() as s:
        found = reminders.collect(s, TODAY)
    keys = {user: {i.key for i in items} for user, items in found.items()}
    assert f"unconfirmed:{old}" in keys["mei"] and f"unconfirmed:{recent}" not in keys["mei"]
    assert f"unconfirmed:{orphan}" in keys["boss"]
    every = set().union(*keys.values())
    for answered in (confirmed, signed, disputed, settled):
        assert f"unconfirmed:{answered}" not in every
    assert f"dispute:{long_open}" in keys["wang"]
    assert f"dispute:{gone}" in keys["boss"]  # its owner is no user: the admins
    assert f"dispute:{fresh}" not in every and f"dispute:{closed}" not in every
    item = next(i for i in found["wang"] if i.key == f"dispute:{long_open}")
    assert item.link == f"/documents/{disputed}#answer"
    assert reminders.translate(item.text, "zh", **item.values) == (
        f"文档 {disputed} 上的争议 {long_open} 自 2026-09-18 起仍未解决。"
    )
    # the limits: the admins' setting, else the environment
    monkeypatch.setenv("STMT_REMIND_CONFIRMATION_DAYS", "50")
    monkeypatch.setenv("STMT_REMIND_DISPUTE_DAYS", "2")
    with db.session() as s:
        later = {i.key for items in reminders.collect(s, TODAY).values() for i in items}
    assert f"unconfirmed:{old}" not in later and f"dispute:{fresh}" in later
    with db.session() as s:
        from archive.users import set_setting

        set_setting(s, "remind_confirmation_days", "5", user="boss")
    with db.session() as s:
        again = {i.key for items in reminders.collect(s, TODAY).values() for i in items}
    assert f"unconfirmed:{recent}" in again


def test_the_finance_home_counts_open_disputes(app, office):
    from services import disputes

    first, second = received_days_ago(3, "C001", "one"), received_days_ago(3, "C003", "two")
    with db.session() as s:
        disputes.open_dispute(s, first, user="mei", reason="金额不符", owner="mei")
        disputes.open_dispute(s, second, user="mei", reason="少一笔", owner="wang")
        done = disputes.open_dispute(s, second, user="mei", reason="已解", owner="wang").id
        disputes.update_dispute(s, done, user="wang", status="written_off")
    client = app.test_client()
    login(client, "mei")
    client.post("/language", data={"locale": "en"})
    html = client.get("/finance/").get_data(as_text=True)
    assert "Open disputes" in html
    assert '<p class="big"><a href="/disputes">2</a></p>' in html
    client.post("/language", data={"locale": "zh"})
    assert "未解决的争议" in client.get("/finance/").get_data(as_text=True)
    from archive import access

    with db.session() as s:  # a sensitive customer's disputes are not counted for mei
        access.set_sensitive(s, "C003", True, by="test")
    assert '<a href="/disputes">1</a>' in client.get("/finance/").get_data(as_text=True)
    reviewer = app.test_client()
    login(reviewer, "rev")  # may not follow disputes up: no count, no link
    assert 'href="/disputes"' not in reviewer.get("/finance/").get_data(as_text=True)
