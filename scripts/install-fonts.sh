#!/bin/sh
# TH Sarabun New (SIPA, GPL-2+ with the font exception) from PyPI, never committed.
# The only registry package that carries the real TTFs is an Odoo add-on that depends on Odoo,
# so it is downloaded without dependencies and only the four font files (and the licence) are kept.
# They go to prongsai/documents/fonts/ (Typst and the column-width measure load them by path) and, as root,
# to /usr/local/share/fonts so that fontconfig (LibreOffice) finds the real family and does not
# fall back to Debian's synthetic "TH Sarabun" alias.
set -eu
PIP="$1"
DEST="$(dirname "$0")/../prongsai/documents/fonts"
PKG="odoo-addon-l10n-th-base-utils==19.0.2.0.0"
INNER="odoo/addons/l10n_th_base_utils/static/fonts/thai/THSarabunNew"
mkdir -p "$DEST"
if [ ! -f "$DEST/THSarabunNew-Regular.ttf" ]; then
    tmp="$(mktemp -d)"
    "$PIP" download --quiet --no-deps --dest "$tmp" "$PKG"
    "$(dirname "$PIP")/python" - "$tmp" "$DEST" "$INNER" <<'PY'
import glob, hashlib, sys, zipfile
tmp, dest, inner = sys.argv[1:]
expected = {
    "THSarabunNew-Regular.ttf": "b248f824f3d7a8576bc396826a4d898070c1420564f6ce6aa716aa8ad24f824a",
    "THSarabunNew-Bold.ttf": "49596f298a8fe248c5340b4589b3b4adfcf34a3e24084ebeb4f49c6600f75fa7",
    "THSarabunNew-Italic.ttf": "341b9b5d13b696f74c6318d32bbae7ff183e6bdc07ef3ca1a6f9c5dd83c6494b",
    "THSarabunNew-BoldItalic.ttf": "64a69cbeca6d34dc754a7ab2106615c14fbd359d339ed0f65d2a7b17de14cdfa",
}
with zipfile.ZipFile(glob.glob(f"{tmp}/*.whl")[0]) as z:
    for name, digest in expected.items():
        data = z.read(f"{inner}/{name}")
        if hashlib.sha256(data).hexdigest() != digest:
            sys.exit(f"{name}: SHA-256 differs from the pinned font; refusing to install it")
        with open(f"{dest}/{name}", "wb") as f:
            f.write(data)
        print(f"installed font {name}")
PY
    rm -rf "$tmp"
fi
if [ "$(id -u)" = 0 ] && command -v fc-cache >/dev/null 2>&1; then
    mkdir -p /usr/local/share/fonts/thsarabunnew
    cp "$DEST"/THSarabunNew-*.ttf /usr/local/share/fonts/thsarabunnew/
    fc-cache -f /usr/local/share/fonts/thsarabunnew >/dev/null
fi
