"""Moved to tests/support/reference_reader.py: this name stays until the test files of issue 27
(test_reference, test_results_check, test_indicators) import it from there."""

from support.reference_reader import *  # noqa: F403
