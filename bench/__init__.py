"""Benchmarks of newsreader against the tools a user would pick instead (see BENCHMARKS.md).

``python -m bench.run [--quick]`` runs them all; ``bench.corpus`` makes the feeds and
``bench.feedserver`` serves them on 127.0.0.1.
"""
