"""Thresholds drawn from the reference's spread over seeds, with a fake distribution."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pipeline_fakes import graded_model
from pydantic import ValidationError

from autograder.checks.base import CheckContext
from autograder.checks.metrics import check_accuracy, check_overfitting_gap
from autograder.checks.thresholds import Spread, resolve, spread_of
from autograder.datasets.base import DataOptions
from autograder.grading.grader import build_grader
from autograder.grading.options import GradeOptions
from autograder.i18n import localized
from autograder.measure.facts import ModelMeasurements
from autograder.results import ReferenceSummary
from autograder.rubric import load_rubric
from autograder.rubric.models import (
    AccuracyCheck,
    OverfittingGapCheck,
    ReferenceBound,
    ReferenceSpec,
    SpreadOffset,
)
from autograder.submissions import Submission

if TYPE_CHECKING:
    from conftest import Build

# Five seeded runs of a reference, as `reference --seeds 5` would leave them.
TEST = (0.870, 0.873, 0.874, 0.875, 0.878)
TRAIN = (0.905, 0.910, 0.912, 0.915, 0.918)
RUNS = tuple(
    ReferenceSummary(
        test_accuracy=test,
        train_accuracy=train,
        overfitting_gap=round(train - test, 6),
        duration_s=1.0,
        cache_key=f"seed{seed}",
    )
    for seed, (test, train) in enumerate(zip(TEST, TRAIN, strict=True))
)


def _context(build: Build, model: ModelMeasurements, runs: tuple[ReferenceSummary, ...]) -> Any:
    ctx: CheckContext = build.context(model)
    return dataclasses.replace(ctx, reference=runs[0], reference_runs=runs)


def test_the_spread_statistics() -> None:
    spread = Spread(TEST)
    assert spread.n == 5
    assert spread.mean == pytest.approx(0.874)
    assert spread.sd == pytest.approx(0.0029155, abs=1e-6)  # sample sd, n - 1
    assert (spread.min, spread.max) == (0.870, 0.878)
    assert spread.quantile(0.5) == pytest.approx(0.874)


def test_sd_bound_is_the_mean_plus_k_standard_deviations() -> None:
    bound = ReferenceBound(reference=SpreadOffset(sd=-3))
    threshold = resolve(bound, Spread(TEST))
    assert threshold is not None
    assert threshold.value == pytest.approx(0.874 - 3 * 0.0029155, abs=1e-6)
    assert threshold.reference == pytest.approx(0.874)
    assert threshold.describe()["runs"]["n"] == 5


def test_quantile_bound_respects_its_floor() -> None:
    assert resolve(ReferenceBound(quantile=0.05, floor=0.5), Spread(TEST)).value == (  # type: ignore[union-attr]
        pytest.approx(0.8706)
    )
    high_floor = ReferenceBound(quantile=0.05, floor=0.872)
    assert resolve(high_floor, Spread(TEST)).value == pytest.approx(0.872)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "bound",
    [
        ReferenceBound(reference=SpreadOffset(sd=-3)),
        ReferenceBound(quantile=0.05, floor=0.1),
        ReferenceBound(reference=-0.03),
        ReferenceBound(ratio=0.95),
    ],
)
def test_with_one_seed_every_rule_behaves_as_with_one_reference(bound: ReferenceBound) -> None:
    one = resolve(bound, 0.88)
    assert one is not None
    assert one.spread is None  # no runs: messages stay as they were
    expected = {"reference": 0.88 - 0.03 if bound.reference == -0.03 else 0.88}
    if bound.ratio is not None:
        expected["reference"] = 0.88 * 0.95
    assert one.value == pytest.approx(expected["reference"])
    assert spread_of((), "test_accuracy", 0.88) == 0.88


def test_a_student_below_every_run_is_told_so(build: Build) -> None:
    check = AccuracyCheck(id="acc", points=2, min=ReferenceBound(reference=SpreadOffset(sd=-3)))
    outcome = check_accuracy(check, _context(build, build.model(test=0.861), RUNS))
    assert outcome.status == "fail"
    assert outcome.message == (
        "test accuracy 0.861 vs reference 0.874 ± 0.003 over 5 seeds, below all 5 runs (bar 0.865)"
    )
    assert localized(outcome, "es").startswith(
        # Spanish reports write decimals with a comma.
        "exactitud en test: 0,861 frente a la referencia 0,874 ± 0,003 en 5 semillas, "
        "por debajo de las 5 ejecuciones"
    )
    assert outcome.expected["min"]["runs"] == {
        "n": 5,
        "mean": pytest.approx(0.874),
        "sd": pytest.approx(0.002915, abs=1e-6),
        "min": 0.870,
        "max": 0.878,
    }


def test_a_student_among_the_runs_passes(build: Build) -> None:
    check = AccuracyCheck(id="acc", points=2, min=ReferenceBound(reference=SpreadOffset(sd=-3)))
    outcome = check_accuracy(check, _context(build, build.model(test=0.8745), RUNS))
    assert outcome.status == "pass"
    assert outcome.message.endswith("above 3 of 5 runs (bar 0.865)")


def test_the_gap_limit_follows_the_runs(build: Build) -> None:
    check = OverfittingGapCheck(
        id="gap", points=1, max=ReferenceBound(reference=SpreadOffset(sd=3))
    )
    wide = build.model(train=0.99, test=0.80)
    outcome = check_overfitting_gap(check, _context(build, wide, RUNS))
    assert outcome.status == "fail"
    assert "gap 0.190 vs reference 0.038" in outcome.message
    assert outcome.message.endswith("above all 5 runs (limit 0.044)")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"quantile": 0.05}, "needs a `floor`"),
        ({"reference": {"sd": -3}, "ratio": 0.9}, "exactly one of"),
        ({"reference": 2.0}, "between -1 and 1"),
        ({"reference": {"sd": -3, "mean": 1}}, "Extra inputs"),
    ],
)
def test_bad_spread_rules_are_refused(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ReferenceBound.model_validate(fields)


def test_the_yaml_forms_load() -> None:
    text = "min: {reference: {sd: -3}}\nmax: {quantile: 0.95, floor: 0.0}\n"
    raw = yaml.safe_load(text)
    check = AccuracyCheck.model_validate({"id": "acc", "points": 1, **raw})
    assert isinstance(check.min, ReferenceBound)
    assert check.min.reference == SpreadOffset(sd=-3)
    assert ReferenceSpec(path="r.ipynb", seeds=5).seeds == 5


@dataclasses.dataclass(frozen=True)
class _SeededRuns:
    """A reference provider's answer over five seeds, as the cache would give it."""

    summary: ReferenceSummary
    history: dict[str, list[float]]
    runs: tuple[ReferenceSummary, ...]


