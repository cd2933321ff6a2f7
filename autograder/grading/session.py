"""A Grader for one command run: a scratch data folder and an evaluator, both cleaned up."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from autograder.grading.grader import Backends, Grader, ReferenceProvider, build_grader
from autograder.grading.options import GradeOptions, evaluator_config
from autograder.measure.evaluator import EvaluatorPool
from autograder.rubric import LoadedRubric


@contextlib.contextmanager
def open_grader(
    rubric: LoadedRubric,
    options: GradeOptions,
    *,
    reference: ReferenceProvider | None = None,
    backends: Backends | None = None,
    log: Path | None = None,
) -> Iterator[Grader]:
    """``check``, ``reference`` and the pytest plugin grade through this.

    Without a ``measurer`` an evaluator process is started in the background right
    away: TensorFlow loads there while the kernel runs, so a student waits for the
    slower of the two, not for both.
    """
    backends = backends or Backends()
    measurer = backends.measurer
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="autograder-")))
        if measurer is None:
            pool = stack.enter_context(
                EvaluatorPool(evaluator_config(rubric, options), options.limits)
            )
            pool.warm_up()
            measurer = pool
        yield build_grader(
            rubric,
            options,
            measurer=measurer,
            data_dir=scratch,
            reference=reference,
            runner=backends.runner,
            log=log,
            gpus=backends.gpus,
        )
