"""Instructor authoring: from one master notebook to a student notebook, a reference
and a drafted rubric, and the spread of the reference across seeds.

Every function here is pure (notebooks or measurements in, notebooks or text out);
the commands in :mod:`autograder.cli` read and write the files.
"""
