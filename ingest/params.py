"""Click callbacks for what people type on the command line (one parser: archive/userinput.py)."""

from __future__ import annotations

from decimal import Decimal

import click

from archive import userinput


def amount(_ctx, param, value: str | None) -> Decimal | None:
    return _typed(userinput.parse_amount, param, value)


def period(_ctx, param, value: str | None) -> str | None:
    return _typed(userinput.parse_period, param, value)


def _typed(parse, param, value: str | None):
    try:
        return parse(value)
    except userinput.InputError as exc:
        raise click.BadParameter(str(exc), param=param) from None
