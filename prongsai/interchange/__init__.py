"""The versioned interchange format (``prongsai/1``) and its reader."""

from prongsai.interchange.models import (
    FORMAT,
    Agency,
    Assessment,
    Document,
    Evidence,
    Measure,
    Note,
    StatedChanges,
    ToolScores,
)
from prongsai.interchange.reader import InterchangeError, load_document, parse_document

__all__ = [
    "FORMAT",
    "Agency",
    "Assessment",
    "Document",
    "Evidence",
    "InterchangeError",
    "Measure",
    "Note",
    "StatedChanges",
    "ToolScores",
    "load_document",
    "parse_document",
]
