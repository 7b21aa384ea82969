"""The JSON Schema of ``prongsai/1``, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prongsai.interchange.models import FORMAT, Document

SCHEMA_FILE = Path(__file__).with_name("prongsai-1.schema.json")


def interchange_schema() -> dict[str, Any]:
    schema = Document.model_json_schema(by_alias=False)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://prongsai.example/schema/{FORMAT.replace('/', '-')}.json"
    schema["title"] = f"Prongsai interchange format {FORMAT}"
    return schema


def write_schema(path: Path = SCHEMA_FILE) -> None:
    path.write_text(json.dumps(interchange_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
