"""Measuring exported models on the grader's data, in a confined evaluator process.

:mod:`.facts` is what a measurement says (plain data); :mod:`.keras_model` reloads and
measures one model (only ever run inside the evaluator); :mod:`.evaluator` is that
process and its pool; :mod:`.data` loads the grader's own copy of the data.
"""
