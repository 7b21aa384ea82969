"""Fix WeasyPrint's PDF text layer for Thai marks.

HarfBuzz draws ำ as two glyphs, nikhahit + sara aa, in one cluster (and a tone mark before it in
น้ำ); WeasyPrint's ToUnicode map gives such glyphs either the first text it saw ("ำ" on sara aa,
so "การ" copies as "กำร"; research/stack-check.md, section 2) or nothing (so "นำ" copies as "นา",
as seen with WeasyPrint 70.0 here). Just before the font dictionaries are written, every glyph
mapped to nothing or to "ำ" is mapped back to its own character from the font's cmap.
WeasyPrint is pinned because this wraps one of its module-level functions.
"""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

SARA_AM, SARA_AA, NIKHAHIT = "\u0e33", "\u0e32", "\u0e4d"
_installed = False


def _fix_font(font) -> None:
    broken = [gid for gid, text in font.to_unicode.items() if text in ("", SARA_AM)]
    if not broken:
        return
    tt = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
    order = tt.getGlyphOrder()
    by_name = {name: cp for cp, name in (tt.getBestCmap() or {}).items()}
    for gid in broken:
        cp = by_name.get(order[gid]) if gid < len(order) else None
        if cp is not None:
            # The glyph's own character: sara aa, nikhahit, a tone mark left empty in a cluster.
            font.to_unicode[gid] = chr(cp)
        elif font.to_unicode[gid] == SARA_AM:
            font.to_unicode[gid] = NIKHAHIT + SARA_AA  # a ligature glyph: NFKC-equal to ำ


def install() -> None:
    global _installed
    if _installed:
        return
    import weasyprint.pdf as wpdf

    original = wpdf.build_fonts_dictionary

    def build_fonts_dictionary(pdf, fonts, *args, **kwargs):
        for font in fonts.values():
            _fix_font(font)
        return original(pdf, fonts, *args, **kwargs)

    wpdf.build_fonts_dictionary = build_fonts_dictionary
    _installed = True
