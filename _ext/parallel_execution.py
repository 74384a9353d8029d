"""Execute the book's notebooks, one per core at once, while Sphinx reads the other pages.

Jupyter Book 1 runs one Sphinx process, and in ``execute_notebooks: force`` mode myst-nb runs
each notebook's kernel when Sphinx reaches the notebook: one kernel at a time, the second core
idle. Jupyter Book 1 always runs Sphinx with one job (its command line has no ``-j``), so
Sphinx's parallel reading is not available either.

This extension keeps every notebook executed by the build that shows it, but starts them all at
once, as soon as Sphinx knows which documents it will read (``env-before-read-docs``), in a pool
of worker processes (one per core), in the order Sphinx reads them. When Sphinx reaches a
notebook (``source-read``), the extension waits for that notebook's run and stores the executed
notebook in myst-nb's jupyter-cache (``execute_notebooks: cache`` in _config.yml); myst-nb then
finds it there, by the hash of its code cells, and renders those outputs.

It uses only public interfaces: Sphinx's events and ``add_config_value``; the configuration
myst-nb resolves for the build (``env.mystnb_config``: execution mode, cache folder, timeout,
``allow_errors``, exclude patterns); jupyter-cache's ``get_cache``, ``clear_cache``,
``cache_notebook_bundle`` and ``single_nb_execution`` (which runs nbclient), called as myst-nb's
own cache mode calls them. Its state lives in one ``ParallelRuns`` object per Sphinx application,
whose bound methods are the event handlers.

No output is ever older than the build:

- before the runs start, the whole cache is emptied, so every entry in it was made by this build
  from the notebook and the ``bplib`` on disk now;
- a notebook whose run failed is not stored: myst-nb finds no entry, runs it again itself, and
  fails the build with the cell's traceback (``raise_on_error``), as ``force`` mode does;
- each run is the one myst-nb would make (``single_nb_execution``, in the notebook's folder, with
  the configured timeout and ``allow_errors``), in its own new kernel, started by jupyter_client
  as usual (a new interpreter), except that a cell's printed text is kept as one output, joined
  exactly as it was printed (nbclient's ``coalesce_streams``, as scripts/execute_notebooks.py
  stores it): myst-nb's own merge drops a blank line wherever the kernel happened to send it at
  the end of a message, so a page differed from its notebook, and from one build to the next;
- a notebook edited on disk while the build runs no longer matches its entry (the hash of its
  code differs): myst-nb runs the edited notebook itself.

As with ``force``, a later build into the same folder re-reads, and so re-runs, only the
notebooks that changed; the tests build into an empty folder, as the README's first command
does on a fresh checkout.

Settings (Sphinx configuration values, set under ``sphinx: config:`` in _config.yml):

- ``parallel_execution`` (default ``True``): ``False`` leaves every notebook to myst-nb, one
  after the other, as Jupyter Book does without this extension;
- ``parallel_execution_workers`` (default ``0``: one per core this process may use): the size
  of the pool.
"""
import concurrent.futures
import multiprocessing
import os
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def run_notebook(path, timeout, allow_errors, in_temp):
    """Execute one notebook, in a worker process, as myst-nb's cache mode would.

    Returns (executed notebook or None, seconds, CPU seconds of the worker and its kernel, error text).
    """
    import tempfile
    from contextlib import nullcontext

    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    before = _cpu_seconds()
    notebook = nbformat.read(path, as_version=4)
    with (tempfile.TemporaryDirectory() if in_temp else nullcontext(str(Path(path).parent))) as cwd:
        # coalesce_streams: a cell's prints kept as printed, blank lines included (see above)
        result = single_nb_execution(notebook, cwd=os.path.abspath(cwd), timeout=timeout,
                                     allow_errors=allow_errors, meta_override=True, coalesce_streams=True)
    used = _cpu_seconds() - before  # the kernel has exited and been waited for: it counts as a child
    if result.err is not None:
        return None, result.time, used, result.exc_string or repr(result.err)
    return result.nb, result.time, used, None


def _cpu_seconds():
    """User + system CPU seconds of this process and of its children that have exited."""
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def cores():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ParallelRuns:
    """The runs of one Sphinx build: the pool, one future per notebook, the cache they go to."""

    def __init__(self, app):
        self.app = app
        self.pool = None
        self.cache = None
        self.runs = {}  # docname -> future of run_notebook(...)
        self.started = None
        self.cpu = 0.0

    def start(self, app, env, docnames):
        """``env-before-read-docs``: empty the cache and start every notebook Sphinx will read."""
        config = getattr(env, "mystnb_config", None)
        if not app.config.parallel_execution or config is None or config.execution_mode != "cache":
            return
        from jupyter_cache import get_cache

        notebooks = [d for d in docnames if str(env.doc2path(d)).endswith(".ipynb")
                     and not any(Path(env.doc2path(d)).match(p) for p in config.execution_excludepatterns)]
        if Path(config.execution_cache_path).exists():
            get_cache(config.execution_cache_path).clear_cache()  # every entry used is made below
        self.cache = get_cache(config.execution_cache_path)
        if not notebooks:
            return
        workers = min(app.config.parallel_execution_workers or cores(), len(notebooks))
        logger.info(f"executing {len(notebooks)} notebooks, {workers} at a time")
        # spawn: a worker is a new interpreter, not a copy of Sphinx with its threads and state
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self.started = time.perf_counter()
        for docname in notebooks:
            self.runs[docname] = self.pool.submit(
                run_notebook, str(env.doc2path(docname)), config.execution_timeout,
                config.execution_allow_errors, config.execution_in_temp)

    def store(self, app, docname, source):
        """``source-read``, before myst-nb reads a notebook: wait for its run and cache the result."""
        future = self.runs.pop(docname, None)
        if future is None:
            return
        from jupyter_cache.base import CacheBundleIn

        try:
            notebook, seconds, cpu, error = future.result()
        except Exception as crash:  # the worker itself died: myst-nb runs the notebook and reports
            notebook, seconds, cpu, error = None, 0.0, 0.0, repr(crash)
        self.cpu += cpu
        if notebook is None:
            logger.info(f"{docname}: the parallel run failed; myst-nb runs it again to report the error")
            return
        self.cache.cache_notebook_bundle(
            CacheBundleIn(notebook, str(app.env.doc2path(docname)), data={"execution_seconds": seconds}),
            check_validity=False, overwrite=True)
        logger.info(f"{docname}: executed in {seconds:.1f} s, {cpu:.1f} s of CPU (in parallel, "
                    f"{time.perf_counter() - self.started:.0f} s after the runs started)")

    def stop(self, app, *args):
        """``env-updated`` or ``build-finished``: cancel what was not needed and end the workers."""
        if self.pool is None:
            return
        for future in self.runs.values():
            future.cancel()
        self.pool.shutdown(wait=True)
        self.pool = None
        self.runs = {}
        logger.info(f"notebooks executed: {time.perf_counter() - self.started:.0f} s after the runs "
                    f"started, {self.cpu:.0f} s of CPU in the workers and kernels")


def setup(app):
    app.add_config_value("parallel_execution", True, "", types=[bool])
    app.add_config_value("parallel_execution_workers", 0, "", types=[int])
    runs = ParallelRuns(app)
    app.connect("env-before-read-docs", runs.start, priority=100)
    app.connect("source-read", runs.store, priority=100)
    app.connect("env-updated", runs.stop)
    app.connect("build-finished", runs.stop)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
