"""The ``prongsai`` command: everything a user or operator does from a shell.

Readable Thai tables by default, ``--json`` for machines. Bad input is one line on stderr
(English, naming the file, the key and the problem) and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from prongsai import __version__
from prongsai.interchange import Document, InterchangeError, load_document
from prongsai.interchange.schema import interchange_schema
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import AssessmentScore, analyse_document, score_document, uncertain_facts
from prongsai.ita.edition import EditionError, all_editions
from prongsai.ita.findings import Finding
from prongsai.ita.library import LibraryError
from prongsai.ita.plan import draft_plan

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


def _report() -> ModuleType:
    """The text reports, imported by the commands that print one: not by ``document``, whose
    whole-process time is a figure of issue 9."""
    from prongsai.report import text

    return text


class UsageError(Exception):
    """A request the command cannot carry out (e.g. a year the file does not have)."""


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_score(args: argparse.Namespace) -> int:
    doc = load_document(args.file)
    if not doc.assessments:
        raise UsageError(f"{args.file}: the file has no assessment to score (ไม่มีผลการประเมินให้คำนวณ)")
    skipped: list[Finding] = []
    scores = score_document(doc, skipped)
    if args.json:
        _dump(
            {
                "format": "prongsai/1",
                "agency": doc.agency.model_dump(),
                "assessments": [s.to_dict() for s in scores],
                "skipped": [f.to_dict() for f in skipped],
            }
        )
    else:
        print(_report().scores(doc, scores, thai_digits=args.thai_digits, skipped=skipped))
    return 0


def _analysis(args: argparse.Namespace) -> tuple[Document, Analysis, list[AssessmentScore]]:
    doc = load_document(args.file)
    try:
        return doc, *analyse_document(doc, args.year)
    except ValueError as exc:
        raise UsageError(f"{args.file}: {exc}") from None


def cmd_analyze(args: argparse.Namespace) -> int:
    doc, analysis, _ = _analysis(args)
    if args.json:
        out = analysis.to_dict()
        out["findings"] = [f.to_dict() for f in analysis.findings]
        out["uncertain_facts"] = uncertain_facts(analysis.result.edition)
        _dump({"format": "prongsai/1", "agency": doc.agency.model_dump(), "analysis": out})
    else:
        print(_report().analysis(doc, analysis, thai_digits=args.thai_digits))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    doc, analysis, _ = _analysis(args)
    plan = draft_plan(analysis, fiscal_year=args.plan_year)
    if args.json:
        _dump(
            {
                "format": "prongsai/1",
                "agency": doc.agency.model_dump(),
                "plan": plan.to_dict(),
                "measures": [
                    m.to_interchange().model_dump(mode="json", exclude_none=True) for m in plan.measures
                ],
            }
        )
    else:
        print(_report().plan(doc, plan, thai_digits=args.thai_digits))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    doc = load_document(args.file)
    skipped: list[Finding] = []
    scores = score_document(doc, skipped)
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in [*skipped, *(f for s in scores for f in s.findings)]:
        counts[f.severity] += 1
    if args.json:
        _dump(
            {
                "valid": True,
                "file": str(args.file),
                "assessments": len(doc.assessments),
                "measures": len(doc.measures),
                "findings": counts,
                "details": [s.to_dict() for s in scores],
                "skipped": [f.to_dict() for f in skipped],
            }
        )
    else:
        print(_report().validation(args.file, doc, scores, counts, skipped))
    return 1 if args.strict and (counts["error"] or counts["warning"]) else 0


def cmd_document(args: argparse.Namespace) -> int:
    from prongsai.documents.fonts import FontMissing
    from prongsai.documents.service import FORMATS, DocumentError, build, is_format, render

    doc = load_document(args.file)
    fmt = args.format or (args.output.suffix.lstrip(".").lower() if args.output else "pdf")
    if not is_format(fmt):
        raise UsageError(f"{args.output}: unknown format {fmt!r} ({', '.join(FORMATS)})")
    out = args.output or Path(f"{args.kind}.{fmt}")
    try:
        model = build(
            args.kind,
            doc,
            year=args.year,
            layout=args.layout,
            wraps=args.wraps,
            thai_digits=not args.arabic_digits,
            evidence_dir=args.evidence or args.file.parent,
        )
        render(model, fmt, out)
    except (DocumentError, FontMissing) as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    print(f"{out}")
    return 0


def cmd_preaudit(args: argparse.Namespace) -> int:
    from prongsai.documents.service import folder_images
    from prongsai.ita.preaudit import preaudit

    doc = load_document(args.file)
    try:
        images = folder_images(args.evidence or args.file.parent)
        result = preaudit(doc, args.kind, year=args.year, images=images)
    except ValueError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    if args.json:
        _dump(result.to_dict())
    else:
        print(_report().preaudit(args.file, result))
    return 0 if result.ready else 1


def cmd_editions(args: argparse.Namespace) -> int:
    editions = all_editions()
    if args.json:
        _dump(
            {
                str(y): {"title_th": e.title_th, "status": e.status, "uncertain_facts": uncertain_facts(e)}
                for y, e in editions.items()
            }
        )
    else:
        print(_report().editions(editions, show_uncertain=args.uncertain))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from prongsai.importers import ImportFailure
    from prongsai.importers.service import import_path

    if args.eval:
        return _import_eval(args)
    if not args.paths:
        raise UsageError("import: give one or more files, or --eval DIR")
    failed = 0
    results = []
    for path in args.paths:
        try:
            result = import_path(path)
        except ImportFailure as exc:
            failed += 1
            print(f"prongsai: error: {path}: {exc.message_en}", file=sys.stderr)
            results.append({"source": str(path), "error": exc.to_dict()})
            continue
        if args.output:
            _write_draft(args.output, path, result.document)
        results.append(result.to_dict())
        if not args.json:
            print(_report().import_summary(path, result))
    if args.json:
        _dump(results if len(results) != 1 else results[0])
    return EXIT_BAD_INPUT if failed else 0


def _write_draft(out_dir: Path, source: Path, document: Document) -> None:
    """One interchange file per source, written whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{Path(source).stem}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(document.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
    tmp.replace(target)


def _import_eval(args: argparse.Namespace) -> int:
    from prongsai.importers import ImportFailure
    from prongsai.importers.evaluate import evaluate_pairs, format_report, report_to_dict
    from prongsai.importers.service import import_path

    truth_dir: Path = args.eval
    truths = sorted(p for p in truth_dir.glob("*.json") if p.is_file())
    if not truths:
        raise UsageError(f"{truth_dir}: no ground-truth JSON files")
    pairs = []
    for t in truths:
        truth = json.loads(t.read_text(encoding="utf-8"))
        name = truth.get("source") or f"{t.stem}.txt"
        source = next((d / name for d in (truth_dir, truth_dir.parent) if (d / name).is_file()), None)
        if source is None:
            raise UsageError(f"{t}: its source {name} is neither in {truth_dir} nor in {truth_dir.parent}")
        try:
            predicted = import_path(source).truth_view
        except ImportFailure as exc:
            print(f"prongsai: error: {source}: {exc.message_en}", file=sys.stderr)
            predicted = {"kinds": [], "agency": {}, "assessments": [], "measures": [], "memo": None}
        pairs.append((t.stem, predicted, truth))
    result = evaluate_pairs(pairs)
    if args.json:
        _dump(report_to_dict(result))
    else:
        print(format_report(result))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    _dump(interchange_schema())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prongsai",
        description="ITA workbench: score, analyse and plan from an interchange (prongsai/1) file.",
    )
    parser.add_argument("--version", action="version", version=f"prongsai {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_: str,
        file_arg: bool = True,
        kinds: list[str] | None = None,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        if kinds:
            p.add_argument("kind", choices=kinds, help="document kind")
        if file_arg:
            p.add_argument("file", type=Path, metavar="FILE", help="interchange JSON file (prongsai/1)")
        p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
        p.add_argument("--thai-digits", action="store_true", help="print numbers in Thai digits")
        p.set_defaults(func=func)
        return p

    add("score", cmd_score, "compute every score and level, and compare with what was published")
    for name in ("analyze", "analyse"):
        p = add(name, cmd_analyze, "year-over-year analysis, narratives and the what-if priority list")
        p.add_argument("--year", type=int, help="fiscal year (B.E.) to analyse; default: the latest")
    p = add("plan", cmd_plan, "draft a measures plan covering all 10 indicators, weakest first")
    p.add_argument("--year", type=int, help="assessed fiscal year (B.E.) to plan from; default: latest")
    p.add_argument("--plan-year", type=int, help="fiscal year the measures run in; default: year + 1")
    p = add("validate", cmd_validate, "check that a file is valid interchange and list its findings")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are errors or warnings")
    p = add("editions", cmd_editions, "list the ITA editions and their unconfirmed facts", file_arg=False)
    p.add_argument("--uncertain", action="store_true", help="list every fact below high confidence")
    p = add(
        "document",
        cmd_document,
        "write an official document (analysis, plan, progress, memo)",
        kinds=["analysis", "plan", "progress", "memo"],
    )
    p.add_argument("--format", choices=["docx", "pdf", "html"], help="default: from -o, else pdf")
    p.add_argument("-o", "--output", type=Path, help="output file (default: KIND.FORMAT)")
    p.add_argument("--year", type=int, help="assessed fiscal year to report on; default: the latest")
    p.add_argument(
        "--layout",
        choices=["status", "result"],
        default="status",
        help="progress report layout: status columns or result columns",
    )
    p.add_argument(
        "--wraps",
        choices=["analysis", "plan", "progress"],
        default="progress",
        help="the report a memo asks approval for",
    )
    p.add_argument("--arabic-digits", action="store_true", help="arabic instead of Thai digits")
    p.add_argument(
        "--evidence",
        type=Path,
        metavar="DIR",
        help="folder holding the evidence photos to embed (default: the file's folder)",
    )
    p = add(
        "preaudit",
        cmd_preaudit,
        "check a plan or report against its edition before publishing",
        kinds=["analysis", "plan", "progress", "memo"],
    )
    p.add_argument("--year", type=int, help="assessed fiscal year; default: the latest")
    p.add_argument(
        "--evidence",
        type=Path,
        metavar="DIR",
        help="folder holding the evidence photos (default: the file's folder)",
    )
    add("schema", cmd_schema, "print the JSON Schema of the interchange format", file_arg=False)
    p = add(
        "import",
        cmd_import,
        "read past reports (text, DOCX, PDF, scans) into interchange drafts for review",
        file_arg=False,
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files to import")
    p.add_argument("-o", "--output", type=Path, help="write one draft JSON per file into this folder")
    p.add_argument(
        "--eval",
        type=Path,
        metavar="DIR",
        help="compare drafts with ground-truth files in DIR (sources beside them or one level up)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except EditionError as exc:
        where = getattr(args, "file", None)
        prefix = f"{where}: " if where and not str(exc).startswith(str(where)) else ""
        print(f"prongsai: error: {prefix}{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (InterchangeError, LibraryError, UsageError) as exc:
        print(f"prongsai: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for users; PRONGSAI_DEBUG=1 shows it
        if os.environ.get("PRONGSAI_DEBUG"):
            raise
        print(f"prongsai: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
