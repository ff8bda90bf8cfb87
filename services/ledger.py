"""Importing the receivables ledger (应收账款) from the accounting system's CSV or XLSX export.

Two kinds of file: period balances (customer_code, period, balance) and open items
(customer_code, date, reference, amount; debit positive, credit negative). Columns are found
by their header (English or Chinese names, or a mapping the user gives). A file is imported
whole or not at all: every row is checked first, and the problems are reported with their line
numbers. Importing a period again replaces what an earlier import held for it; every import is
kept with who made it and when.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive import audit, userinput
from archive.ledger import (
    BALANCES,
    LEDGER_KINDS,
    OPEN_ITEMS,
    LedgerBalance,
    LedgerImport,
    LedgerItem,
)
from archive.store import safe_name

# The header names each column is known by, compared without case, spaces and underscores.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "customer_code": ("customer_code", "customer", "code", "客户编号", "客户代码", "客户编码"),
    "period": ("period", "期间", "会计期间", "月份"),
    "balance": ("balance", "closing_balance", "余额", "期末余额"),
    "date": ("date", "日期", "单据日期", "业务日期"),
    "reference": ("reference", "ref", "document_no", "凭证号", "单据号", "单据编号"),
    "amount": ("amount", "金额", "未清金额"),
}
REQUIRED = {
    BALANCES: ("customer_code", "period", "balance"),
    OPEN_ITEMS: ("customer_code", "date", "amount"),
}
MAX_PROBLEMS = 20  # reported at most; the file is refused on the first anyway
MAX_ROWS = 500_000


@dataclass
class Problem:
    """What is wrong with one line of the file: an English template and its values."""

    line: int | None
    message: str
    values: dict[str, object] = field(default_factory=dict)
    column: str | None = None

    def text(self, translate=None) -> str:
        """In English, or through `translate` (web.i18n._) in the reader's language."""
        tr = translate or (lambda m, **v: m.format(**v) if v else m)
        out = tr(self.message, **self.values)
        if self.column:
            out = f"{self.column}: {out}"
        return out if self.line is None else f"{tr('line {n}', n=self.line)}: {out}"


class LedgerFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("; ".join(p.text() for p in self.problems))


@dataclass
class ImportResult:
    import_id: int
    kind: str
    rows: int
    periods: list[str]


