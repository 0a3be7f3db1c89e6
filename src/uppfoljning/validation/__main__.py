"""``python -m uppfoljning.validation FOLDER``: regenerate the reviewed input suites.

Writes ``FOLDER/<table>.json`` (a project's ``validation/``) from the data contract;
review the diff before committing it. The results suites in ``validation/results/``
come from :func:`uppfoljning.results_check.write_suites`.
"""

from __future__ import annotations

import sys

from .suites import write_suites


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python -m uppfoljning.validation FOLDER (the project's validation/)",
            file=sys.stderr,
        )
        return 2
    for written in write_suites(argv[0]):
        print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
