"""HTML feedback: one self-contained file per submission, and a class dashboard.

Jinja2 templates with autoescaping (student text cannot inject markup), plots as
inline PNGs (:mod:`autograder.reports.plots`), no external CSS, fonts or scripts,
so the file opens anywhere, offline, also on a phone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from autograder.errors import UsageError
from autograder.i18n import Language, hint, localized, numeral, text
from autograder.reports import plots
from autograder.reports.json_report import safe_dirname
from autograder.results import ClassSummary, GradeReport

FEEDBACK_FILE = "feedback.html"
DASHBOARD_FILE = "dashboard.html"

_ENV = Environment(
    loader=PackageLoader("autograder.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    undefined=StrictUndefined,  # a misspelt variable is a bug, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)
_CURVE_WORDS = ("student", "reference", "train", "validation", "epoch", "loss", "accuracy")


def _translator(lang: Language) -> Callable[..., str]:
    def t(key: str, **args: Any) -> str:
        return text(key, lang, **args)

    return t


def _layer(layer: dict[str, Any] | None) -> str:
    if not layer:
        return "\u2013"
    args = [str(layer[k]) for k in ("units", "activation") if layer.get(k) is not None]
    shape = layer.get("output_shape")
    shown = f"{layer.get('type')}({', '.join(args)})" if args else str(layer.get("type"))
    if shape:
        shown += " \u2192 (" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    return shown


def _architecture(report: GradeReport) -> list[dict[str, Any]]:
    for check in report.checks:
        if check.kind == "architecture" and check.details and "diff" in check.details:
            return [
                {
                    "position": row.get("position"),
                    "expected": _layer(row.get("expected")),
                    "actual": _layer(row.get("actual")),
                    "ok": bool(row.get("ok")),
                    "problems": "; ".join(row.get("problems") or []),
                }
                for row in check.details["diff"]
            ]
    return []


def _curves(report: GradeReport, lang: Language) -> str | None:
    curves = report.curves
    if curves is None:
        return None
    labels = {word: text(f"html.{word}", lang) for word in _CURVE_WORDS}
    return plots.learning_curves(curves.student, curves.reference, labels)


def _experiments(report: GradeReport) -> tuple[list[str], list[list[str]]]:
    # GradeReport.experiments comes from another issue; rendered generically if present.
    raw: Any = getattr(report, "experiments", None)
    if not raw:
        return [], []
    rows = [r.model_dump() if isinstance(r, BaseModel) else r for r in raw]
    rows = [r for r in rows if isinstance(r, dict)]
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k, v in row.items() if _scalar(v) and k not in columns)
    return columns, [[_cell(row.get(c)) for c in columns] for row in rows]


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.3f}"


def render_feedback(report: GradeReport, lang: Language) -> str:
    """The feedback page for one submission."""
    t = _translator(lang)
    checks = [
        {
            "id": c.id,
            "status": c.status,
            "status_text": t(f"status.{c.status}"),
            "points": f"{c.points:g} / {c.max_points:g}",
            "message": localized(c, lang),
            "hint": hint(c, lang),
        }
        for c in report.checks
    ]
    confusion, per_class = None, []
    if report.classification is not None:
        words = {w: t(f"html.{w}") for w in ("true", "predicted")}
        confusion = plots.confusion_matrix(
            report.classification.matrix, report.classification.class_names, words
        )
        per_class = [
            {
                "name": m.name,
                "precision": _percent(m.precision),
                "recall": _percent(m.recall),
                "f1": _percent(m.f1),
                "support": m.support,
            }
            for m in report.classification.per_class
        ]
    columns, rows = _experiments(report)
    metrics = report.metrics.model_dump()
    return _ENV.get_template("feedback.html.j2").render(
        t=t,
        lang=lang,
        report=report,
        percent=f"{report.data.fraction:.0%}",
        checks=checks,
        architecture=_architecture(report),
        curves=_curves(report, lang),
        confusion=confusion,
        per_class=per_class,
        experiment_columns=columns,
        experiment_rows=rows,
        metrics={t(f"html.metric.{k}"): numeral(_cell(v), lang) for k, v in metrics.items()},
    )


def render_dashboard(
    reports: Sequence[GradeReport], lang: Language, *, rubric: str, links: dict[str, str]
) -> str:
    """The class page: score and accuracy distributions and one row per submission.

    ``links`` maps a submission id to its feedback file, relative to the dashboard.
    """
    t = _translator(lang)
    top = max((r.max_score for r in reports), default=0.0)
    scores = [r.score for r in reports]
    accuracies = [r.metrics.test_accuracy for r in reports if r.metrics.test_accuracy is not None]
    score_plot = plots.histogram(
        scores,
        bins=min(20, max(5, int(top) or 5)),
        limits=(0.0, top or 1.0),
        xlabel=t("html.score"),
        ylabel=t("html.count"),
    )
    accuracy_plot = plots.histogram(
        accuracies,
        bins=20,
        limits=(0.0, 1.0),
        xlabel=t("html.test_accuracy"),
        ylabel=t("html.count"),
    )
    mean = sum(scores) / len(scores) if scores else 0.0
    rows = [
        {
            "id": r.submission.id,
            "link": links.get(r.submission.id),
            "status": r.status,
            "score": f"{r.score:g} / {r.max_score:g}",
            "accuracy": _percent(r.metrics.test_accuracy),
            "failed": ", ".join(c.id for c in r.checks if c.status in ("fail", "error")),
        }
        for r in reports
    ]
    return _ENV.get_template("dashboard.html.j2").render(
        t=t,
        lang=lang,
        rubric=rubric,
        summary=t("html.mean", mean=mean, max=top, count=len(reports)),
        score_plot=score_plot,
        accuracy_plot=accuracy_plot,
        rows=rows,
    )


def write_html(
    out: Path, reports: Sequence[GradeReport], lang: Language, *, rubric: str
) -> list[Path]:
    """``out/<id>/feedback.html`` per submission and ``out/dashboard.html``; returns the files."""
    written: list[Path] = []
    links: dict[str, str] = {}
    for report in reports:
        name = safe_dirname(report.submission.id)  # the same folder as its result.json
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FEEDBACK_FILE
        path.write_text(render_feedback(report, lang), encoding="utf-8")
        links[report.submission.id] = f"{quote(name)}/{FEEDBACK_FILE}"
        written.append(path)
    dashboard = out / DASHBOARD_FILE
    dashboard.write_text(
        render_dashboard(reports, lang, rubric=rubric, links=links), encoding="utf-8"
    )
    written.append(dashboard)
    return written


def read_summary(results: Path) -> ClassSummary:
    """``summary.json`` from a ``grade --out`` folder; UsageError names what is wrong."""
    path = results / "summary.json" if results.is_dir() else results
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the grading summary ({exc.strerror})") from exc
    try:
        return ClassSummary.model_validate_json(raw)
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise UsageError(
            f"{path}: not a summary.json written by `autograder grade` ({first})"
        ) from exc
