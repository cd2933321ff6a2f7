"""The reference solution, retrained in the fixed seeded environment and cached.

:mod:`.cache` holds the plain data and the cache (no TensorFlow, so a warm cache
answers in well under a second); :mod:`.train` runs the reference through the same
pipeline as a submission.
"""
