"""``canvas-grades.csv``: Canvas' gradebook import layout.

Canvas matches rows on ``ID`` (the Canvas user id, the first number in the file
names of a Canvas submissions download) and the assignment on the column header;
``Student``, ``SIS User ID``, ``SIS Login ID`` and ``Section`` must be present but
may be empty.  Rows without a Canvas id cannot be imported and are left out.
"""

from __future__ import annotations

from pathlib import Path

from autograder.reports.gradebook import display_name, points, write_csv
from autograder.results import ClassSummary

FILE = "canvas-grades.csv"
FIXED_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def write_canvas_csv(out_dir: Path, summary: ClassSummary, assignment: str) -> Path:
    header = [*FIXED_COLUMNS, assignment]
    # Canvas reads a "Points Possible" row right under the header.
    max_score = max((r.max_score for r in summary.submissions), default=0.0)
    rows = [["Points Possible", "", "", "", "", points(max_score)]]
    rows += [
        [display_name(r), r.submission.student_id or "", "", "", "", points(r.score)]
        for r in summary.submissions
        if r.submission.student_id
    ]
    return write_csv(out_dir / FILE, header, rows)
