"""``python -m uppfoljning.validation``: regenerate ``validation/*.json``."""

from .suites import write_suites

for written in write_suites():
    print(written)
