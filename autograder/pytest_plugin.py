"""pytest plugin: each rubric check of a notebook becomes one pytest test item.

Course repositories keep their usual runner and its reports (JUnit XML, GitHub
annotations from pytest plugins, IDEs)::

    pytest --autograder-rubric rubrics/fashion-mnist.yaml path/to/notebook.ipynb

Registered through the ``pytest11`` entry point, so installing the autograder is
enough.  Without ``--autograder-rubric`` it does nothing.  Only notebooks are
collected: a ``.py`` file on the command line is pytest's own (it would be
imported as a test module), so scripts are graded with ``autograder grade``.
The notebook is graded once, when its first item runs; each item then reports
its check (pass, fail with expected/found/hint, or skip).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autograder.results import CheckResult, GradeReport

_FAILING = ("fail", "error", "partial")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder", "grade notebooks against an autograder rubric")
    group.addoption(
        "--autograder-rubric",
        metavar="RUBRIC",
        default=None,
        help="Rubric YAML: every .ipynb given to pytest becomes one test per check.",
    )
    group.addoption(
        "--autograder-data",
        choices=("real", "synthetic"),
        default="real",
        help="real: Keras' dataset cache (default); synthetic: offline stand-ins.",
    )
    group.addoption(
        "--autograder-fraction",
        type=float,
        default=1.0,
        help="Grade on this fraction of each data split (default 1).",
    )
    group.addoption(
        "--autograder-quick",
        action="store_true",
        default=False,
        help="As `autograder check --quick`: structural checks only, the others skip.",
    )
    group.addoption("--autograder-seed", type=int, default=0, help="Seed (default 0).")
    group.addoption(
        "--autograder-lang",
        choices=("es", "en"),
        default=None,
        help="Language of failure messages (default: the rubric's, then the locale).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Load the rubric before collection: a bad one is a usage error, not N collection errors."""
    if config.getoption("autograder_rubric") is not None:
        _rubric(config)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.getoption("autograder_rubric") is None:
        return None
    if file_path.suffix.lower() != ".ipynb" or ".ipynb_checkpoints" in file_path.parts:
        return None
    notebook: NotebookFile = NotebookFile.from_parent(parent, path=file_path)
    return notebook


class CheckFailed(Exception):
    """A rubric check that did not pass; its text is the report pytest shows."""


class NotebookFile(pytest.File):
    """One notebook: grades itself once and yields one item per rubric check."""

    _report: GradeReport | None = None

    def collect(self) -> list[pytest.Item]:
        loaded = _rubric(self.config)
        return [CheckItem.from_parent(self, name=check.id) for check in loaded.rubric.checks]

    def report(self) -> GradeReport:
        if self._report is None:
            self._report = _grade(self.config, self.path)
        return self._report


class CheckItem(pytest.Item):
    """One rubric check of one notebook."""

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, NotebookFile)  # noqa: S101  # set by collect() above
        report = parent.report()
        found = [c for c in report.checks if c.id == self.name]
        self.user_properties.append(("submission_status", report.status))
        if not found:
            why = report.message or "the check was not run"
            raise CheckFailed(f"{self.name}: not graded ({report.status}): {why}")
        check = found[0]
        self.user_properties.append(("points", f"{check.points:g}/{check.max_points:g}"))
        if check.status == "skipped":
            pytest.skip(_text(self.config, check, report))
        if check.status in _FAILING:
            raise CheckFailed(_text(self.config, check, report))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}::{self.name}"


def _rubric(config: pytest.Config) -> Any:
    from autograder.errors import AutograderError  # noqa: PLC0415  # only when the plugin is used
    from autograder.rubric import load_rubric  # noqa: PLC0415

    cached = config.stash.get(_RUBRIC_KEY, None)
    if cached is None:
        try:
            cached = load_rubric(Path(config.getoption("autograder_rubric")))
        except AutograderError as exc:  # one line from pytest, not a collection traceback
            raise pytest.UsageError(f"--autograder-rubric: {exc}") from exc
        config.stash[_RUBRIC_KEY] = cached
    return cached


def _grade(config: pytest.Config, notebook: Path) -> GradeReport:
    # Imported here: pytest loads this plugin in every session, most never grade.
    from autograder.datasets.base import DataOptions  # noqa: PLC0415
    from autograder.grading.options import GradeOptions  # noqa: PLC0415
    from autograder.reference.train import reference_provider  # noqa: PLC0415
    from autograder.selfcheck import SelfCheckOptions, run_self_check  # noqa: PLC0415

    fraction = float(config.getoption("autograder_fraction"))
    base = GradeOptions(
        data=DataOptions(source=config.getoption("autograder_data"), fraction=fraction),
        seed=int(config.getoption("autograder_seed")),
    )
    quick = bool(config.getoption("autograder_quick"))
    settings = SelfCheckOptions(quick=quick, fraction=fraction)
    # Relative thresholds need the reference's numbers, cached or trained, exactly as
    # `grade` gets them; quick mode decides no threshold and skips that wait.
    reference = None if quick else reference_provider()
    return run_self_check(notebook, _rubric(config), settings, base, reference=reference)


def _text(config: pytest.Config, check: CheckResult, report: GradeReport) -> str:
    from autograder.i18n import choose_language, hint, localized, text  # noqa: PLC0415

    lang = choose_language(config.getoption("autograder_lang"), _rubric(config).rubric.language)
    lines = [
        f"{check.id}: {text(f'status.{check.status}', lang)} "
        f"({check.points:g}/{check.max_points:g}): {localized(check, lang)}"
    ]
    if check.status in _FAILING and "expected" not in check.message_args:
        if check.expected is not None:
            lines.append(f"  {text('report.expected', lang)}: {check.expected}")
        if check.measured is not None:
            lines.append(f"  {text('report.found', lang)}: {check.measured}")
    advice = hint(check, lang)
    if advice:
        lines.append(f"  {text('report.hint', lang)}: {advice}")
    if report.execution is not None:
        lines.extend(
            f"  {text('report.cell_error', lang, cell=e.cell, ename=e.ename, evalue=e.evalue)}"
            for e in report.execution.errors[:3]
        )
    return "\n".join(lines)


_RUBRIC_KEY = pytest.StashKey[Any]()
