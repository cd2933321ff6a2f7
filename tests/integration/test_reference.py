"""The reference run, its cache, determinism and claims, end to end on the real-data path.

The "real" Fashion-MNIST here is a small set the test writes into a private KERAS_HOME,
read by Keras' own loader (Keras reads KERAS_HOME at import, hence subprocesses).
Independent runs go in pairs, concurrently: the two cores are the budget.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from autograder.datasets import load_splits
from autograder.datasets.base import DataOptions
from autograder.results import GradeReport
from tests.honest_corpus import flagged, submission_ids

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
FALSE_CLAIM = ROOT / "tests" / "fixtures" / "notebooks" / "false_claim.ipynb"
KerasHome = Callable[[Path, Mapping[str, Any]], Path]  # the fashion_keras_home fixture

# Timing fields: everything else in result.json must repeat exactly.
TIMING = (("execution", "duration_s"), ("reference", "duration_s"))


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "autograder", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:] + out[-3000:]
    return out, err


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, fashion_keras_home: KerasHome) -> Any:
    tmp = tmp_path_factory.mktemp("reference")
    # 1,200 training and 200 test images with the real shapes, served as the real data.
    splits = load_splits("fashion_mnist", DataOptions(source="synthetic", fraction=0.02))
    home = fashion_keras_home(tmp / "keras", vars(splits))
    proxy = "http://127.0.0.1:9"  # a closed port: any download attempt fails at once
    base = {
        **os.environ,
        "KERAS_HOME": str(home),
        **dict.fromkeys(("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"), proxy),
    }
    env = {**base, "XDG_CACHE_HOME": str(tmp / "cache")}
    other = {**base, "XDG_CACHE_HOME": str(tmp / "other-cache")}
    reference = ["reference", "--rubric", str(RUBRIC), "--data", "real"]

    # Two independent trainings of the reference, each into its own cache.
    pair = [_start(reference, env), _start([*reference, "--force"], other)]
    trained = [_finish(p) for p in pair]
    cached = _finish(_start(reference, env))

    batch = tmp / "batch"
    batch.mkdir()
    shutil.copy(FALSE_CLAIM, batch / FALSE_CLAIM.name)
    grade = ["grade", str(batch), "--rubric", str(RUBRIC), "--data", "real"]
    pair = [_start([*grade, "--out", str(tmp / name)], env) for name in ("out1", "out2")]
    graded = [_finish(p) for p in pair]
    results = [
        json.loads((tmp / name / "false_claim" / "result.json").read_text())
        for name in ("out1", "out2")
    ]
    entries = [
        next((tmp / cache / "autograder" / "reference").glob("*.json"))
        for cache in ("cache", "other-cache")
    ]
    return {
        "trained": trained,
        "cached": cached,
        "graded": graded,
        "results": results,
        "entries": entries,
    }


def test_second_reference_run_comes_from_the_cache(scenario: Any) -> None:
    first_out, first_err = scenario["trained"][0]
    again_out, again_err = scenario["cached"]
    assert "training it now" in first_err
    assert "trained now in" in first_out
    assert "training it now" not in again_err
    assert "Source:         cache" in again_out


def test_training_the_reference_twice_gives_identical_weights(scenario: Any) -> None:
    one, two = (json.loads(path.read_text()) for path in scenario["entries"])
    assert one["key"] == two["key"]
    assert one["summary"]["weights_sha256"] == two["summary"]["weights_sha256"]
    assert one["history"] == two["history"]
    assert one["score"] == one["max_score"] == 10


def test_grading_twice_gives_the_same_result(scenario: Any) -> None:
    # Copies: the scenario is shared, and the other tests validate whole results.
    first, second = (copy.deepcopy(r) for r in scenario["results"])
    for part, field in TIMING:
        assert first[part].pop(field) >= 0
        assert second[part].pop(field) >= 0
    assert first == second


def test_grade_reuses_the_cached_reference(scenario: Any) -> None:
    for _, err in scenario["graded"]:
        assert "training it now" not in err
    result = scenario["results"][0]
    entry = json.loads(scenario["entries"][0].read_text())
    assert result["reference"]["cache_key"] == entry["summary"]["cache_key"]
    assert len(result["curves"]["reference"]["accuracy"]) == 10


def test_false_claim_fails_naming_both_numbers(scenario: Any) -> None:
    result = scenario["results"][0]
    measured = result["metrics"]["test_accuracy"]
    claims = next(c for c in result["checks"] if c["id"] == "claims")
    assert claims["status"] == "fail"
    assert claims["message"].startswith(f"claimed 0.9912, measured {measured:.4g}")
    assert claims["measured"]["claimed"] == pytest.approx(0.9912)
    # The rest of the grade is the honest one: the model itself is the tutorial's.
    assert result["data"]["source"] == "real"
    assert result["score"] == result["max_score"]
    # A false claim is a wrong sentence, not tampering: no integrity flag on the real data.
    honest = submission_ids("tests/integration/test_reference.py", "tests/fixtures/notebooks")
    assert honest == {FALSE_CLAIM.stem}
    for graded in scenario["results"]:
        assert flagged({FALSE_CLAIM.stem: GradeReport.model_validate(graded)}, honest) == {}
