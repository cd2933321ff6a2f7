"""The training check: epochs over every fit, the last fit's batch size and validation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from autograder.checks.experiments import holdout_of
from autograder.checks.training import check_training, trained_rows
from autograder.measure.keras_model import validation_start
from autograder.rubric.models import Range, TrainingCheck

if TYPE_CHECKING:
    from conftest import Build

TUTORIAL = TrainingCheck(id="fit", points=3, epochs=10, batch_size=32, validation="none")


def test_default_batch_size_is_keras_default(build: Build) -> None:
    outcome = check_training(TUTORIAL, build.context(build.model(), [build.fit(10)]))
    assert outcome.status == "pass"
    assert outcome.points == 3
    assert outcome.message == "10 epochs; batch size 32; validation: none"
    assert outcome.measured == {
        "epochs": 10,
        "batch_size": 32,
        "samples_per_epoch": None,  # the fake's x has no row count
        "validation": "none",
        "validation_split": 0.0,
        "fit_calls": 1,
    }


def test_epochs_add_up_over_fits_and_the_last_fit_sets_the_rest(build: Build) -> None:
    calls = [build.fit(5, batch_size=64), build.fit(5), build.fit(7, model="other")]
    outcome = check_training(TUTORIAL, build.context(build.model(), calls))
    assert outcome.status == "pass"
    assert outcome.message == "10 epochs; batch size 32; validation: none; over 2 fit calls"


def test_early_stopping_counts_epochs_actually_run(build: Build) -> None:
    call = build.fit(4, epochs=100)
    check = TrainingCheck(id="fit", points=1, epochs=Range(min=5))
    outcome = check_training(check, build.context(build.model(), [call]))
    assert outcome.message == "4 epochs run (expected at least 5)"
    interrupted = build.fit(1, epochs=10)
    outcome = check_training(check, build.context(build.model(), [interrupted]))
    assert outcome.message == "1 epoch run (expected at least 5)"


def test_partial_points_for_some_settings(build: Build) -> None:
    outcome = check_training(
        TUTORIAL, build.context(build.model(), [build.fit(20, batch_size=128)])
    )
    assert outcome.status == "partial"
    assert outcome.points == pytest.approx(1.0)
    assert outcome.message == (
        "20 epochs run (expected 10); batch size 128 (expected 32) (1 of 3 settings match)"
    )


@pytest.mark.parametrize(
    ("fit_args", "wanted", "ok"),
    [
        ({"validation_split": 0.2}, "split", True),
        ({"validation_split": 0.2}, "any", True),
        ({"has_validation_data": True}, "data", True),
        ({"has_validation_data": True}, "any", True),
        ({"has_validation_data": True, "validation_split": 0.2}, "split", False),
        ({}, "any", False),
        ({"validation_split": 0.2}, "none", False),
    ],
)
def test_validation_modes(build: Build, fit_args: dict[str, Any], wanted: str, ok: bool) -> None:
    check = TrainingCheck(id="fit", points=1, validation=wanted)
    outcome = check_training(check, build.context(build.model(), [build.fit(**fit_args)]))
    assert (outcome.status == "pass") is ok


def test_validation_split_value(build: Build) -> None:
    check = TrainingCheck(id="fit", points=1, validation_split=0.2)
    good = check_training(check, build.context(build.model(), [build.fit(validation_split=0.2)]))
    bad = check_training(check, build.context(build.model(), [build.fit(validation_split=0.1)]))
    assert good.status == "pass"
    assert bad.message == "validation_split 0.1 (expected 0.2)"


def test_a_dataset_sets_its_own_batch_size(build: Build) -> None:
    call = build.fit(10, x={"class_name": "_BatchDataset"})
    outcome = check_training(TUTORIAL, build.context(build.model(), [call]))
    assert outcome.status == "partial"
    assert outcome.message.startswith("batch size set by the dataset passed to fit")


def test_a_dataset_batch_size_read_by_the_kernel_counts(build: Build) -> None:
    # tfds tutorial: .repeat().shuffle(60000).batch(32) with steps_per_epoch=1875.
    facts = {"batch_size": 32, "samples": 60_000, "steps": None}
    call = build.fit(10, x={"class_name": "_BatchDataset"}, dataset=facts, steps_per_epoch=1875)
    outcome = check_training(TUTORIAL, build.context(build.model(), [call]))
    assert outcome.status == "pass"
    assert outcome.measured["batch_size"] == 32
    assert outcome.measured["samples_per_epoch"] == 60_000


def test_a_finite_dataset_counts_its_examples(build: Build) -> None:
    facts = {"batch_size": 300, "samples": 48_000, "steps": 160}
    call = build.fit(
        10, x={"class_name": "_PrefetchDataset"}, dataset=facts, has_validation_data=True
    )
    check = TrainingCheck(id="fit", points=1, epochs=10, batch_size=300, validation="data")
    outcome = check_training(check, build.context(build.model(), [call]))
    assert outcome.status == "pass", outcome.message
    assert outcome.measured["samples_per_epoch"] == 48_000
    assert "batch size 300; validation: validation_data" in outcome.message


def test_a_shortened_run_says_what_was_cut(build: Build) -> None:
    cut = [{"what": "samples", "from": 60_000, "to": 6_000}]
    call = build.fit(10, batch_size=32, x={"shape": [60_000, 28, 28]}, shortened=cut)
    outcome = check_training(TUTORIAL, build.context(build.model(), [call]))
    assert outcome.status == "pass"
    assert outcome.message.endswith("graded on a shortened run: 6,000 of 60,000 samples per epoch")
    assert outcome.details == {"shortened": cut}
    assert outcome.message_id == "training.pass_shortened.samples"
    assert outcome.message_args["to"] == 6_000
    assert outcome.measured["samples_per_epoch"] == 60_000  # what the notebook asked for


def test_never_trained(build: Build) -> None:
    outcome = check_training(TUTORIAL, build.context(build.model()))
    assert outcome.status == "fail"
    assert outcome.message == "the model was never trained (no fit call recorded)"
    assert outcome.expected == {"epochs": 10, "batch_size": 32, "validation": "none"}


def test_no_model(build: Build) -> None:
    outcome = check_training(TUTORIAL, build.context(None, [build.fit()], "no model variable"))
    assert outcome.message == "no trained model was captured: no model variable"


def test_trained_rows_follow_the_fraction(build: Build) -> None:
    cut = [{"what": "samples", "from": 60_000, "to": 600}]
    shortened = build.fit(2, x={"shape": [60_000, 28, 28]}, validation_split=0.1, shortened=cut)
    assert trained_rows(shortened) == 600
    # The grader's 1% training split is those 600 rows: validation_split held out the last 60.
    assert validation_start(holdout_of(shortened), 600) == 540
    assert trained_rows(build.fit(2, x={"shape": [60_000, 28, 28]})) == 60_000
    assert trained_rows(build.fit(2, x={"class_name": "_BatchDataset"})) is None
