"""Check that every text value of each truth file occurs in its source (whitespace-insensitive)
and that every score printed in the truth occurs in the source."""
import json, re, subprocess, sys
from pathlib import Path
import docx

D = Path(__file__).resolve().parent.parent
TH = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def source_text(p):
    if p.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True).stdout
    if p.suffix == ".docx":
        d = docx.Document(p)
        parts = [x.text for x in d.paragraphs]
        for s in d.sections:
            parts += [x.text for x in s.header.paragraphs]
        return "\n".join(parts)
    return p.read_text(encoding="utf-8")


def norm(s):
    return re.sub(r"\s+", "", s)


bad = 0
for t in sorted(D.glob("*.json")):
    truth = json.loads(t.read_text(encoding="utf-8"))
    src = norm(source_text(D / truth["source"]))
    srcd = src.translate(TH)
    texts = []
    for m in truth["measures"]:
        for k in ("title", "method", "responsible", "period", "result", "outcome", "suggestion", "monitoring"):
            if m[k]:
                texts.append((k, m[k]))
        texts += [("evidence", e) for e in m["evidence"]]
    if truth["memo"]:
        for k in ("unit", "ref_no", "subject", "to"):
            if truth["memo"][k]:
                texts.append((k, truth["memo"][k]))
        for s in truth["memo"]["signers"]:
            texts += [("signer", v) for v in s.values() if v]
    for k, v in texts:
        if norm(v) not in src:
            bad += 1
            print(f"{t.stem}: {k} not found: {v[:70]}")
    for a in truth["assessments"]:
        vals = [a["overall"], *a["tools"].values(), *a["indicators"].values(), *a["items"].values()]
        for v in vals:
            if v is None:
                continue
            forms = {f"{v:.2f}", f"{v:g}", f"{v:.1f}"}
            if not any(f in srcd for f in forms):
                bad += 1
                print(f"{t.stem}: score {v} not found")
        if a["level"] and norm(a["level"]) not in src:
            bad += 1
            print(f"{t.stem}: level {a['level']} not found")
        if str(a["year_be"]) not in srcd and str(a["year_be"] - 543) not in srcd and str(a["year_be"])[2:] not in srcd:
            print(f"{t.stem}: year {a['year_be']} not found")
print("problems:", bad)
sys.exit(bool(bad))
