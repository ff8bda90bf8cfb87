"""The OpenAPI description served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any


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
_DOC_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


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
        "source": {"type": "string", "enum": ["qr", "text", "ocr", "ocr2", "manual"]},
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
                "enum": ["received", "processing", "accepted", "needs_review", "failed"],
            },
            "error": {"type": ["string", "null"]},
            "fields": {"type": "object", "additionalProperties": _FIELD},
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "kind": {"type": ["string", "null"]},
            "source": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
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
                    },
                },
            },
            "facets": {
                "type": "object",
                "properties": {
                    k: {"type": "object", "additionalProperties": {"type": "integer"}}
                    for k in ("customer", "period", "status")
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
    "History": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "corrections": {"type": "array", "items": {"type": "object"}},
            "events": {"type": "array", "items": {"type": "object"}},
        },
    },
}

PATHS: dict[str, Any] = {
    "/documents": {
        "post": {
            "summary": "Archive a statement file and queue it for reading",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    }
                },
            },
            "responses": {
                "202": _json("Archived and queued", "Submitted"),
                "200": _json("The same file was already archived (not stored twice)", "Submitted"),
                "400": _error("No file"),
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
                "404": _error("No such document"),
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
                "404": _error("No such document"),
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
                            "additionalProperties": {"type": ["string", "number", "null"]},
                            "example": {"amount_due": "80509.61", "period": "2026-10"},
                        }
                    }
                },
            },
            "responses": {
                "200": _json("The corrections made", "Corrections"),
                "400": _error("Not a JSON object, or unknown fields"),
                "404": _error("No such document"),
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
                "404": _error("No such document"),
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
                _query("period", "YYYY-MM"),
                _query("period_from", "First period YYYY-MM"),
                _query("period_to", "Last period YYYY-MM"),
                _query("amount", "Exact amount due (or closing balance)"),
                _query("amount_min", "Smallest amount"),
                _query("amount_max", "Largest amount"),
                _query(
                    "status",
                    "Document status",
                    {"type": "string", "enum": ["accepted", "needs_review", "failed"]},
                ),
                _query("sort", "relevance, period, amount, created (prefix - for descending)"),
                _query("limit", "1 to 1000 (20)", {"type": "integer"}),
                _query("offset", "Hits to skip", {"type": "integer"}),
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
