"""Notes for reviewers as codes with parameters, rendered in the reader's language.

Extraction says why a statement waits for review with `note(code, **params)`. A `Note` is
the English sentence (so logs and older callers read it as text) and carries its code and
parameters; the archive stores `{"code", "params", "text"}` and the web pages, the API and
the command line render it in the user's language with `render`. Notes stored before codes
existed are plain English strings and are shown as they are.

Every code has an English and a Chinese sentence (a test checks that each code extraction
uses has both).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "zh")

# code -> {language: sentence with {placeholders}}
MESSAGES: dict[str, dict[str, str]] = {
    "qr_foreign_signature": {
        "en": "the statement QR code on page {page} carries a signature that is not ours "
        "(forged, or from another installation); ignored",
        "zh": "第 {page} 页的对账单二维码带有非本系统的签名（伪造或来自其他安装），已忽略",
    },
    "qr_bad_checksum": {
        "en": "a statement QR code on page {page} failed its checksum; ignored",
        "zh": "第 {page} 页的对账单二维码校验失败，已忽略",
    },
    "qr_disagree": {
        "en": "QR codes disagree ({first} vs {other} on page {page}): two statements in one "
        "document?",
        "zh": "二维码内容不一致（{first} 与第 {page} 页的 {other}）：一份文档里有两张对账单？",
    },
    "printed_differs_from_qr": {
        "en": "printed {field} {printed} differs from the QR code ({value}); the QR code is used",
        "zh": "印刷的{field_zh} {printed} 与二维码（{value}）不同，采用二维码",
    },
    "possible_duplicate": {
        "en": "possible duplicate of document {other} ({file}): same customer, period and "
        "statement number; finance to decide which to keep",
        "zh": "可能与文档 {other}（{file}）重复：客户、期间和对账单号相同；由财务决定保留哪一份",
    },
    "qr_customer_unknown": {
        "en": "customer {code} from the QR code is not in the customer master",
        "zh": "二维码中的客户 {code} 不在客户主数据中",
    },
    "printed_name_not_qr_customer": {
        "en": "printed customer name {printed} is not {code} ({name}) of the QR code; "
        "the QR code is used",
        "zh": "印刷的客户名称 {printed} 不是二维码中的客户 {code}（{name}），采用二维码",
    },
    "customer_weak": {
        "en": "customer {code} ({name}): {detail}",
        "zh": "客户 {code}（{name}）匹配不确定（{method}，得分 {score}）",
    },
    "no_customer": {
        "en": "no customer name or code found on the statement",
        "zh": "对账单上未找到客户名称或编号",
    },
    "customer_unknown": {
        "en": "customer {printed} not in the customer master",
        "zh": "客户 {printed} 不在客户主数据中",
    },
    "balance_broken": {
        "en": "opening + charges − payments ≠ closing ({opening} + {charges} − {payments} = "
        "{computed}, printed closing {closing})",
        "zh": "期初 + 本期发生 − 本期收款 ≠ 期末（{opening} + {charges} − {payments} = "
        "{computed}，印刷的期末余额为 {closing}）",
    },
    "due_not_closing": {
        "en": "amount due {due} ≠ closing balance {closing}",
        "zh": "应付金额 {due} ≠ 期末余额 {closing}",
    },
    "amount_too_large": {
        "en": "{field} {value} is too large for a statement; check it",
        "zh": "{field_zh} {value} 对一张对账单来说过大，请核对",
    },
    "not_found": {
        "en": "no {item} found",
        "zh": "未找到{item_zh}",
    },
    "file_empty": {
        "en": "the file is empty (0 bytes)",
        "zh": "文件是空的（0 字节）",
    },
    "not_a_statement_file": {
        "en": "this is not a PDF, PNG, JPEG or TIFF file: whatever its name says, its content "
        "is not a statement we can read",
        "zh": "这不是 PDF、PNG、JPEG 或 TIFF 文件：无论文件名如何，其内容都不是可读取的对账单",
    },
    "text_not_statement": {
        "en": "this is a text file, not a PDF or a scan: whatever its name says, it holds no "
        "statement we can read",
        "zh": "这是一个文本文件，不是 PDF 或扫描件：无论文件名如何，其中都没有可读取的对账单",
    },
    "low_confidence": {
        "en": "{field} {value} read with confidence {confidence}, below the threshold {threshold}",
        "zh": "{field_zh} {value} 的识别置信度为 {confidence}，低于阈值 {threshold}",
    },
}

# Field and item names inside sentences ({field_zh}, {item_zh}).
FIELD_ZH = {
    "customer_code": "客户编号",
    "customer_name": "客户名称",
    "period": "对账期间",
    "period_start": "期间起始日",
    "period_end": "期间截止日",
    "statement_no": "对账单号",
    "statement_date": "对账日期",
    "due_date": "付款截止日",
    "opening_balance": "期初余额",
    "charges": "本期发生额",
    "payments": "本期收款",
    "closing_balance": "期末余额",
    "amount_due": "应付金额",
    "currency": "币种",
    "customer": "客户",
    "statement period": "对账期间",
    "amount due": "应付金额",
}


class Note(str):
    """A note: its English sentence, with `code` and `params` for other languages."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any]) -> Note:
        params = {k: _plain(v) for k, v in params.items()}
        self = super().__new__(cls, _format(code, "en", params))
        self.code, self.params = code, params
        return self


def _plain(value: Any) -> Any:
    """Parameters as JSON keeps them: numbers and text."""
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)


def note(code: str, /, **params: Any) -> Note:
    """The note `code` (a key of MESSAGES) with its parameters; KeyError for unknown codes."""
    if code not in MESSAGES:
        raise KeyError(f"no note {code!r}; add it to extract.notes.MESSAGES in en and zh")
    return Note(code, params)


def _format(code: str, lang: str, params: Mapping[str, Any]) -> str:
    values = dict(params)
    for key in ("field", "item"):
        if key in values:
            values[f"{key}_zh"] = FIELD_ZH.get(str(values[key]), str(values[key]))
    template = MESSAGES[code].get(lang) or MESSAGES[code]["en"]
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a stored note from an older version
        return MESSAGES[code]["en"]


def to_json(item: Any) -> Any:
    """How the archive stores a note: a Note as {"code", "params", "text"}, text as is."""
    if isinstance(item, Note):
        return {"code": item.code, "params": dict(item.params), "text": str(item)}
    return item


def error_text(error: str | None, stored: Any, lang: str = "en") -> str | None:
    """A document's error in `lang`: the stored note that says it, else the text as is."""
    for item in stored or []:
        if isinstance(item, Mapping) and item.get("text") == error:
            return render(item, lang)
    code = _PLAIN_CODES.get(error or "")  # a sentence without parameters needs no stored note
    return _format(code, lang if lang in LANGUAGES else "en", {}) if code else error


_PLAIN_CODES = {
    texts["en"]: code for code, texts in MESSAGES.items() if "{" not in texts["en"]
}


def render(item: Any, lang: str = "en") -> str:
    """A stored note in `lang` (en or zh)."""
    if isinstance(item, Mapping) and item.get("code") in MESSAGES:
        return _format(item["code"], lang if lang in LANGUAGES else "en", item.get("params") or {})
    if isinstance(item, Mapping):
        return str(item.get("text") or "")
    return str(item)
