"""The one error the importer raises for bad input: a code, a Thai message for users and an
English one for logs and the CLI. Nothing is written when it is raised."""

from __future__ import annotations


class ImportFailure(Exception):
    def __init__(self, code: str, message_en: str, message_th: str, *, source: str | None = None):
        self.code = code
        self.message_en = message_en
        self.message_th = message_th
        self.source = source
        super().__init__(f"{source}: {message_en}" if source else message_en)

    def to_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "source": self.source,
            "message_en": self.message_en,
            "message_th": self.message_th,
        }
