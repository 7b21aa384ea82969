"""Read an interchange file into a :class:`Document`, with one clear message per problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from prongsai.interchange.models import Document


class InterchangeError(Exception):
    """Input that is not a valid interchange document. The message names where and what."""


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _bounds_message(err: ErrorDetails) -> str:
    """'score 120 is outside 0-100' for scores; the real bounds for changes and budgets."""
    field = err["loc"][-1] if err["loc"] else ""
    loc = [str(x) for x in err["loc"]]
    if "stated_changes" in loc:
        return f"change {err['input']} is outside -100 to +100"
    if field == "budget":
        return f"budget {err['input']} cannot be negative"
    return f"score {err['input']} is outside 0-100"


def describe_validation_error(exc: ValidationError, limit: int = 3) -> str:
    errors = exc.errors()
    parts = []
    for err in errors[:limit]:
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] in ("less_than_equal", "greater_than_equal") and "input" in err:
            msg = _bounds_message(err)
        parts.append(f"{_location(err['loc'])}: {msg}")
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return "; ".join(parts) + more


def parse_document(data: Any, *, origin: str = "input") -> Document:
    if not isinstance(data, dict):
        raise InterchangeError(f"{origin}: expected a JSON object, got {type(data).__name__}")
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        raise InterchangeError(f"{origin}: {describe_validation_error(exc)}") from None


def load_document(path: str | Path) -> Document:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InterchangeError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InterchangeError(f"{p}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise InterchangeError(f"{p}: not UTF-8 text (is it a JSON file?)") from None
    except OSError as exc:
        raise InterchangeError(f"{p}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{p}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    return parse_document(data, origin=str(p))