def test_grading_hands_the_seeded_runs_to_the_checks(build: Build, tmp_path: Path) -> None:
    # Through the real Grader (only the kernel and the evaluator are fakes): the
    # provider's runs reach CheckContext.reference_runs, so the bar is the spread's.
    (tmp_path / "referencia.py").write_text("# la solución\n", encoding="utf-8")
    rubric = {
        "schema_version": 1,
        "id": "spread",
        "title": "Spread",
        "dataset": {"name": "fashion_mnist"},
        "reference": {"path": "referencia.py", "seeds": 5},
        "checks": [
            {"kind": "accuracy", "id": "acc", "points": 2, "min": {"reference": {"sd": -3}}}
        ],
    }
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(rubric), encoding="utf-8")
    notebook = tmp_path / "entrega.py"
    notebook.write_text("# %%\nmodel = None\n", encoding="utf-8")
    fakes = graded_model(build.model(test=0.861), [build.fit(3)])
    assert fakes.measurer is not None
    seeded = _SeededRuns(summary=RUNS[0], history={}, runs=RUNS)
    options = GradeOptions(data=DataOptions(source="synthetic", fraction=0.01))
    grader = build_grader(
        load_rubric(path),
        options,
        measurer=fakes.measurer,
        data_dir=tmp_path / "data",
        reference=lambda _grader: seeded,
        runner=fakes.runner,
    )
    report = grader.grade(Submission(id="entrega", path=notebook))
    (check,) = report.checks
    assert check.status == "fail", check.message
    assert "over 5 seeds, below all 5 runs (bar 0.865)" in check.message
