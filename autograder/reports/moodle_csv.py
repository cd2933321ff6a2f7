"""``moodle-grades.csv``: Moodle's assignment "offline grading worksheet" layout.

Upload it under *Assignment > Upload grading worksheet*: Moodle matches rows on
``Identifier`` (``Participant <id>``, the number in the folder names of a Moodle
submissions download) and reads ``Grade`` and ``Feedback comments``.
"""

from __future__ import annotations

from pathlib import Path

from autograder.reports.gradebook import display_name, feedback, points, write_csv
from autograder.results import ClassSummary

FILE = "moodle-grades.csv"
COLUMNS = (
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum Grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
    "Feedback comments",
)


def write_moodle_csv(out_dir: Path, summary: ClassSummary) -> Path:
    rows = [
        [
            f"Participant {r.submission.student_id}",
            display_name(r),
            "",
            "Submitted for grading",
            points(r.score),
            points(r.max_score),
            "Yes",
            "",
            "",
            feedback(r),
        ]
        for r in summary.submissions
        if r.submission.student_id
    ]
    return write_csv(out_dir / FILE, COLUMNS, rows)
