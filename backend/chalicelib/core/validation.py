"""Request validation against the JSON-Schema subset in the features' ``schemas``.

The same schemas render the OpenAPI document, so what the docs promise is what the
routes accept, both ways: values are checked as sent and stored as sent (nothing is
stripped or rewritten). Every failure names the field and what it must be instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from chalicelib.core.errors import Invalid, TooLarge

MAX_BODY_BYTES = 64 * 1024
# ECMAScript's white space and line terminators, the meaning of \s in the OpenAPI document's
# regular expressions; written out so Python's re and every JSON Schema validator agree.
WHITE_SPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{WHITE_SPACE}]"  # free text must contain one character that is not white space
_INTEGER = re.compile(r"-?[0-9]{1,18}")  # a query-string integer: ASCII digits only

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


def parse_json_body(raw: bytes | None) -> Any:
    """Decode a request body, answering 413 for oversize and 400 for anything not JSON."""
    raw = raw or b""
    if len(raw) > MAX_BODY_BYTES:
        raise TooLarge(f"The request body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.")
    if not raw.strip():
        raise Invalid("The request body is empty; send a JSON object.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid(f"The request body is not valid JSON ({error}).") from None
    except RecursionError:
        raise Invalid("The request body nests arrays or objects too deeply; no request needs that.") from None


def validate(value: Any, schema: dict[str, Any], field: str = "body") -> Any:
    """Return ``value`` if it matches ``schema``, else raise ``Invalid``."""
    expected = schema["type"]
    if value is None and schema.get("nullable"):
        return None
    if not _has_type(value, expected):
        raise Invalid(f"{field} must be {_TYPE_NAMES[expected]}{' or null' if schema.get('nullable') else ''}.")
    if expected == "object":
        return _validate_object(value, schema, field)
    if expected == "array":
        return _validate_array(value, schema, field)
    if expected == "string":
        return _validate_string(value, schema, field)
    if expected == "integer":
        if "minimum" in schema and value < schema["minimum"]:
            raise Invalid(f"{field} must be at least {schema['minimum']}.")
        if "maximum" in schema and value > schema["maximum"]:
            raise Invalid(f"{field} must be at most {schema['maximum']}.")
    return value


def _has_type(value: Any, expected: str) -> bool:
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    python_type = {"string": str, "boolean": bool, "array": list, "object": dict}[expected]
    return isinstance(value, python_type)


def _validate_object(value: dict, schema: dict[str, Any], field: str) -> dict:
    properties = schema.get("properties", {})
    prefix = "" if field == "body" else f"{field}."
    unknown = sorted(set(value) - set(properties))
    if unknown:
        raise Invalid(f"Unknown field {prefix}{unknown[0]}; allowed: {', '.join(sorted(properties))}.")
    for name in schema.get("required", []):
        if name not in value:
            raise Invalid(f"{prefix}{name} is required.")
    cleaned = {name: validate(item, properties[name], f"{prefix}{name}") for name, item in value.items()}
    if schema.get("minProperties") and len(cleaned) < schema["minProperties"]:
        raise Invalid(schema.get("x-empty-message", f"{field} must not be empty."))
    return cleaned


def _validate_array(value: list, schema: dict[str, Any], field: str) -> list:
    if len(value) < schema.get("minItems", 0):
        raise Invalid(f"{field} needs at least {schema['minItems']} item(s).")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise Invalid(f"{field} takes at most {schema['maxItems']} items.")
    items = [validate(item, schema["items"], f"{field}[{i}]") for i, item in enumerate(value)]
    if schema.get("uniqueItems") and len(set(map(json.dumps, items))) != len(items):
        raise Invalid(f"{field} lists the same value twice.")
    return items


def is_free_text(schema: dict[str, Any]) -> bool:
    """A string that is neither a choice nor a pattern: it must say something (see NOT_BLANK)."""
    return schema.get("minLength", 0) >= 1 and "enum" not in schema and "pattern" not in schema


def _validate_string(text: str, schema: dict[str, Any], field: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"{field} contains a lone surrogate, which is not text; send valid UTF-8.") from None
    if "enum" in schema and text not in schema["enum"]:
        # A nullable enum lists null too (OpenAPI 3.0); the message names the strings.
        raise Invalid(f"{field} must be one of: {', '.join(v for v in schema['enum'] if v is not None)}.")
    if len(text) < schema.get("minLength", 0) or (is_free_text(schema) and not re.search(NOT_BLANK, text)):
        raise Invalid(
            f"{field} must not be empty."
            if not text or is_free_text(schema)
            else f"{field} needs at least {schema['minLength']} characters."
        )
    if "maxLength" in schema and len(text) > schema["maxLength"]:
        raise Invalid(f"{field} is {len(text)} characters; the limit is {schema['maxLength']}.")
    if "pattern" in schema and not re.fullmatch(schema["pattern"], text):
        raise Invalid(f"{field} is not valid: {schema.get('description', schema['pattern'])}")
    return text


def query_params(params: Mapping[str, str] | None, schema: dict[str, Any]) -> dict[str, Any]:
    """Validate query-string parameters; integers arrive as text and are converted first.

    ``params`` is any mapping because Chalice hands routes a MultiDict (its last value per name).
    """
    converted: dict[str, Any] = {}
    for name, raw in dict(params or {}).items():
        spec = schema.get("properties", {}).get(name)
        if spec and spec["type"] == "integer":
            if not _INTEGER.fullmatch(raw):
                raise Invalid(f"{name} must be an integer written in digits, like 25.")
            converted[name] = int(raw)
        else:
            converted[name] = raw
    return validate(converted, schema, "query")


def path_number(raw: str, field: str = "number") -> int:
    """Ticket numbers in paths: digits only (``1042``, not ``#1042`` or ``1e3``)."""
    # isdigit() alone would let '²' or '٣' through, which int() then refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise Invalid(f"{field} must be a positive whole number, like 1042.")
    return int(raw)
