"""Execute the book's notebooks, one per core at once, while Sphinx reads the other pages.

Jupyter Book 1 runs one Sphinx process, and in ``execute_notebooks: force`` mode myst-nb runs
each notebook's kernel when Sphinx reaches the notebook: one kernel at a time, the second core
idle, about 75 s of the clean build. Jupyter Book 1 always runs Sphinx with one job (its
command line has no ``-j``), so Sphinx's parallel reading is not available either.

This extension keeps every notebook executed by the build that shows it, but starts them all at
once, as soon as Sphinx knows which documents it will read (``env-before-read-docs``), in a pool
of worker processes (one per core), in the order Sphinx reads them. When Sphinx reaches a
notebook (``source-read``), the extension waits for that notebook's run and stores the executed
notebook in myst-nb's jupyter-cache (``execute_notebooks: cache`` in _config.yml); myst-nb then
finds it there, by the hash of its code cells, and renders those outputs.

No output is ever older than the build:

- before the runs start, the whole cache is emptied, so every entry in it was made by this build
  from the notebook and the ``bplib`` on disk now;
- a notebook whose run failed is not stored: myst-nb finds no entry, runs it again itself, and
  fails the build with the cell's traceback (``raise_on_error``), as ``force`` mode does;
- each run is the one myst-nb would make (jupyter-cache's ``single_nb_execution``, in the
  notebook's folder, with the configured timeout and ``allow_errors``), in its own new kernel;
  the kernel is forked from a process that has imported ipykernel, numpy and matplotlib
  (forked_kernels.py says what that keeps and why; ``BPLIB_FORK_KERNELS=0`` starts each kernel
  as a new interpreter instead);
- a notebook edited on disk while the build runs no longer matches its entry (the hash of its
  code differs): myst-nb runs the edited notebook itself.

As with ``force``, a later build into the same folder re-reads, and so re-runs, only the
notebooks that changed; the tests build into an empty folder, as the README's first command
does on a fresh checkout.

``BPLIB_EXECUTION_WORKERS`` sets the pool's size (default: the cores this process may use).
"""
import concurrent.futures
import multiprocessing
import os
import time
from pathlib import Path

from sphinx.util import logging

import forked_kernels  # beside this file, as Sphinx's local extensions are

logger = logging.getLogger(__name__)


def _run(path, timeout, allow_errors, in_temp):
    """Execute one notebook in a worker process.

    Returns (notebook or None, seconds, CPU seconds of the worker and the kernel, error text).
    """
    import resource
    import tempfile
    from contextlib import nullcontext

    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    def cpu():
        return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                      resource.getrusage(resource.RUSAGE_CHILDREN)))

    before, forked = cpu(), len(forked_kernels.launched)
    notebook = nbformat.read(path, as_version=4)
    with (tempfile.TemporaryDirectory() if in_temp else nullcontext(str(Path(path).parent))) as cwd:
        result = single_nb_execution(notebook, cwd=os.path.abspath(cwd), timeout=timeout,
                                     allow_errors=allow_errors, meta_override=True,
                                     kernel_manager_class=forked_kernels.kernel_manager_class())
    # the kernel has exited (nbclient waited for it): a stock one was this process's child, a
    # forked one the zygote's
    used = cpu() - before + sum(map(forked_kernels.kernel_cpu_seconds, forked_kernels.launched[forked:]))
    if result.err is not None:
        return None, result.time, used, result.exc_string or repr(result.err)
    return result.nb, result.time, used, None


def _workers():
    """One worker per core. Clean strict builds on a quiet 2-core machine, kernels forked
    (forked_kernels.py): 2 workers 52.0, 51.0, 51.8 s; 3 workers 51.2, 55.2, 52.0 s. (With a new
    interpreter per kernel a third worker helped, as a kernel waited while starting up.)"""
    given = os.environ.get("BPLIB_EXECUTION_WORKERS")
    if given:
        return max(1, int(given))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_runs(app, env, docnames):
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    notebooks = [d for d in docnames if str(env.doc2path(d)).endswith(".ipynb")
                 and not any(Path(env.doc2path(d)).match(p) for p in config.execution_excludepatterns)]
    if Path(config.execution_cache_path).exists():
        get_cache(config.execution_cache_path).clear_cache()  # every entry used is made below, by this build
    app._bp_cache = get_cache(config.execution_cache_path)
    app._bp_runs = {}
    if not notebooks:
        return
    workers = min(_workers(), len(notebooks))
    logger.info(f"executing {len(notebooks)} notebooks, {workers} at a time")
    if os.environ.get("BPLIB_FORK_KERNELS", "1") != "0" and forked_kernels.supported():  # 0: as usual
        import tempfile
        app._bp_zygote_dir = tempfile.mkdtemp(prefix="bplib-kernels-")
        app._bp_zygote = forked_kernels.start_zygote(os.path.join(app._bp_zygote_dir, "socket"))
    app._bp_pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    app._bp_started = time.perf_counter()
    for docname in notebooks:
        app._bp_runs[docname] = app._bp_pool.submit(
            _run, str(env.doc2path(docname)), config.execution_timeout, config.execution_allow_errors,
            config.execution_in_temp)


def store_run(app, docname, source):
    """Before myst-nb reads a notebook: wait for its run and put the executed notebook in the cache."""
    future = getattr(app, "_bp_runs", {}).pop(docname, None)
    if future is None:
        return
    from jupyter_cache.base import CacheBundleIn

    try:
        notebook, seconds, cpu, error = future.result()
    except Exception as crash:  # the worker itself died: myst-nb runs the notebook and reports
        notebook, seconds, cpu, error = None, 0.0, 0.0, repr(crash)
    app._bp_cpu = getattr(app, "_bp_cpu", 0.0) + cpu
    if notebook is None:
        logger.info(f"{docname}: the parallel run failed; myst-nb runs it again to report the error")
        return
    app._bp_cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(app.env.doc2path(docname)), data={"execution_seconds": seconds}),
        check_validity=False, overwrite=True)
    logger.info(f"{docname}: executed in {seconds:.1f} s, {cpu:.1f} s of CPU (in parallel, "
                f"{time.perf_counter() - app._bp_started:.0f} s after the runs started)")


def stop_runs(app, *args):
    pool = getattr(app, "_bp_pool", None)
    if pool is not None:
        for future in getattr(app, "_bp_runs", {}).values():
            future.cancel()
        pool.shutdown(wait=True)
        app._bp_pool = None
        zygote = getattr(app, "_bp_zygote", None)
        if zygote is not None:
            import shutil
            forked_kernels.stop_zygote(zygote)
            shutil.rmtree(app._bp_zygote_dir, ignore_errors=True)
            app._bp_zygote = None
        logger.info(f"notebooks executed: {time.perf_counter() - app._bp_started:.0f} s after the runs "
                    f"started, {getattr(app, '_bp_cpu', 0.0):.0f} s of CPU in the workers and kernels")


def setup(app):
    app.connect("env-before-read-docs", start_runs, priority=100)
    app.connect("source-read", store_run, priority=100)
    app.connect("env-updated", stop_runs)
    app.connect("build-finished", stop_runs)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
