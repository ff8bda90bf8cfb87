"""GET /api/v1/qr: our statement QR code as PNG or SVG, for billing systems that print
statements (payload format: docs/qr-payload.md). Same bearer-token auth as the rest of /api/v1.

    /api/v1/qr?payload=STMT1|c=C0042|p=2026-10|…|k=1a2b3c4d      (checked, not trusted)
    /api/v1/qr?customer=C0042&period=2026-10&amount=12345.67&number=ST-1[&kind=cover]
    &format=png|svg  &size=1..40 (pixels per module, PNG; default 8)

Register with `app.register_blueprint(qr_api)` and `csrf.exempt(qr_api)`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, request

qr_api = Blueprint("qr_api", __name__, url_prefix="/api/v1")

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MIMETYPES = {"png": "image/png", "svg": "image/svg+xml"}


@qr_api.before_request
def _authenticate():
    from web.api import authenticate  # bearer token -> g.api_user, or a 401 JSON answer

    return authenticate()


def _error(status: int, message: str):
    from web.api import json_error

    return json_error(status, message)


def _payload_from_args(args) -> str:
    """The payload to encode; ValueError with a message for the caller."""
    from extract.qrpayload import StatementCode, build, parse

    if args.get("payload"):
        payload = args["payload"]
        if parse(payload) is None:
            raise ValueError("payload is not a valid STMT1 code (format or checksum)")
        return payload
    customer, period = (args.get("customer") or "").strip(), (args.get("period") or "").strip()
    if not customer or not _PERIOD.match(period):
        raise ValueError("send payload=…, or customer=CODE and period=YYYY-MM")
    amount = None
    if args.get("amount"):
        try:
            amount = Decimal(args["amount"].replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"amount {args['amount']!r} is not a number like 12345.67") from None
        if not amount.is_finite():
            raise ValueError("amount must be a finite number")
    kind = args.get("kind") or None
    if kind not in (None, "cover"):
        raise ValueError("kind must be 'cover' or left out")
    code = StatementCode(
        customer=customer,
        period=period,
        amount=amount,
        currency=(args.get("currency") or ("" if kind else "CNY")).upper(),
        number=args.get("number") or None,
        kind=kind,
    )
    return build(code)  # ValueError for '|' or '=' in a value


@qr_api.get("/qr")
def qr_image():
    from extract.coversheet import qr_png, qr_svg

    fmt = (request.args.get("format") or "png").lower()
    if fmt not in _MIMETYPES:
        return _error(400, "format must be png or svg")
    try:
        size = int(request.args.get("size", "8"))
    except ValueError:
        return _error(400, "size must be a whole number of pixels per module (1-40)")
    if not 1 <= size <= 40:
        return _error(400, "size must be between 1 and 40")
    try:
        payload = _payload_from_args(request.args)
    except ValueError as exc:
        return _error(400, str(exc))
    data = qr_png(payload, size) if fmt == "png" else qr_svg(payload, size)
    resp = Response(data, mimetype=_MIMETYPES[fmt])
    resp.headers["X-Statement-Payload"] = payload.encode("ascii", "replace").decode()
    return resp
