"""Helpers that write a source text and its truth JSON in the seeds' truth format."""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent


def A(year, overall=None, level=None, tools=None, indicators=None, items=None):
    t = {"IIT": None, "EIT": None, "EIT_1": None, "EIT_2": None, "OIT": None}
    t.update(tools or {})
    return {"year_be": year, "overall": overall, "level": level, "tools": t,
            "indicators": indicators or {}, "items": items or {}}


def M(no, title, method=None, responsible=None, period=None, indicator=None, status=None,
      result=None, outcome=None, suggestion=None, monitoring=None, evidence=None):
    return {"no": no, "title": title, "method": method, "responsible": responsible,
            "period": period, "indicator": indicator, "status": status, "result": result,
            "outcome": outcome, "suggestion": suggestion, "monitoring": monitoring,
            "evidence": evidence or []}


def memo(unit=None, ref_no=None, date=None, subject=None, to=None, signers=()):
    return {"unit": unit, "ref_no": ref_no, "date": date, "subject": subject, "to": to,
            "signers": [{"name": n, "position": p} for n, p in signers]}


def write(stem, text=None, *, kinds, agency, fy=None, assessments=(), memo=None, measures=(),
          inconsistencies=(), source=None):
    """agency = (name, type, district, province)."""
    if text is not None:
        (OUT / f"{stem}.txt").write_text(text.strip("\n") + "\n", encoding="utf-8")
    name, typ, district, province = agency
    truth = {
        "source": source or f"{stem}.txt",
        "kinds": list(kinds),
        "agency": {"name": name, "type": typ, "district": district, "province": province},
        "report_fiscal_year_be": fy,
        "assessments": list(assessments),
        "memo": memo,
        "measures": list(measures),
        "inconsistencies": list(inconsistencies),
    }
    (OUT / f"{stem}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