# -- reading the file -------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[list[object]]:
    """The cells of the file's first sheet (XLSX) or of the CSV, header row first."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data)
    return list(csv.reader(io.StringIO(decode(data))))


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        why = {"why": str(exc)}
        raise LedgerFileError([Problem(None, "not a readable XLSX file: {why}", why)]) from None
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes) or GBK (what Excel saves as CSV on a
    Chinese Windows). A file whose lines mix the two is refused with the first line that
    differs: guessing would store wrong names."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    kinds = [(n, _is_utf8(raw)) for n, raw in enumerate(data.splitlines(), 1) if not raw.isascii()]
    first = kinds[0][1]
    differing = next((n for n, utf8 in kinds if utf8 != first), None)
    if differing is not None:  # some lines are UTF-8, others are not
        raise LedgerFileError([_mixed(differing)])
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LedgerFileError(
            [Problem(line, "the text is neither UTF-8 nor GBK (Chinese Excel)")]
        ) from None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mixed(line: int) -> Problem:
    return Problem(line, "the file mixes text encodings (UTF-8 and GBK); save it again as UTF-8")


# -- checking the rows ------------------------------------------------------------------


def _key(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name or "")).lower()


def find_columns(
    header: list[object], kind: str | None, mapping: dict[str, str] | None = None
) -> tuple[str, dict[str, int]]:
    """The kind of file and where each of its columns is, from the header row."""
    mapping = mapping or {}
    unknown = sorted(set(mapping) - set(DEFAULT_COLUMNS))
    if unknown:
        raise LedgerFileError(
            [
                Problem(
                    None,
                    "unknown column {name}; columns are {columns}",
                    {"name": ", ".join(unknown), "columns": ", ".join(DEFAULT_COLUMNS)},
                )
            ]
        )
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for column, names in DEFAULT_COLUMNS.items():
        wanted = [_key(mapping[column])] if column in mapping else [_key(n) for n in names]
        index = next((i for i, k in enumerate(keys) if k and k in wanted), None)
        if index is not None:
            found[column] = index
    if kind is None:
        kind = BALANCES if {"period", "balance"} <= set(found) else OPEN_ITEMS
    if kind not in LEDGER_KINDS:
        raise LedgerFileError(
            [Problem(None, "the kind must be balances or items, not {kind}", {"kind": kind})]
        )
    missing = [c for c in REQUIRED[kind] if c not in found]
    if missing:
        raise LedgerFileError(
            [
                Problem(
                    1,
                    "missing columns: {missing} (the header has {header})",
                    {
                        "missing": ", ".join(missing),
                        "header": ", ".join(str(h) for h in header if h not in (None, "")),
                    },
                )
            ]
        )
    return kind, found


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _amount(cell: object) -> Decimal:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # a spreadsheet keeps numbers as binary floats; their shortest decimal form is the
        # amount that was typed, rounded to cents
        value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        return userinput.check_amount(value.quantize(Decimal("0.01")))
    text = _text(cell)
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        text = "-" + text[1:-1]
    value = userinput.parse_amount(text)
    if value is None:
        raise userinput.InputError("the amount is empty")
    if value != value.quantize(Decimal("0.01")):
        raise userinput.InputError(userinput.AMOUNT_MESSAGE, text=text)
    return value


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _date(cell: object) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise userinput.InputError("{text} is not a date like 2026-10-31", text=text)


_PERIOD = re.compile(r"^(\d{4})(?:[-/.年]?)(\d{1,2})月?$")


def _period(cell: object) -> str:
    if isinstance(cell, dt.date | dt.datetime):
        return f"{cell.year:04d}-{cell.month:02d}"
    text = _text(cell)
    m = _PERIOD.match(text)
    if m:
        text = f"{m[1]}-{int(m[2]):02d}"
    return userinput.parse_period(text, strict=True) or ""


def _customer(cell: object) -> str:
    code = _text(cell)
    if not code:
        raise userinput.InputError("the customer code is empty")
    if len(code) > 64:
        raise userinput.InputError("the customer code is longer than 64 characters")
    return code


def parse(
    data: bytes, filename: str, *, kind: str | None = None, mapping: dict[str, str] | None = None
) -> tuple[str, list[dict[str, object]]]:
    """The file's kind and its rows as checked values; LedgerFileError listing every line
    that is wrong (at most MAX_PROBLEMS)."""
    rows = read_rows(data, filename)
    while rows and all(_text(c) == "" for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise LedgerFileError([Problem(None, "the file is empty")])
    if len(rows) > MAX_ROWS + 1:
        raise LedgerFileError(
            [Problem(None, "more than {n} rows; split the file", {"n": MAX_ROWS})]
        )
    kind, columns = find_columns(rows[0], kind, mapping)
    wanted = REQUIRED[kind] + (("reference",) if kind == OPEN_ITEMS else ())
    readers = {
        "customer_code": _customer,
        "period": _period,
        "balance": _amount,
        "date": _date,
        "reference": lambda c: _text(c)[:64] or None,
        "amount": _amount,
    }
    out: list[dict[str, object]] = []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows[1:], 2):
        if all(_text(c) == "" for c in row):
            continue  # blank lines between blocks are common in exports
        values: dict[str, object] = {"line": number}
        for column in wanted:
            i = columns.get(column)
            cell = row[i] if i is not None and i < len(row) else None
            try:
                values[column] = readers[column](cell)
            except userinput.InputError as exc:
                problems.append(Problem(number, exc.message, exc.values, column))
                break
        else:
            if kind == BALANCES:
                key = (values["customer_code"], values["period"])
                if key in seen:
                    problems.append(
                        Problem(
                            number,
                            "{code} {period} is already on line {first}",
                            {"code": key[0], "period": key[1], "first": seen[key]},
                        )
                    )
                seen.setdefault(key, number)
            out.append(values)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise LedgerFileError(problems)
    if not out:
        raise LedgerFileError([Problem(None, "the file has a header but no rows")])
    return kind, out


# -- storing ----------------------------------------------------------------------------


def import_file(
    s: Session,
    data: bytes,
    filename: str,
    *,
    user: str,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Check the whole file, then replace the periods it holds, in the caller's transaction
    (nothing is stored when anything is wrong)."""
    kind, rows = parse(data, filename, kind=kind, mapping=mapping)
    for r in rows:
        if kind == OPEN_ITEMS:
            date = r["date"]
            r["period"] = f"{date.year:04d}-{date.month:02d}"  # type: ignore[attr-defined]
    periods = sorted({str(r["period"]) for r in rows})
    record = LedgerImport(
        kind=kind, filename=safe_name(filename), user=user, rows=len(rows), periods=periods
    )
    s.add(record)
    s.flush()
    model = LedgerBalance if kind == BALANCES else LedgerItem
    s.execute(delete(model).where(model.period.in_(periods)))
    if kind == BALANCES:
        s.execute(
            LedgerBalance.__table__.insert(),
            [
                {
                    "customer_code": r["customer_code"],
                    "period": r["period"],
                    "balance": r["balance"],
                    "import_id": record.id,
                }
                for r in rows
            ],
        )
    else:
        s.execute(
            LedgerItem.__table__.insert(),
            [
                {
                    "customer_code": r["customer_code"],
                    "period": r["period"],
                    "date": r["date"],
                    "reference": r["reference"],
                    "amount": r["amount"],
                    "import_id": record.id,
                }
                for r in rows
            ],
        )
    audit.record(
        s,
        "ledger_import",
        user=user,
        import_id=record.id,
        kind=kind,
        file=record.filename,
        rows=len(rows),
        periods=periods,
    )
    return ImportResult(record.id, kind, len(rows), periods)


def imports(s: Session, limit: int = 50) -> list[LedgerImport]:
    return list(s.scalars(select(LedgerImport).order_by(LedgerImport.id.desc()).limit(limit)))


def import_json(record: LedgerImport) -> dict[str, object]:
    return {
        "id": record.id,
        "kind": record.kind,
        "file": record.filename,
        "user": record.user,
        "at": record.at.isoformat(timespec="seconds"),
        "rows": record.rows,
        "periods": record.periods,
    }


def form_mapping(form) -> dict[str, str]:
    """The column mapping of a web form or API request: fields col_<column> = header."""
    return {
        c: form[f"col_{c}"].strip() for c in DEFAULT_COLUMNS if (form.get(f"col_{c}") or "").strip()
    }


def parse_mapping(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """column=Header pairs (from the command line or a form) as a mapping."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise LedgerFileError(
                [Problem(None, "a column mapping is column=Header, not {pair}", {"pair": pair})]
            )
        out[name.strip()] = header.strip()
    return out
