"""TypeScript interfaces from the pydantic documents (``src/documents.ts``).

:func:`mastery_nb.documents.typescript` calls :func:`typescript` with every document; this
module is the translation of their JSON Schemas into ``export interface I<Model>`` blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

__all__ = ["typescript"]

_HEADER = """\
/**
 * The documents that cross HTTP between the sidebar, the learner's Jupyter server and the
 * mastery service. GENERATED from mastery_nb/documents.py: do not edit by hand; run
 *
 *     python -m mastery_nb.documents --typescript > src/documents.ts
 *
 * (a test fails when this file differs from what the Python models say).
 */
"""


def _ts_type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return "I" + str(schema["$ref"]).rsplit("/", 1)[-1]
    if "const" in schema:
        return _ts_literal(schema["const"])
    if "enum" in schema:
        return " | ".join(_ts_literal(v) for v in schema["enum"])
    if "anyOf" in schema:
        parts: list[str] = []
        for option in schema["anyOf"]:
            text = _ts_type(option)
            if text not in parts:
                parts.append(text)
        return " | ".join(parts)
    kind = schema.get("type")
    if kind == "string":
        return "string"
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "null":
        return "null"
    if kind == "array":
        inner = _ts_type(schema.get("items", {}))
        return f"({inner})[]" if " " in inner else f"{inner}[]"
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            return f"Record<string, {_ts_type(values)}>"
        return "Record<string, unknown>"
    return "unknown"


def _ts_literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _ts_interface(name: str, schema: dict[str, Any]) -> str:
    lines = []
    if schema.get("description"):
        doc = " ".join(str(schema["description"]).split())
        lines.append(f"/** {doc} */")
    lines.append(f"export interface I{name} {{")
    required = set(schema.get("required", []))
    for field, spec in schema.get("properties", {}).items():
        # a field with a default is always present in what the server sends
        optional = field not in required and "default" not in spec
        lines.append(f"  {field}{'?' if optional else ''}: {_ts_type(spec)};")
    lines.append("}")
    return "\n".join(lines)


def typescript(models: Iterable[type[BaseModel]]) -> str:
    """TypeScript interfaces (``I<Model>``) for the documents and every model they use."""
    definitions: dict[str, dict[str, Any]] = {}
    for model in models:
        schema = model.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
    blocks = [_HEADER.rstrip("\n")]
    for name in sorted(definitions):
        blocks.append(_ts_interface(name, definitions[name]))
    return "\n\n".join(blocks) + "\n"
