"""What every extractor returns: the text and how it was obtained."""

from __future__ import annotations

from dataclasses import dataclass

METHODS = ("text", "docx", "pdf", "ocr", "doc")


@dataclass(frozen=True)
class Extracted:
    text: str  # the whole text, lines separated by "\n"
    method: str  # one of METHODS
    pages: int | None  # pages for PDF/OCR, None otherwise
    encoding: str | None  # plain text only: "utf-8", "utf-16", "cp874"
    warnings: tuple[str, ...] = ()  # English, for logs and the review screen

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")
