"""Admins: what reviewers taught per layout (services/learning.py), and forgetting it.
Routes of the admin blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from archive import db
from extract.learned import rule_confidence
from services import learning
from web.admin import bp
from web.i18n import _


@bp.get("/learned")
def learned():
    with db.session() as s:
        layouts = learning.listing(s)
        rows = [
            {
                "id": lay.id,
                "title": lay.title,
                "customer": lay.customer_code,
                "updated": lay.updated_at,
                "rules": [
                    {
                        "id": r.id,
                        "field": r.field,
                        "anchor": r.anchor,
                        "page": r.page,
                        "hits": r.hits,
                        "misses": r.misses,
                        "confidence": rule_confidence(r.hits, r.misses),
                        "document_id": r.document_id,
                        "user": r.user,
                        "example": r.example,
                        "updated": r.updated_at,
                    }
                    for r in lay.rules
                ],
            }
            for lay in layouts
        ]
    return render_template("admin/learned.html", layouts=rows)


@bp.post("/learned/<int:layout_id>/forget")
def forget_layout(layout_id: int):
    return _forget(layout_id=layout_id)


@bp.post("/learned/rules/<int:rule_id>/forget")
def forget_rule(rule_id: int):
    return _forget(rule_id=rule_id)


def _forget(**which: int):
    with db.session() as s:
        if not learning.forget(s, current_user.name, **which):
            abort(404)
    flash(_("Forgotten: the next statements of this layout are read without it."))
    return redirect(url_for("admin.learned"))
