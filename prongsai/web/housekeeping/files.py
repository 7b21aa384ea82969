"""Stored files nobody needs any more: removed from storage.

A deleted evidence row's file goes once the deletion has committed (a rolled-back deletion keeps
it), unless something still names it: another evidence row, or the snapshot of an accepted import
whose undo would put the row back. The daily sweep (``sweep_orphans``) compares what storage holds
under ``evidence/`` and ``emblems/`` with what the rows name and removes what nothing names once
it is a day old (an upload in progress has no row yet), and ``sweep_temp_uploads`` removes the
temporary upload files that killed requests leave in ``FILE_UPLOAD_TEMP_DIR``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete
from django.utils import timezone

log = logging.getLogger("prongsai.housekeeping")

# The folders of MEDIA_ROOT whose files belong to rows (models.evidence_path, emblem_path).
SWEPT_FOLDERS = ("evidence", "emblems")


def _snapshot_names(only: str | None = None) -> set[str]:
    """Evidence files named by the snapshot of an accepted import (its undo restores the rows)."""
    from prongsai.web.imports.models import ImportJob, JobStatus

    jobs = ImportJob.objects.filter(status=JobStatus.ACCEPTED, snapshot__isnull=False)
    if only:
        jobs = jobs.annotate(snapshot_text=Cast("snapshot", TextField())).filter(snapshot_text__contains=only)
    names = set()
    for snapshot in jobs.values_list("snapshot", flat=True).iterator():
        for row in (snapshot or {}).get("evidence") or []:
            name = (row.get("fields") or {}).get("file")
            if name:
                names.add(name)
    return names


def referenced_names() -> set[str]:
    """Every stored file name a row needs."""
    from prongsai.web.agencies.models import Agency
    from prongsai.web.cycle.models import Evidence

    names = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
    names |= set(Agency.objects.exclude(emblem="").values_list("emblem", flat=True))
    return names | _snapshot_names()


def still_named(name: str) -> bool:
    from prongsai.web.agencies.models import Agency
    from prongsai.web.cycle.models import Evidence

    return (
        Evidence.objects.filter(file=name).exists()
        or Agency.objects.filter(emblem=name).exists()
        or name in _snapshot_names(only=name)
    )


def remove_if_unneeded(name: str) -> bool:
    """Remove the stored file ``name`` unless a row still names it; True when removed."""
    if not name or still_named(name):
        return False
    try:
        if not default_storage.exists(name):
            return False
        default_storage.delete(name)
    except OSError:
        log.exception("could not remove the stored file %s", name)
        return False
    log.info("removed the stored file %s (its row was deleted)", name)
    return True


def _evidence_deleted(sender, instance, **kwargs) -> None:
    name = instance.file.name if instance.file else ""
    if name:
        transaction.on_commit(lambda: remove_if_unneeded(name), robust=True)


def connect() -> None:
    from prongsai.web.cycle.models import Evidence

    post_delete.connect(_evidence_deleted, sender=Evidence, dispatch_uid="housekeeping.evidence_file")


def _walk(folder: str) -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from _walk(f"{folder}/{d}")


def orphans(now: datetime | None = None) -> list[tuple[str, int]]:
    """Stored files under the swept folders that no row names, older than the retention's
    ``orphan_file_hours``: (name, size)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.PRONGSAI_RETENTION["orphan_file_hours"])
    needed = referenced_names()
    found = []
    for folder in SWEPT_FOLDERS:
        for name in _walk(folder):
            if name in needed:
                continue
            try:
                if default_storage.get_modified_time(name) >= cutoff:
                    continue
                found.append((name, default_storage.size(name)))
            except OSError:
                continue
    return found


def sweep_orphans(dry_run: bool = False, now: datetime | None = None) -> list[tuple[str, int]]:
    found = orphans(now)
    if not dry_run:
        for name, _size in found:
            try:
                default_storage.delete(name)
            except OSError:
                log.exception("could not remove the orphan file %s", name)
    return found


def stale_temp_uploads(now: float | None = None) -> list[tuple[Path, int]]:
    """Files in FILE_UPLOAD_TEMP_DIR older than the retention's ``temp_upload_hours``: a request
    still being read writes to its file, so a file that old belongs to a request that died."""
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder or not os.path.isdir(folder):
        return []
    cutoff = (now or time.time()) - settings.PRONGSAI_RETENTION["temp_upload_hours"] * 3600
    found = []
    for entry in os.scandir(folder):
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if entry.is_file(follow_symlinks=False) and st.st_mtime < cutoff:
            found.append((Path(entry.path), st.st_size))
    return found


def sweep_temp_uploads(dry_run: bool = False, now: float | None = None) -> list[tuple[Path, int]]:
    found = stale_temp_uploads(now)
    if not dry_run:
        for path, _size in found:
            path.unlink(missing_ok=True)
    return found
