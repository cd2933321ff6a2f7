"""Every error the autograder raises on purpose.

Library code raises these; only :mod:`autograder.cli` turns them into a one-line
message and an exit code.  Anything else escaping a stage is a bug.

::

    AutograderError                 base; ``str(err)`` is the one-line message
    ├── UsageError                  bad command-line combination (exit 2)
    │   ├── ZipRefusedError         an LMS zip is unsafe or unreadable (names the zip)
    │   ├── OverridesError          the instructor's overrides file is invalid
    │   ├── AuthoringError          a master notebook or rubric example cannot be used
    │   └── GpuError                --gpus is malformed or names a GPU this machine lacks
    ├── RubricError                 rubric file unreadable or invalid (exit 2)
    ├── DatasetError                unknown dataset, or data that cannot be loaded
    ├── SubmissionError             one submission cannot be graded at all
    │   ├── InvalidSubmissionError  malformed notebook / script (status "invalid")
    │   └── ParcelTooBigError       too big (bytes or files) to travel to a Dask worker
    ├── ExecutionError              the kernel could not be started or driven
    ├── EvaluationError             an exported model could not be loaded/measured
    ├── ReferenceSolutionError      the rubric's reference solution cannot be trained
    ├── KernelEnvironmentError      the rubric's kernel environment cannot be built
    └── StoreError                  the batch results store cannot be opened or written
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


class AutograderError(Exception):
    """Base class; the message is meant to be shown to a user as one line."""


class UsageError(AutograderError):
    """The command line asks for something impossible."""


class RubricError(AutograderError):
    """A rubric file cannot be read or does not validate.

    ``problems`` holds one line per problem, each prefixed with ``file:line``, in
    English; ``localized`` the same lines in other languages, by language code.
    """

    def __init__(
        self,
        path: Path | str,
        problems: list[str],
        localized: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.path = Path(path)
        self.problems = problems
        self.localized = dict(localized or {})
        first = problems[0] if problems else "invalid rubric"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")

    def problems_in(self, language: str) -> list[str]:
        """The problems in ``language``; English when that language was not rendered."""
        return self.localized.get(language, self.problems)


class DatasetError(AutograderError):
    """A dataset is unknown or its files cannot be loaded."""


class SubmissionError(AutograderError):
    """A submission cannot be graded at all."""


class InvalidSubmissionError(SubmissionError):
    """The submitted file is malformed (bad JSON, empty notebook, syntax error)."""


class ParcelTooBigError(SubmissionError):
    """The submission weighs more than a Dask task may carry."""


class ExecutionError(AutograderError):
    """The kernel could not be started or driven."""


class EvaluationError(AutograderError):
    """An exported model could not be reloaded or measured."""


class ReferenceSolutionError(AutograderError):
    """The reference solution is missing, fails to run, or leaves no model to measure.

    An instructor's problem, not a student's: relative thresholds cannot be set without it.
    """


class KernelEnvironmentError(AutograderError):
    """The packages a rubric declares cannot be installed (offline, unknown, conflicting).

    The message names the packages, uv's reason and the ``env sync`` command to run.
    """


class ZipRefusedError(UsageError):
    """A zip is refused: path traversal, links, absolute paths, or past the size caps."""


class OverridesError(UsageError):
    """An overrides file cannot be read or does not validate.

    ``problems`` holds one line per problem, each prefixed with ``file:line``.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path, self.problems = Path(path), problems
        # The CLI prints one line: the first problem and how many more there are.
        tail = f" (and {len(problems) - 1} more)" * (len(problems) > 1)
        super().__init__((problems or [f"{path}: invalid overrides file"])[0] + tail)


class StoreError(AutograderError):
    """The results store (SQLite) cannot be opened, read or written."""


class ReviewError(UsageError):
    """A review sheet or a results folder `autograder review` cannot use."""


class AuthoringError(UsageError):
    """An instructor's master notebook (or a rubric's examples) cannot be used as asked.

    Carries its catalog key and arguments so that the CLI prints it in the reader's
    language; ``str(err)`` is the English line.
    """

    def __init__(self, message: str, message_id: str, **message_args: object) -> None:
        self.message_id, self.message_args = message_id, message_args
        super().__init__(message)


class GpuError(UsageError):
    """``--gpus`` cannot be honoured: a malformed value, or a GPU index not found.

    Carries its catalog key and arguments, like :class:`AuthoringError`.
    """

    def __init__(self, message: str, message_id: str, **message_args: object) -> None:
        self.message_id, self.message_args = message_id, message_args
        super().__init__(message)
