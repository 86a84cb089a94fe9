"""Benchmarks (not tests): each module `bench/<name>.py` has `run()` and prints numbers and
ratios against a baseline measured in the same run. `python -m bench [name ...]`."""
