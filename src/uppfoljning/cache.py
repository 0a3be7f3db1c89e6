"""A data-aware build cache (outside git, under ``_build/cache/``).

Its levels, each keyed by content hashes, never by timestamps:

- **results**: the gate (Great Expectations), the indicators and the results checks of
  one delivery and edition. Key: every file of the delivery, the report configuration,
  the edition and the *environment* (the lockfile, the package's source and the
  validation suites). A hit skips Great Expectations entirely.
- **gx**: the outcome of one Great Expectations suite run on one check frame
  (:class:`OutcomeStore`), keyed by what GX saw. When the results key misses (a
  corrected delivery), the gates re-run only the suites whose frame changed.
- **notebooks**: one executed notebook. Key: the template's bytes, the parameters
  (except the results folder's path), the content of exactly the results it reads
  (:class:`uppfoljning.build.PageInputs`: its unit's rows, the city's rows and the
  indicators its page shows; never the build time and code version in ``meta.json``)
  and the environment. A corrected delivery re-runs only the pages it touches. A prose edit in
  ``book/`` changes none of these, so it never re-executes a notebook.
- **edition**: everything the published edition is made of (results key, notebook
  keys, ``book/``, ``_config.yml``, ``_toc.yml``, the editions already in ``OUT``).
  When it equals the key recorded for the published ``OUT/E`` the build has nothing to
  do.
- **book**: a mirror of the edition's last staged book with Jupyter Book's doctrees and
  HTML (:class:`BookMirror`, built by :func:`uppfoljning.site.build_book`). When the
  only differences from the last successful build are edited pages -- Markdown
  chapters, generated appendix fragments, executed notebooks -- Sphinx re-reads just
  those and writes them; every page is written again only when the title, sections or
  reference targets of a page read again changed, since every page's navigation shows
  them (:mod:`uppfoljning.sphinx_outline`). A chapter
  that glues a result from a changed notebook is re-read too: Sphinx does not know it
  depends on the notebook, and a value parsed when the chapter is read would stay old.
  Anything else -- ``_config.yml``, ``_toc.yml``, a static file, a page added or
  removed, the environment, a failed previous build -- rebuilds the whole book from a
  fresh environment.
- **charts**: the static pictures of charts the notebooks drew, one file per picture
  named by a digest of the spec and the drawing library's version
  (:func:`uppfoljning.charts.cached_svg`, written by the kernels, which the build
  tells where the folder is: :meth:`BuildCache.kernel_environment`); the build keeps
  the :data:`MAX_PICTURES` most recently used (:func:`prune_pictures`).

The results, notebooks and gx levels keep their :data:`KEEP` most recently used entries
(a hit renews an entry's modification time); :meth:`BuildCache.prune` removes the
others after each published build, never an entry used in the last
:data:`RECENT_S` seconds (another build may be reading it). An entry that vanishes
while it is read is a miss.

Writes are atomic (temporary file + rename), so parallel builds never read half a
cache entry; a corrupt entry is a miss.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CACHE_VERSION = "1"
VOLATILE_META = ("built_at", "code_version")  # meta.json fields no notebook depends on
PICTURES_ENV = "UPPFOLJNING_CHART_PICTURES"  # names the charts folder to the kernels
MAX_PICTURES = 3000  # pictures kept: an edition draws ~200, a correction a dozen more
STALE_TEMPORARY_S = 3600  # a half-written picture older than this was abandoned
# Entries kept per level (most recently used first). A delivery adds one results entry
# per edition, ~24 notebooks per edition and ~19 suite outcomes per gate: these keep
# about the last 60 deliveries of one edition, or 8 runs of all seven editions.
KEEP = {"results": 60, "notebooks": 1500, "gx": 2000}
RECENT_S = 3600  # never pruned: used this recently (a build may be running alongside)


def renew(path: Path) -> None:
    """Mark a cache entry as just used (its modification time), if it still exists."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune_least_recent(
    entries: Iterable[Path], keep: int, now: float | None = None, spare_recent: bool = True
) -> int:
    """Remove all but the ``keep`` most recently used of ``entries`` (files or folders,
    by modification time), sparing any used in the last :data:`RECENT_S` seconds unless
    ``spare_recent`` is off; return how many were removed."""
    now = time.time() if now is None else now
    dated = []
    for entry in entries:
        try:
            dated.append((entry.stat().st_mtime, entry))
        except OSError:
            continue  # removed meanwhile
    dated.sort(key=lambda item: item[0], reverse=True)
    removed = 0
    for mtime, entry in dated[keep:]:
        if spare_recent and now - mtime < RECENT_S:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def hash_bytes(*parts: bytes | str) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(root: Path, patterns: Iterable[str] = ("**/*",)) -> str:
    """Hash of the relative paths and contents of the files under ``root`` matching
    ``patterns`` (hidden files and ``__pycache__`` left out)."""
    if not root.exists():
        return hash_bytes("missing", str(root.name))
    files = sorted(
        {
            p
            for pattern in patterns
            for p in root.glob(pattern)
            if p.is_file()
            and not any(
                part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts
            )
        }
    )
    return hash_bytes(*(f"{p.relative_to(root).as_posix()}={file_digest(p)}" for p in files))


