"""MkDocs hook: renders the API reference page from the backend's OpenAPI document at build
time, so the reference says exactly what the routes validate (the same schemas build both).

The rendered reference replaces ``<!-- openapi-reference -->`` in ``api-reference/index.md``
(not ``api/``: the API itself owns /api/ on the site origin), or is appended to the page when
the marker is missing.
"""

from __future__ import annotations

from typing import Any

PAGE = "api-reference/index.md"
MARKER = "<!-- openapi-reference -->"
METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


def openapi_document() -> dict[str, Any]:
    from chalicelib.openapi import document

    return document()


def _text(text: Any) -> str:
    """Prose from the document: '<token>' is text, not an HTML tag."""
    return str(text).replace("<", "&lt;")


def _cell(text: Any) -> str:
    """Table cells: one line, pipes escaped (patterns and enums may carry them)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}s"
    return kind


def _rules(schema: dict[str, Any]) -> str:
    """The limits a client must respect, in words."""
    rules = []
    if "enum" in schema:
        rules.append("one of " + ", ".join(f"`{value}`" for value in schema["enum"]))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and high is not None:
        rules.append(f"{low}–{high:,} characters")
    elif high is not None:
        rules.append(f"at most {high:,} characters")
    elif low:
        rules.append(f"at least {low} characters")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        rules.append(f"{low}–{high:,}")
    elif low is not None:
        rules.append(f"at least {low}")
    elif high is not None:
        rules.append(f"at most {high:,}")
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is not None or high is not None:
        rules.append(f"{low or 0}–{high} items" if high is not None else f"at least {low} item(s)")
    if schema.get("uniqueItems"):
        rules.append("no repeats")
    if schema.get("type") == "array" and "enum" in schema.get("items", {}):
        rules.append("each one of " + ", ".join(f"`{value}`" for value in schema["items"]["enum"]))
    if "pattern" in schema:
        rules.append(f"matches `{schema['pattern']}`")
    return "; ".join(rules) or "—"


def _fields_table(rows: list[tuple[str, dict[str, Any], bool, str]]) -> list[str]:
    lines = ["| name | type | required | rules | description |", "| --- | --- | --- | --- | --- |"]
    for name, schema, required, where in rows:
        label = f"`{name}`" + (f" ({where})" if where else "")
        lines.append(
            f"| {label} | {_type(schema)} | {'yes' if required else 'no'} | {_cell(_rules(schema))} | "
            f"{_cell(_text(schema.get('description', '')))} |"
        )
    return lines


def _who(document: dict[str, Any], operation: dict[str, Any], path: str) -> str:
    if operation.get("security", document.get("security")) == []:
        return "anyone, no token needed"
    if path.startswith("/admin/"):
        return "admins (the `admin` group)"
    return "signed-in users: send `Authorization: Bearer <ID token>`"


def render_operation(document: dict[str, Any], method: str, path: str, operation: dict[str, Any]) -> list[str]:
    lines = [
        f"### {operation['summary']}",
        "",
        f"`{method.upper()} {path}`",
        "",
        f"**Who:** {_who(document, operation, path)}.",
        "",
    ]
    if operation.get("description"):
        lines += [_text(operation["description"]), ""]
    parameters = operation.get("parameters", [])
    if parameters:
        lines += ["**Parameters**", ""]
        lines += _fields_table(
            [
                (
                    p["name"],
                    {**p.get("schema", {}), **({"description": p["description"]} if "description" in p else {})},
                    p.get("required", False),
                    p["in"],
                )
                for p in parameters
            ]
        )
        lines.append("")
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body:
        required = set(body.get("required", []))
        lines += ["**Body** (JSON object; unknown fields are refused)", ""]
        lines += _fields_table(
            [(name, spec, name in required, "") for name, spec in body.get("properties", {}).items()]
        )
        lines.append("")
    lines += _answer(document, operation)
    lines += ["**Responses**", "", "| status | meaning |", "| --- | --- |"]
    for status, response in sorted(operation.get("responses", {}).items()):
        lines.append(f"| {status} | {_cell(_text(response.get('description', '')))} |")
    lines.append("")
    return lines


def _answer(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    """The success answer's top-level fields, and the operations its links lead to."""
    lines: list[str] = []
    status, success = next(((s, r) for s, r in operation.get("responses", {}).items() if s.startswith("2")), ("", {}))
    schema = success.get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("properties"):
        always = set(schema.get("required", []))
        lines += [f"**Answer** ({status}, JSON object; the fields marked *yes* are always there, nothing else is)", ""]
        lines += _fields_table(
            [
                (
                    name,
                    {
                        **spec,
                        **(
                            {"description": "(nullable) " + spec.get("description", "")} if spec.get("nullable") else {}
                        ),
                    },
                    name in always,
                    "",
                )
                for name, spec in schema["properties"].items()
            ]
        )
        lines.append("")
    by_id = {
        op.get("operationId"): f"{method.upper()} {path}"
        for path, methods in document.get("paths", {}).items()
        for method, op in methods.items()
    }
    links = success.get("links", {})
    if links:
        steps = ", ".join(f"`{by_id.get(link['operationId'], link['operationId'])}`" for link in links.values())
        lines += [f"**Leads to** (OpenAPI links): {steps}.", ""]
    return lines


def render(document: dict[str, Any]) -> str:
    info = document.get("info", {})
    base = (document.get("servers") or [{"url": "/"}])[0]["url"]
    lines = [
        f"## {info.get('title', 'API')} {info.get('version', '')}".rstrip(),
        "",
        _text(info.get("description", "")),
        "",
        f"Paths below are relative to the API's base URL: `apiUrl` of the site's `portal-config.json` "
        f"(`{base}` on the local stack). The machine-readable document is served at "
        f"`{base.rstrip('/')}/openapi.json`.",
        "",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, methods in document.get("paths", {}).items():
        for method in sorted(methods, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99):
            operation = methods[method]
            by_tag.setdefault((operation.get("tags") or ["Other"])[0], []).append((method, path, operation))
    for tag, operations in by_tag.items():
        lines += [f"## {tag}", ""]
        for method, path, operation in operations:
            lines += render_operation(document, method, path, operation)
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    reference = render(openapi_document())
    if MARKER in markdown:
        return markdown.replace(MARKER, reference)
    return markdown.rstrip() + "\n\n" + reference + "\n"
