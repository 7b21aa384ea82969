"""Every Thai string a person can read has its English translation.

The application is Thai first: msgids are Thai, and English comes from
prongsai/web/locale/en/LC_MESSAGES/django.po. A string marked for translation but missing from the
catalogue (or left empty or fuzzy) silently shows Thai on an English page. This test extracts the
marked strings afresh with Django's makemessages (GNU xgettext) from a copy of the code, so the
repository's catalogue is never rewritten, and names every string without an English translation.
The catalogue is read with GNU gettext's own tools (msgattrib, msgfmt), installed by `make test`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "prongsai" / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCES = ("*.py", "*.html", "*.txt")


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"GNU gettext is missing ({name}): `make test` installs it (apt-get install gettext)")
    return path


def _msgids(po_text: str) -> list[str]:
    """The msgids of a catalogue's text (multi-line ids joined), without the header's empty id."""
    ids = []
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po_text, flags=re.M):
        msgid = "".join(re.findall(r'^"(.*)"$', block, flags=re.M))
        if msgid:
            ids.append(msgid)
    return ids


def _keep(folder: str, names: list[str]) -> list[str]:
    """copytree's ignore: only sources gettext reads (and the catalogue), no caches or assets."""
    return [
        n
        for n in names
        if n in ("__pycache__", "static", "fonts", "data")
        or not (Path(folder, n).is_dir() or n == "django.po" or any(Path(n).match(p) for p in SOURCES))
    ]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    _gettext_tool("xgettext")
    copy = tmp_path_factory.mktemp("messages")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    shutil.copytree(ROOT / "prongsai", copy / "prongsai", ignore=_keep)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "prongsai.web.settings",
            "PRONGSAI_DEBUG": "1",
            "PYTHONPATH": str(copy),
        },
    )
    return copy / "prongsai" / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_marked_string_has_an_english_translation(extracted):
    untranslated = subprocess.run(
        [_gettext_tool("msgattrib"), "--untranslated", "--no-wrap", str(extracted)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        [_gettext_tool("msgattrib"), "--only-fuzzy", "--no-wrap", str(extracted)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = sorted(set(_msgids(untranslated)) | set(_msgids(fuzzy)))
    assert not missing, (
        f"{len(missing)} strings have no English translation in {PO.relative_to(ROOT)}:\n"
        + "\n".join(f"  {m}" for m in missing[:80])
    )


def test_the_catalogue_compiles_without_duplicates():
    checked = subprocess.run(
        [_gettext_tool("msgfmt"), "--check-format", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    ids = _msgids(PO.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids))
