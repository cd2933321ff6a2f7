"""Thresholds drawn from the reference's spread over seeds, with a fake distribution."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pydantic import ValidationError

from autograder.checks.base import CheckContext
from autograder.checks.metrics import check_accuracy, check_overfitting_gap
from autograder.checks.thresholds import Spread, resolve, spread_of
from autograder.i18n import localized
from autograder.measure.facts import ModelMeasurements
from autograder.results import ReferenceSummary
from autograder.rubric.models import (
    AccuracyCheck,
    OverfittingGapCheck,
    ReferenceBound,
    ReferenceSpec,
    SpreadOffset,
)

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
