"""``junit.xml``: one testsuite per submission, one testcase per check (CI dashboards).

Failed and partial checks are ``<failure>``, checks that could not run are
``<error>``, skipped checks are ``<skipped>``; a submission that was not graded at
all gets one ``<error>`` testcase saying why.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from autograder.reports.gradebook import points
from autograder.reports.json_report import write_text_atomic
from autograder.results import ClassSummary, GradeReport

FILE = "junit.xml"


def _suite(report: GradeReport) -> ET.Element:
    suite = ET.Element("testsuite", name=report.submission.id)
    failures = errors = skipped = 0
    duration = report.execution.duration_s if report.execution else 0.0
    if not report.checks:
        case = ET.SubElement(suite, "testcase", name="grading", classname=report.submission.id)
        ET.SubElement(case, "error", message=report.message or report.status, type=report.status)
        errors += 1
    for check in report.checks:
        case = ET.SubElement(
            suite, "testcase", name=check.id, classname=report.submission.id, time="0"
        )
        detail = f"{points(check.points)}/{points(check.max_points)} points: {check.message}"
        if check.status in ("fail", "partial"):
            ET.SubElement(case, "failure", message=detail, type=check.status)
            failures += 1
        elif check.status == "error":
            ET.SubElement(case, "error", message=detail, type="error")
            errors += 1
        elif check.status == "skipped":
            ET.SubElement(case, "skipped", message=check.message)
            skipped += 1
        else:
            ET.SubElement(case, "system-out").text = detail
    suite.set("tests", str(max(1, len(report.checks))))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{duration:.3f}")
    return suite


def junit_xml(summary: ClassSummary) -> str:
    root = ET.Element("testsuites", name=f"autograder {summary.rubric.id}")
    suites = [_suite(r) for r in summary.submissions]
    root.extend(suites)
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_junit(out_dir: Path, summary: ClassSummary) -> Path:
    path = out_dir / FILE
    write_text_atomic(path, junit_xml(summary))
    return path
