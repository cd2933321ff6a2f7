"""Grading one submission: the stages of DESIGN.md's data flow, composed by a Grader."""
