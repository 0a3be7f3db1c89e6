"""The Jupyter Book process: ``python -m uppfoljning.book_worker``, started by
:class:`uppfoljning.site.BookProcess` and never imported by the package.

It runs ``jupyter-book build -W -n --keep-going`` as the Sphinx call the jupyter-book
CLI makes, after importing Sphinx, MyST-NB and the theme once, and then waits for its
books: one JSON line on stdin each (``source``, ``output``, ``fresh``, ``log``,
``last``), answered with the build's exit status (0 or 1) on a line of its own stdout;
it ends when stdin does, or after the book marked ``last``.

``fresh`` is the CLI's ``--all`` (a new environment); otherwise the environment in
``output`` is reused: changed pages are re-read and written, and every page only when
an outline changed (:mod:`uppfoljning.sphinx_outline`). Each book's output goes to its
own log (file descriptors 1 and 2 point there while it builds). A run of several
editions hands all its books to one process: the second and later books skip the
imports and Sphinx's first-time set-up (~0.8 s of CPU each).

Everything happens in :func:`main`, in this order: the replies take stdout's pipe
before anything is imported, so that whatever an import prints goes to the log.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path


def main() -> None:
    # the replies get stdout's pipe to themselves: whatever else is printed goes to the log
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    from uppfoljning.lifeline import import_frozen

    import_frozen("jupyter_book.sphinx")  # no collection walks Sphinx's modules
    from jupyter_book.sphinx import build_sphinx

    # Sphinx makes and drops millions of small objects (doctree nodes): with the default
    # threshold of 700 allocations the collector ran ~880 times in a 34-page book
    # (0.5 s); 5,000 makes it ~130 (0.16 s) at the same peak memory.
    gc.set_threshold(5000, 10, 10)
    for line in sys.stdin:
        if not line.strip():
            break
        request = json.loads(line)
        source, output = Path(request["source"]), Path(request["output"])
        sys.stdout.flush()
        sys.stderr.flush()
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.chdir(source)
        result = build_sphinx(
            source,
            output / "_build" / "html",
            use_external_toc=True,
            noconfig=True,
            path_config=str(source / "_config.yml"),
            # a list of each build's own: the themes append their folders to it, and
            # Sphinx's default list would collect them across the books of one process
            confoverrides={
                "external_toc_path": (source / "_toc.yml").as_posix(),
                "latex_individualpages": False,
                "nitpicky": True,
                "templates_path": [],
            },
            builder="html",
            warningiserror=True,
            keep_going=True,
            # an incremental build writes the pages it read again (sphinx_outline)
            freshenv=request["fresh"],
            force_all=False,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        replies.write(f"{0 if result == 0 else 1}\n")
        replies.flush()
        if request["last"]:
            break
        gc.collect()  # this book's objects, before the next book comes
    gc.freeze()  # no last collection of Sphinx's objects at exit


if __name__ == "__main__":
    main()
