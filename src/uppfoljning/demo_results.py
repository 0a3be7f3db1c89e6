"""The results folder a notebook template reads when it is opened by hand.

A build always passes its results folder to the templates. Their default
(``results_dir = ""``) means "the bundled demo delivery", whose results the build
prepares once (:func:`uppfoljning.prepare.demo_results_dir`). That decision is made here,
at the build's layer, so that page contexts only ever read a folder they are given and
never import the build.
"""

from __future__ import annotations

from pathlib import Path


def results_folder(results_dir: str, edition: int) -> str:
    """``results_dir``, or for an empty one the demo delivery's results for ``edition``.

    A template opened by hand runs in a kernel started in ``notebooks/`` (Jupyter starts
    it in the notebook's folder): like the CLI, this entry point finds the project from
    the working directory (:meth:`uppfoljning.project.Project.find`)."""
    if str(results_dir):
        return str(results_dir)
    from .prepare import demo_results_dir  # only for a template opened by hand
    from .project import Project

    return str(demo_results_dir(int(edition), Project.find(Path.cwd())))
