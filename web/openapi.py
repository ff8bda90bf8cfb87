"""The OpenAPI description served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from archive.corrections import DATE_FIELDS, EDITABLE
from archive.documents import AMOUNT_FIELDS
from archive.models import FINAL_STATUSES
from archive.userinput import AMOUNT_PATTERN, CURRENCY_PATTERN, DATE_PATTERN, MAX_ID, PERIOD_PATTERN
from extract.types import Source, Status
from index.base import LINE, PAGE, SUMMARY
from web.search import SORTS


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, ref: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


_AUTH = {"401": _error("No valid API token"), "403": _error("The token's role may not do this")}
_DOC_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_PERIOD = {"type": "string", "pattern": PERIOD_PATTERN, "example": "2026-10"}
_AMOUNT = {
    "type": "string",
    "pattern": AMOUNT_PATTERN,
    "description": "A decimal with at most 2 places and 13 digits before the point, "
    "optionally grouped by commas: 80509.61, 80,509.61, -120",
    "example": "80509.61",
}
_NOT_FOUND = "No such document (or not one the token's user may see)"


def _multipart(**fields: dict[str, Any]) -> dict[str, Any]:
    """A request body of a file (multipart field `file`) and these optional form fields."""
    properties = {"file": {"type": "string", "format": "binary", "minLength": 1}, **fields}
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "required": ["file"], "properties": properties}
            }
        },
    }


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


_FIELD = {
    "type": "object",
    "properties": {
        "value": {"type": ["string", "null"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "source": {"type": "string", "enum": [str(s) for s in Source]},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["status", "error", "message"],
        "properties": {
            "status": {"type": "integer"},
            "error": {"type": "string"},
            "message": {"type": "string"},
        },
    },
    "Submitted": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string"},
            "duplicate": {"type": "boolean", "description": "Present when already archived"},
        },
    },
    "Document": {
        "type": "object",
        "description": "The object `stmt show --json` prints (mailroom tokens get id, file, "
        "status and error only).",
        "required": ["id", "file", "status", "error", "fields"],
        "properties": {
            "id": {"type": "integer"},
            "file": {"type": "string"},
            "status": {
                "type": "string",
                "enum": [str(s) for s in Status if s != Status.SPLIT],
            },
            "error": {"type": ["string", "null"]},
            "fields": {"type": "object", "additionalProperties": _FIELD},
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "kind": {"type": ["string", "null"]},
            "source": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "note_codes": {"type": "array", "items": {"type": ["string", "null"]}},
            "created_at": {"type": "string"},
            "processed_at": {"type": ["string", "null"]},
            "indexed": {"type": "boolean"},
            "field_details": {"type": "object"},
            "pages": {"type": "array", "items": {"type": "object"}},
            "codes": {"type": "array", "items": {"type": "object"}},
        },
    },
    "SearchResult": {
        "type": "object",
        "description": "The object `stmt search --json` prints.",
        "required": ["total", "hits", "facets"],
        "properties": {
            "total": {"type": "integer"},
            "hits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "file": {"type": "string"},
                        "customer_code": {"type": ["string", "null"]},
                        "period": {"type": ["string", "null"]},
                        "amount_due": {"type": ["string", "null"]},
                        "status": {"type": "string"},
                        "snippet": {
                            "type": "string",
                            "description": "Escaped text, matches in <mark>…</mark>",
                        },
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "matched": {
                            "type": "array",
                            "description": "The amounts the amount filters matched, and where",
                            "items": {
                                "type": "object",
                                "required": ["where", "amount"],
                                "properties": {
                                    "where": {"type": "string", "enum": [SUMMARY, LINE, PAGE]},
                                    "field": {"type": "string"},
                                    "line": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "amount": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            "facets": {
                "type": "object",
                "properties": {
                    k: {"type": "object", "additionalProperties": {"type": "integer"}}
                    for k in ("customer", "period", "status", "tag", "confirmation", "dispute")
                },
            },
            "warning": {"type": "string"},
        },
    },
    "Corrections": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string"},
            "corrections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "old": {"type": ["string", "null"]},
                        "new": {"type": ["string", "null"]},
                    },
                },
            },
            "alias_added": {"type": ["string", "null"]},
        },
    },
    "LedgerImport": {
        "type": "object",
        "required": ["import_id", "kind", "rows", "periods"],
        "properties": {
            "import_id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["balances", "items"]},
            "rows": {"type": "integer"},
            "periods": {"type": "array", "items": {"type": "string"}},
        },
    },
    "History": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "corrections": {"type": "array", "items": {"type": "object"}},
            "events": {"type": "array", "items": {"type": "object"}},
        },
    },
}


def _editable() -> dict[str, Any]:

    def nullable(schema: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [schema, {"type": "null"}, {"type": "string", "maxLength": 0}]}

    out: dict[str, Any] = {}
    for name in EDITABLE:
        if name in AMOUNT_FIELDS:
            out[name] = nullable(_AMOUNT)
        elif name in DATE_FIELDS:
            out[name] = nullable({"type": "string", "format": "date", "pattern": DATE_PATTERN})
        elif name == "period":
            out[name] = nullable(_PERIOD)
        elif name == "currency":
            out[name] = nullable({"type": "string", "pattern": CURRENCY_PATTERN})
        else:
            out[name] = nullable({"type": "string", "minLength": 1, "maxLength": 255})
    return out


_EDITABLE = _editable()
MAX = 1000  # hits per request

PATHS: dict[str, Any] = {
    "/documents": {
        "post": {
            "summary": "Archive a statement file and queue it for reading",
            "requestBody": _multipart(),
            "responses": {
                "202": _json("Archived and queued", "Submitted"),
                "200": _json("The same file was already archived (not stored twice)", "Submitted"),
                "400": _error("No file, or an empty one"),
                "413": _error("The file is too large"),
                **_AUTH,
            },
        }
    },
    "/documents/{id}": {
        "get": {
            "summary": "One document (as `stmt show --json`)",
            "parameters": [_DOC_ID],
            "responses": {
                "200": _json("The document", "Document"),
                "404": _error(_NOT_FOUND),
                **_AUTH,
            },
        }
    },
    "/documents/{id}/original": {
        "get": {
            "summary": "The original file as received",
            "parameters": [_DOC_ID],
            "responses": {
                "200": {"description": "The file (PDF, PNG, JPEG or TIFF)"},
                "404": _error(_NOT_FOUND),
                **_AUTH,
            },
        }
    },
    "/documents/{id}/fields": {
        "patch": {
            "summary": "Correct fields (reviewer or admin); each change is recorded",
            "parameters": [_DOC_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "description": "Field names and their new values; null or an "
                            "empty string removes a field. At least one field.",
                            "minProperties": 1,
                            "additionalProperties": False,
                            "properties": _EDITABLE,
                            "example": {"amount_due": "80509.61", "period": "2026-10"},
                        }
                    }
                },
            },
            "responses": {
                "200": _json("The corrections made", "Corrections"),
                "400": _error("Not a JSON object, empty, unknown fields, an amount too large"),
                "404": _error(_NOT_FOUND),
                "422": _error("A value that is not valid for its field"),
                **_AUTH,
            },
        }
    },
    "/documents/{id}/history": {
        "get": {
            "summary": "Corrections and audit events of one document",
            "parameters": [_DOC_ID],
            "responses": {
                "200": _json("The history", "History"),
                "404": _error(_NOT_FOUND),
                **_AUTH,
            },
        }
    },
    "/ledger": {
        "post": {
            "summary": "Import a receivables ledger file (as `stmt ledger import`)",
            "description": "CSV (UTF-8 or GBK) or XLSX. Balances: customer_code, period, "
            "balance; open items: customer_code, date, reference, amount. The file is imported "
            "whole or not at all; a period imported again replaces the earlier import's.",
            "requestBody": _multipart(
                kind={"type": "string", "enum": ["balances", "items"]},
                **{
                    f"col_{c}": {"type": "string", "maxLength": 255}
                    for c in ("customer_code", "period", "balance", "date", "reference", "amount")
                },
            ),
            "responses": {
                "201": _json("Imported", "LedgerImport"),
                "400": _error("No file, an empty one, an unknown kind or a header too long"),
                "413": _error("The file is too large"),
                "422": _error("The file was refused; `problems` lists the lines and reasons"),
                **_AUTH,
            },
        }
    },
    "/search": {
        "get": {
            "summary": "Search (as `stmt search --json`)",
            "parameters": [
                _query("q", "Words, Chinese or English"),
                _query("customer", "Customer code"),
                _query("tag", "Tag name"),
                _query("period", "YYYY-MM", _PERIOD),
                _query("period_from", "First period YYYY-MM", _PERIOD),
                _query("period_to", "Last period YYYY-MM", _PERIOD),
                _query("amount", "An exact amount printed on the statement", _AMOUNT),
                _query("amount_min", "Smallest amount", _AMOUNT),
                _query("amount_max", "Largest amount", _AMOUNT),
                _query(
                    "in",
                    "Where amounts are looked for: summary fields, line items, anywhere else on "
                    "the pages, or all of them",
                    {"type": "string", "enum": ["all", "summary", "lines", "page"]},
                ),
                _query(
                    "confirmation",
                    "The customer's answer",
                    {"type": "string", "enum": ["confirmed", "disputed"]},
                ),
                _query(
                    "dispute",
                    "The status of the statement's latest dispute",
                    {
                        "type": "string",
                        "enum": ["open", "investigating", "resolved", "written_off"],
                    },
                ),
                _query(
                    "status",
                    "Document status",
                    {"type": "string", "enum": [str(s) for s in FINAL_STATUSES]},
                ),
                _query(
                    "sort",
                    "relevance, period, amount, created (prefix - for descending)",
                    {"type": "string", "enum": list(SORTS)},
                ),
                _query(
                    "limit",
                    "Hits per page (20)",
                    {"type": "integer", "minimum": 1, "maximum": 1000},
                ),
                _query(
                    "offset",
                    "Hits to skip",
                    {"type": "integer", "minimum": 0, "maximum": 10**9},
                ),
            ],
            "responses": {
                "200": _json("Hits and facets", "SearchResult"),
                "400": _error("A parameter that is not valid"),
                **_AUTH,
            },
        }
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Statement Archive API",
        "version": "1.0.0",
        "description": "Archive, search and correct customer account statements (对账单). "
        "Create a token with `stmt tokens create NAME`.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
    },
    "paths": PATHS,
}
