#!/bin/sh
# Sample documents for review: DOCX, PDF and page images of each kind, under docs/samples/.
set -eu
PRONGSAI="$1"
cd "$(dirname "$0")/.."
OUT=docs/samples
TRUTH=../shared/seeds/truth
rm -rf "$OUT" && mkdir -p "$OUT"
gen() {  # name kind file [options]
    name="$1" kind="$2" file="$3"; shift 3
    for fmt in docx pdf; do
        "$PRONGSAI" document "$kind" "$file" --format "$fmt" -o "$OUT/$name.$fmt" "$@" >/dev/null
    done
    pdftoppm -r 60 -png -l 3 "$OUT/$name.pdf" "$OUT/$name-page"
}
gen analysis analysis prongsai/demo/seed003.json
gen plan plan prongsai/demo/seed003.json
gen memo memo prongsai/demo/seed003.json --wraps plan
gen progress-status progress "$TRUTH/000_e9d7a321b73c9154.json" --layout status
gen progress-result progress "$TRUTH/004_6d1be2a9d93a9e58.json" --layout result
"$PRONGSAI" document analysis prongsai/demo/seed003.json --format html -o "$OUT/analysis.html" >/dev/null
if command -v chromium >/dev/null 2>&1; then  # the public page as a reader sees it
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" --window-size=1100,1400 \
        --screenshot="$OUT/analysis-html-screenshot.png" "file://$(pwd)/$OUT/analysis.html" 2>/dev/null
fi
rm -rf "$OUT/fonts"  # the fonts are installed by make, never committed
ls "$OUT"
