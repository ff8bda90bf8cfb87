"""GET /api/v1/qr: our statement QR code as PNG or SVG, for billing systems that print
statements (payload format: docs/qr-payload.md). Same bearer-token auth as the rest of /api/v1.

    /api/v1/qr?payload=STMT1|c=C0042|p=2026-10|…|k=1a2b3c4d      (checked, not trusted)
    /api/v1/qr?customer=C0042&period=2026-10&amount=12345.67&number=ST-1[&kind=cover]
    &format=png|svg  &size=1..40 (pixels per module, PNG; default 8)

Register with `app.register_blueprint(qr_api)` and `csrf.exempt(qr_api)`.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request
from qrcode.exceptions import DataOverflowError

from archive import config
from archive.secret import server_key
from archive.userinput import InputError, parse_amount, parse_period
from extract.coversheet import qr_png, qr_svg
from extract.qrpayload import StatementCode, build, parse
from web.api import authenticate, json_error
from web.auth import ISSUERS

qr_api = Blueprint("qr_api", __name__, url_prefix="/api/v1")

# A QR code holds at most about 2,900 bytes; customer codes and statement numbers are short.
MAX_VALUE = 64
MAX_PAYLOAD = 512
_MIMETYPES = {"png": "image/png", "svg": "image/svg+xml"}


@qr_api.before_request
def _authenticate():
    denied = authenticate()
    if denied is not None:
        return denied
    # A code we sign is trusted over the printed page: only roles that issue statements.
    if g.api_user.role not in ISSUERS:
        return json_error(403, f"the {g.api_user.role} role may not issue statement codes")
    return None


def _error(status: int, message: str):
    return json_error(status, message)


def _payload_from_args(args) -> str:
    """The payload to encode; ValueError with a message for the caller."""
    if args.get("payload"):
        payload = args["payload"]
        code = parse(payload) if len(payload) <= MAX_PAYLOAD else None
        if code is None:
            raise ValueError("payload is not a valid STMT1 code (format or checksum)")
        return build(code, key=_key())  # issued here, so signed here

    customer = (args.get("customer") or "").strip()
    try:
        period = parse_period(args.get("period"))
        amount = parse_amount(args.get("amount"))
    except InputError as exc:
        raise ValueError(str(exc)) from None
    if not customer or not period:
        raise ValueError("send payload=…, or customer=CODE and period=YYYY-MM")
    currency = args.get("currency") or ""
    for name, value in (
        ("customer", customer),
        ("number", args.get("number") or ""),
        ("currency", currency),
    ):
        if len(value) > MAX_VALUE:
            raise ValueError(f"{name} is longer than {MAX_VALUE} characters")
    kind = args.get("kind") or None
    if kind not in (None, "cover"):
        raise ValueError("kind must be 'cover' or left out")
    code = StatementCode(
        customer=customer,
        period=period,
        amount=amount,
        currency=(currency or ("" if kind else "CNY")).upper(),
        number=args.get("number") or None,
        kind=kind,
    )
    return build(code, key=_key())  # ValueError for '|' or '=' in a value


def _key() -> bytes:
    return server_key(config.settings())


@qr_api.get("/qr")
def qr_image():
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
    try:
        data = qr_png(payload, size) if fmt == "png" else qr_svg(payload, size)
    except DataOverflowError:
        return _error(400, "the values are too long for one QR code")
    resp = Response(data, mimetype=_MIMETYPES[fmt])
    resp.headers["X-Statement-Payload"] = payload.encode("ascii", "replace").decode()
    return resp
