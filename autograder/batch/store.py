"""The resumable results store: one SQLite file (WAL), one row per graded submission.

A row is keyed by everything that can change a result: the submission's id and file
hash, the rubric hash, every grading option (data, seed, timeout, sandbox and memory
limits...), the grader version and the reference run (relative thresholds depend on
it).  Each
result is committed on its own as soon as it arrives, so a batch killed at any
moment (even ``kill -9``) keeps every finished result, and re-running grades only
what is missing.  A key is a primary key: re-grading replaces, never
duplicates.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from autograder.errors import StoreError
from autograder.results import GradeReport

STORE_FILE = "results.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL,
    sha256 TEXT,
    report TEXT NOT NULL,
    graded_at REAL NOT NULL
)
"""


class ResultStore:
    """Read and write graded results; use as a context manager, from one thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: every put is its own transaction, durable once it returns.
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives a killed process (not a power cut) and keeps
            # commits cheap; a power cut loses at most the last results, never corrupts.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the results store: {exc}") from None

    def get(self, key: str) -> GradeReport | None:
        try:
            row = self._db.execute("SELECT report FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the results store: {exc}") from None
        if row is None:
            return None
        try:
            return GradeReport.model_validate_json(row[0])
        except ValidationError:
            return None  # written by an incompatible version: grade again

    def put(self, key: str, report: GradeReport) -> None:
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO results (key, submission_id, sha256, report, graded_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    key,
                    report.submission.id,
                    report.submission.sha256,
                    report.model_dump_json(),
                    time.time(),
                ),
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write the results store: {exc}") from None

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