def environment_key(lock: Path, suites_dir: Path) -> str:
    """The locked environment (``lock``), our own code and the suites the gates run
    (``suites_dir``: the project's ``validation/``): a change in any re-runs everything."""
    package = Path(__file__).resolve().parent
    return hash_bytes(
        sys.version,
        file_digest(lock) if lock.is_file() else "no lock",
        tree_digest(package, ("**/*.py",)),
        tree_digest(suites_dir, ("**/*.json",)),
    )


def delivery_key(data_dir: Path) -> str:
    return tree_digest(data_dir, ("*",))


def results_data_key(results_dir: Path) -> str:
    """What a notebook reads from the results folder, without the volatile build facts."""
    parts = []
    for path in sorted(p for p in results_dir.iterdir() if p.is_file()):
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            for name in VOLATILE_META:
                data.pop(name, None)
            parts.append(f"{path.name}={json.dumps(data, sort_keys=True)}")
        else:
            parts.append(f"{path.name}={file_digest(path)}")
    return hash_bytes(*parts)


def atomic_write(path: Path, data: bytes, suffix: str = "") -> None:
    """Write ``data`` to ``path`` through a temporary file (named ``.<name>.*<suffix>``)
    renamed into place: a reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune_pictures(folder: Path, keep: int = MAX_PICTURES) -> int:
    """Keep the ``keep`` most recently used chart pictures of ``folder`` (by
    modification time, which a hit renews) and remove the others, and the temporary
    files a stopped kernel left; return how many files were removed."""
    if not folder.is_dir():
        return 0
    pictures, removed = [], 0
    now = time.time()
    for entry in os.scandir(folder):
        if entry.name.endswith(".svg"):
            pictures.append(Path(entry.path))
            continue
        try:
            mtime = entry.stat().st_mtime
        except OSError:
            continue  # removed meanwhile
        if entry.name.endswith(".tmp") and now - mtime > STALE_TEMPORARY_S:
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
    # pictures are pruned before the kernels start: none is in use by this build
    return removed + prune_least_recent(pictures, keep, now, spare_recent=False)


class BuildCache:
    """The cache folder of one project (``<project>/_build/cache``)."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = Path(root)
        self.enabled = enabled and os.environ.get("UPPFOLJNING_NO_CACHE", "") in ("", "0")

    @property
    def pictures_dir(self) -> Path | None:
        """The folder of chart pictures drawn before, None when the cache is off."""
        return self.root / "charts" if self.enabled else None

    def kernel_environment(self) -> dict[str, str]:
        """What the build tells its kernels: the folder of chart pictures drawn before
        (pruned here), or an empty name when the cache is off, so every picture is
        drawn."""
        folder = self.pictures_dir
        if folder is None:
            return {PICTURES_ENV: ""}
        prune_pictures(folder)
        return {PICTURES_ENV: str(folder)}

    # --- results ----------------------------------------------------------------------

    def _results_entry(self, key: str) -> Path:
        return self.root / "results" / key

    def has_results(self, key: str) -> bool:
        return self.enabled and (self._results_entry(key) / "stage.pickle").is_file()

    def load_results(self, key: str, results_dir: Path):
        """The cached stage object for ``key`` with its results folder copied to
        ``results_dir``, or None."""
        entry = self._results_entry(key)
        if not self.enabled or not (entry / "stage.pickle").is_file():
            return None
        renew(entry)
        try:
            stage = pickle.loads((entry / "stage.pickle").read_bytes())
            shutil.copytree(entry / "results", results_dir, dirs_exist_ok=True)
        except Exception:  # noqa: BLE001 - a corrupt or vanished entry is a miss
            shutil.rmtree(results_dir, ignore_errors=True)
            return None
        return stage

    def store_results(self, key: str, results_dir: Path, stage: object) -> None:
        if not self.enabled:
            return
        entry = self._results_entry(key)
        tmp = Path(tempfile.mkdtemp(prefix=".results-", dir=self._ensure(self.root)))
        try:
            shutil.copytree(results_dir, tmp / "results")
            (tmp / "stage.pickle").write_bytes(pickle.dumps(stage))
            if entry.exists():
                shutil.rmtree(tmp)
                return
            entry.parent.mkdir(parents=True, exist_ok=True)
            os.rename(tmp, entry)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)

    # --- notebooks ----------------------------------------------------------------------

    def notebook_path(self, key: str) -> Path:
        return self.root / "notebooks" / f"{key}.ipynb"

    def load_notebook(self, key: str, output: Path) -> bool:
        cached = self.notebook_path(key)
        if not self.enabled or not cached.is_file():
            return False
        renew(cached)
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(cached, output)
        except OSError:  # vanished meanwhile: a miss
            output.unlink(missing_ok=True)
            return False
        return True

    def store_notebook(self, key: str, executed: Path) -> None:
        if self.enabled and executed.is_file():
            atomic_write(self.notebook_path(key), executed.read_bytes())

    def notebook_reason(self, identity: str, parts: dict[str, str]) -> str:
        """Why a notebook runs: which of its key's parts changed since it last ran."""
        previous = self._read_json(self.root / "notebooks" / "index.json").get(identity)
        if previous is None:
            return "not run before"
        changed = [name for name, value in parts.items() if previous.get(name) != value]
        names = {
            "template": "template changed",
            "parameters": "parameters changed",
            "data": "results data changed",
            "environment": "environment or code changed",
            "indicators": "its indicator rows changed",
            "focus": "its focus areas changed",
            "warnings": "its plausibility warnings changed",
            "units": "units changed",
            "meta": "edition facts changed",
            "present": "indicators added or removed",
        }
        return ", ".join(names.get(n, n) for n in changed) or "not in the cache"

    def remember_notebooks(self, entries: dict[str, dict[str, str]]) -> None:
        if not self.enabled or not entries:
            return
        path = self.root / "notebooks" / "index.json"
        index = self._read_json(path)
        index.update(entries)
        atomic_write(path, json.dumps(index, indent=1, sort_keys=True).encode())

    # --- published editions ------------------------------------------------------------

    def published_key(self, target: Path) -> str | None:
        record = self._read_json(self.root / "published.json").get(str(target))
        index = target / "index.html"
        if not self.enabled or not record or not index.is_file():
            return None
        if record.get("index_mtime_ns") != index.stat().st_mtime_ns:
            return None  # the published edition was touched by something else
        return record.get("key")

    def remember_published(self, target: Path, key: str) -> None:
        if not self.enabled:
            return
        path = self.root / "published.json"
        records = self._read_json(path)
        records[str(target)] = {
            "key": key,
            "index_mtime_ns": (target / "index.html").stat().st_mtime_ns,
        }
        atomic_write(path, json.dumps(records, indent=1, sort_keys=True).encode())

    # --- Great Expectations outcomes ---------------------------------------------------

    def suite_outcomes(self) -> OutcomeStore | None:
        """The outcomes of single suite runs (``gx/``), or None when caching is off."""
        return OutcomeStore(self.root / "gx") if self.enabled else None

    # --- size -----------------------------------------------------------------------

    def prune(self) -> int:
        """Keep each level's :data:`KEEP` most recently used entries (see the module's
        docstring); return how many were removed."""
        if not self.enabled:
            return 0

        def listed(pattern: str) -> list[Path]:
            return [p for p in self.root.glob(pattern) if not p.name.startswith(".")]

        return (
            prune_least_recent(listed("results/*"), KEEP["results"])
            + prune_least_recent(listed("notebooks/*.ipynb"), KEEP["notebooks"])
            + prune_least_recent(listed("gx/*/*.json"), KEEP["gx"])
        )

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _read_json(path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _ensure(path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        return path


class OutcomeStore:
    """The outcomes of Great Expectations suite runs, one JSON file per run
    (``<cache>/gx/<key[:2]>/<key>.json``), keyed by everything GX saw
    (:func:`uppfoljning.validation.runner.run_key`). A corrupt or unreadable entry is a
    miss; a failed write only loses the entry."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def load(self, key: str) -> object:
        path = self.path(key)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        renew(path)
        return value

    def store(self, key: str, value: object) -> None:
        try:
            atomic_write(self.path(key), json.dumps(value, sort_keys=True).encode())
        except (OSError, TypeError, ValueError):
            pass


# ---------------------------------------------------------------------------
# The book mirror (what uppfoljning.site.build_book builds incrementally)


INCREMENTAL_SUFFIXES = (".md", ".ipynb")  # pages Sphinx can re-read on their own


@dataclass(frozen=True)
class BookPlan:
    """How the book is built: ``fresh`` (every page read) or ``incremental``."""

    mode: str
    reason: str
    changed: tuple[str, ...] = ()


@dataclass
class TreeChanges:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def sync_tree(source: Path, mirror: Path) -> TreeChanges:
    """Make ``mirror`` hold exactly the files of ``source``, writing only files whose
    bytes differ (an unchanged file keeps its modification time, which is what Sphinx
    compares)."""
    changes = TreeChanges()
    wanted = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    # Sphinx compiles a message catalogue (.po) into a .mo beside it in the source
    # folder: that file is Sphinx's own, kept while its .po is there
    compiled = {w[:-3] + ".mo" for w in wanted if w.endswith(".po")}
    if mirror.exists():
        for path in sorted(mirror.rglob("*"), reverse=True):
            relative = path.relative_to(mirror).as_posix()
            if path.is_file() and relative not in wanted and relative not in compiled:
                path.unlink()
                changes.removed.append(relative)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in sorted(wanted):
        new, old = source / relative, mirror / relative
        data = new.read_bytes()
        if old.is_file():
            if old.stat().st_size == len(data) and old.read_bytes() == data:
                continue
            changes.changed.append(relative)
        else:
            changes.added.append(relative)
        old.parent.mkdir(parents=True, exist_ok=True)
        old.write_bytes(data)
    return changes


class BookMirror:
    """The persistent source mirror and Jupyter Book output of one edition's book
    (``<cache>/book/<name>/``), used by one build at a time (a file lock)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.source = self.root / "src"
        self.output = self.root / "jb"
        self.state = self.root / "state.json"
        self._lock = None

    def acquire(self) -> bool:
        """Take the mirror for this build; False when another build holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = (self.root / ".lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock = handle
        return True

    def release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def plan(
        self,
        staged: Path,
        base_key: str,
        citers: Callable[[Path, list[str]], list[str]] | None = None,
    ) -> BookPlan:
        """Sync the staged book into the mirror and decide how to build it. The mirror
        is marked unfinished until :meth:`succeeded` (a failed or interrupted build
        makes the next one fresh). ``citers(source, notebooks)``: the Markdown pages
        that glue results from the changed ``notebooks``, read again with them."""
        previous = BuildCache._read_json(self.state)
        changes = sync_tree(staged, self.source)
        structural = sorted(
            changes.added
            + changes.removed
            + [p for p in changes.changed if not p.endswith(INCREMENTAL_SUFFIXES)]
        )
        if not previous.get("ok") or not (self.output / "_build" / "html").is_dir():
            plan = BookPlan("fresh", "no earlier book build to update")
        elif previous.get("base") != base_key:
            plan = BookPlan("fresh", "environment or code changed")
        elif structural:
            more = f" and {len(structural) - 3} more" if len(structural) > 3 else ""
            plan = BookPlan("fresh", f"{', '.join(structural[:3])}{more} changed")
        else:
            notebooks = [p for p in changes.changed if p.endswith(".ipynb")]
            citing = (
                [p for p in citers(self.source, notebooks) if p not in changes.changed]
                if citers and notebooks
                else []
            )
            now = time.time()
            for page in citing:  # Sphinx re-reads a page newer than its last reading
                os.utime(self.source / page, (now, now))
            reason = "pages changed: " + (", ".join(changes.changed) or "none")
            if citing:
                reason += "; re-read for their glued results: " + ", ".join(citing)
            plan = BookPlan("incremental", reason, tuple(changes.changed) + tuple(citing))
        atomic_write(self.state, json.dumps({"ok": False, "base": base_key}).encode())
        if plan.mode == "fresh":
            shutil.rmtree(self.output, ignore_errors=True)  # no stale page survives
        return plan

    def succeeded(self, base_key: str) -> None:
        atomic_write(self.state, json.dumps({"ok": True, "base": base_key}).encode())

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
