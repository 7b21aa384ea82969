"""The public directory at /p/: find an agency by name, province and type.

Every agency is listed, with the years it has published (approved) and links to them, so a
citizen who looks for their municipality finds it either way and sees whether it has published;
"published only" narrows the list. Nothing of a draft is read here: a year is shown only when it
has an approval.

The name search is forgiving: Thai text is compared as ``thai.normalise.comparable`` reduces it
(NFC, no spaces or zero-width characters, sara am composed, Thai digits as arabic), the common
abbreviations (อบต. ทต. ทม. ทน. อบจ.) stand for the full type, a part of the name is enough
("ท่ามะพลา" finds "เทศบาลตำบลท่ามะพลา"), several words may name the name, district and province
("ท่ามะพลา พัทลุง"), and when nothing contains the words a close spelling is offered (rapidfuzz).

Inputs are bounded before anything reaches the database: a query longer than ``MAX_QUERY``, a
page that is not a small number, a province or type that does not exist give an empty result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Exists, OuterRef
from rapidfuzz import fuzz, process

from prongsai.thai.normalise import comparable
from prongsai.web.agencies.models import AGENCY_TYPES, Agency
from prongsai.web.cycle.models import Approval, Decision

MAX_QUERY = 100
PER_PAGE = 20
_PAGE = re.compile(r"[0-9]{1,5}")
FUZZY_CUTOFF = 80
FUZZY_LIMIT = 40
ABBREVIATIONS = {
    "อบต": "องค์การบริหารส่วนตำบล",
    "อบจ": "องค์การบริหารส่วนจังหวัด",
    "ทต": "เทศบาลตำบล",
    "ทม": "เทศบาลเมือง",
    "ทน": "เทศบาลนคร",
}
# An abbreviation is a word of its own (followed by a dot, a space or the end).
_ABBR = re.compile(r"(?<![\u0e00-\u0e7f])(" + "|".join(ABBREVIATIONS) + r")(?:\.|(?=\s)|$)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TYPE_CODES = [code for code, _ in AGENCY_TYPES]


def expand(text: str) -> str:
    return _ABBR.sub(lambda m: ABBREVIATIONS[m.group(1)] + " ", text)


def key(text: str) -> str:
    """What a name is compared as."""
    return comparable(expand(text))


@lru_cache(maxsize=65536)
def _keys(name: str, district: str, province: str, type_: str) -> tuple[str, str, str]:
    """(the name's key, the name's key without its type in front, the key of everything a word
    may match: name, district, province, type)."""
    name_key, type_key = key(name), key(type_)
    bare = name_key[len(type_key) :] if type_key and name_key.startswith(type_key) else name_key
    hay = "|".join([name_key, key(f"อำเภอ{district}"), key(f"จังหวัด{province}"), type_key])
    return name_key, bare, hay


@dataclass
class Query:
    q: str = ""
    province: str = ""
    type: str = ""
    published: bool = False
    page: int = 1
    problem: str = ""  # why the result is empty without looking (the template says it)

    @property
    def active(self) -> bool:
        return bool(self.q or self.province or self.type or self.published)


def read_query(params, provinces: list[str]) -> Query:
    """The request's parameters, each bounded; garbage makes an empty result, never an error."""
    q = _CONTROL.sub("", str(params.get("q", ""))).strip()
    out = Query(
        q=q[:MAX_QUERY],
        province=str(params.get("province", "")).strip(),
        type=str(params.get("type", "")).strip(),
        published=params.get("published") == "1",
    )
    raw_page = params.get("page", "")
    if len(q) > MAX_QUERY:
        out.problem = "long"
    if raw_page not in ("", None):
        if isinstance(raw_page, str) and _PAGE.fullmatch(raw_page) and int(raw_page) >= 1:
            out.page = int(raw_page)
        else:
            out.problem = out.problem or "page"
    if out.province and out.province not in provinces:
        out.problem = out.problem or "filter"
    if out.type and out.type not in TYPE_CODES:
        out.problem = out.problem or "filter"
    return out


@dataclass
class Result:
    query: Query
    total: int = 0
    pages: int = 0
    rows: list[dict] = field(default_factory=list)
    fuzzy: bool = False  # nothing contained the words: close spellings instead


def provinces() -> list[str]:
    return list(Agency.objects.order_by("province").values_list("province", flat=True).distinct())


def _published():
    return Approval.objects.filter(plan__agency=OuterRef("pk"), decision=Decision.APPROVED)


def _match(q: str, candidates: list[tuple]) -> tuple[list[int], bool]:
    """Ids of the candidates (pk, name, type, district, province) matching ``q``, best first, then
    by province and name; (ids, whether they are close spellings rather than matches)."""
    whole = key(q)
    words = [w for w in (key(t) for t in expand(q).split()) if w]
    keys = [_keys(name, district, province, type_) for _, name, type_, district, province in candidates]
    ranked = [(0 if whole in (k[0], k[1]) else 1, n) for n, k in enumerate(keys) if whole in k[0]]
    if not ranked and words:
        ranked = [(2, n) for n, k in enumerate(keys) if all(w in k[2] for w in words)]
    if ranked:
        # Best first; within a rank as the directory is ordered (province, name).
        ranked.sort(key=lambda r: (r[0], candidates[r[1]][4], candidates[r[1]][1], candidates[r[1]][0]))
        return [candidates[n][0] for _, n in ranked], False
    if len(whole) < 3:
        return [], False
    names = {c[0]: k[0] for c, k in zip(candidates, keys, strict=True)}
    close = process.extract(
        whole, names, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, limit=FUZZY_LIMIT
    )
    return [pk for _, _, pk in close], True


def search(query: Query, known_provinces: list[str]) -> Result:
    """One page of the directory. Without a name, the database pages (two small queries at any
    size); with one, the names of the filtered agencies are compared here (see the module's note)."""
    result = Result(query)
    if query.problem:
        return result
    agencies = Agency.objects.all()
    if query.province:
        agencies = agencies.filter(province=query.province)
    if query.type:
        agencies = agencies.filter(type=query.type)
    if query.published:
        agencies = agencies.filter(Exists(_published()))
    start = (query.page - 1) * PER_PAGE
    cols = ("pk", "name", "slug", "type", "district", "province")
    if not key(query.q):
        result.total = agencies.count()
        rows = list(agencies.order_by("province", "name", "pk").values_list(*cols)[start : start + PER_PAGE])
    else:
        candidates = list(agencies.order_by().values_list("pk", "name", "type", "district", "province"))
        ids, result.fuzzy = _match(query.q, candidates)
        result.total = len(ids)
        page_ids = ids[start : start + PER_PAGE]
        found = {r[0]: r for r in Agency.objects.filter(pk__in=page_ids).values_list(*cols)}
        rows = [found[pk] for pk in page_ids if pk in found]
    result.pages = (result.total + PER_PAGE - 1) // PER_PAGE
    if not rows:
        return result
    years: dict[int, list[int]] = {}
    for agency_id, year in (
        Approval.objects.filter(decision=Decision.APPROVED, plan__agency_id__in=[r[0] for r in rows])
        .values_list("plan__agency_id", "plan__fiscal_year")
        .distinct()
    ):
        years.setdefault(agency_id, []).append(year)
    for pk, name, slug, type_, district, province in rows:
        result.rows.append(
            {
                "name": name,
                "slug": slug,
                "type": type_,
                "district": district,
                "province": province,
                "years": sorted(years.get(pk, []), reverse=True),
            }
        )
    return result
