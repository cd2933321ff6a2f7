"""Rubrics: the models (:mod:`.models`) and loading YAML files with line-numbered errors."""

from autograder.rubric.loader import LoadedRubric, load_rubric, rubric_json_schema, rubric_summary
from autograder.rubric.models import Check, Rubric

__all__ = ["Check", "LoadedRubric", "Rubric", "load_rubric", "rubric_json_schema", "rubric_summary"]
