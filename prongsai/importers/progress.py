"""What the importer is doing, for whoever watches (the web worker shows "อ่านหน้า 12/40").

A reader is installed for the duration of one import (``service.import_bytes(progress=...)``);
without one, :func:`report` costs a function call. Stages: "pages" (text layer, page by page),
"ocr" (pages or frames read from images), "recognise" (fields from the text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

Reader = Callable[[str, int, int], None]

_reader: ContextVar[Reader | None] = ContextVar("import_progress", default=None)


def report(stage: str, done: int, total: int) -> None:
    """``done`` of ``total`` (0: not known) in ``stage``; a reader's own error is not the import's."""
    reader = _reader.get()
    if reader is not None:
        with suppress(Exception):  # progress is advisory: the import goes on
            reader(stage, done, total)


@contextmanager
def reporting(reader: Reader | None) -> Iterator[None]:
    token = _reader.set(reader)
    try:
        yield
    finally:
        _reader.reset(token)
