"""The build's forked kernels (_ext/forked_kernels.py) behave as stock kernels do.

Each test runs the same notebook in a stock kernel (a new interpreter, as jupyter_client starts
one) and in a kernel forked from the zygote, and compares every output. The probe notebook prints
what a fork could get wrong: working directory and ``sys.path[0]``, the environment, the modules
loaded, signal handlers, matplotlib's backend, figures as PNG. The chapter is a real one, figures
and all.
"""
import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_cache.executors.utils import single_nb_execution

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import forked_kernels  # noqa: E402

PROBE = [
    "import os, sys\nprint(os.getcwd() == sys.path[0], os.path.basename(os.getcwd()))",
    "print(sys.path[1:])",
    "print(os.environ.get('BPLIB_PROBE'), 'JPY_PARENT_PID' in os.environ, os.environ.get('MPLBACKEND'))",
    "print(__name__, os.path.basename(sys.argv[0]), sys.argv[1])",
    # what a fork would carry over from the process it was forked from
    "print(sorted(m for m in sys.modules if m.split('.')[0] in\n"
    "      {'sphinx', 'docutils', 'jupyter_cache', 'nbclient', 'forked_kernels', 'bplib', 'scipy'}))",
    "import signal\nprint([signal.getsignal(s) for s in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT)])",
    "import subprocess\nprint(subprocess.run(['true']).returncode)",  # children are waited for
    "import matplotlib\nprint(matplotlib.get_backend())",
    "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()",
    "import random\nimport numpy as np\nprint(np.random.rand(), random.random())",  # differ per kernel
]
RANDOM_CELL = len(PROBE) - 1


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    socket_path = str(tmp_path_factory.mktemp("zygote") / "socket")
    process = forked_kernels.start_zygote(socket_path)
    os.environ["BPLIB_PROBE"] = "set by the test"
    yield process
    os.environ.pop("BPLIB_PROBE", None)
    forked_kernels.stop_zygote(process)


def run(notebook, cwd, forked):
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))  # a copy
    before = len(forked_kernels.launched)
    kwargs = {"kernel_manager_class": forked_kernels.kernel_manager_class()} if forked else {}
    result = single_nb_execution(notebook, cwd=str(cwd), timeout=120, allow_errors=False, **kwargs)
    assert result.err is None, result.exc_string
    assert len(forked_kernels.launched) - before == (1 if forked else 0), "forked iff asked to"
    return [merged(c.outputs) for c in notebook.cells if c.cell_type == "code"]


def merged(outputs):
    """The outputs without execution counts, consecutive prints of a stream joined: how a kernel
    splits printed text into messages depends on timing (the site merges them too)."""
    joined = []
    for output in outputs:
        output = {k: v for k, v in output.items() if k != "execution_count"}
        if (joined and output["output_type"] == "stream" and joined[-1]["output_type"] == "stream"
                and joined[-1]["name"] == output["name"]):
            joined[-1] = {**joined[-1], "text": joined[-1]["text"] + output["text"]}
        else:
            joined.append(output)
    return joined


def probe_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in PROBE]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_a_forked_kernel_starts_as_a_stock_kernel_does(zygote, tmp_path):
    stock = run(probe_notebook(), tmp_path, forked=False)
    forked = run(probe_notebook(), tmp_path, forked=True)
    again = run(probe_notebook(), tmp_path, forked=True)
    for i, source in enumerate(PROBE):
        if i != RANDOM_CELL:
            assert forked[i] == stock[i], f"cell {i}:\n{source}\nstock: {stock[i]}\nforked: {forked[i]}"
    assert any("image/png" in o.get("data", {}) for o in forked[PROBE.index(
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()")]), "no figure"
    numbers = [cell[RANDOM_CELL][0]["text"].split() for cell in (forked, again)]
    assert all(a != b for a, b in zip(*numbers)), f"two forked kernels drew the same numbers: {numbers}"


def test_a_forked_kernel_has_exited_and_its_cpu_time_is_known(zygote, tmp_path):
    run(probe_notebook(), tmp_path, forked=True)
    pid = forked_kernels.launched[-1]
    assert forked_kernels.ForkedProcess(pid).poll() == 0, "the kernel is still running"
    assert forked_kernels.kernel_cpu_seconds(pid) > 0


def test_a_chapter_gives_the_same_outputs_in_both_kernels(zygote):
    path = ROOT / "chapters" / "06_output_layer.ipynb"
    notebook = nbformat.read(path, as_version=4)
    stock = run(notebook, path.parent, forked=False)
    forked = run(notebook, path.parent, forked=True)
    differ = [i for i, (a, b) in enumerate(zip(stock, forked)) if a != b]
    assert not differ, f"code cells whose outputs differ: {differ}"
    assert sum("image/png" in o.get("data", {}) for cell in forked for o in cell) >= 3


def run_first_cell_unforked(tmp_path):
    """Run the probe's first cell with the forking kernel manager; check that it ran and that no
    kernel was forked; return the seconds it took."""
    notebook = probe_notebook()
    notebook.cells = notebook.cells[:1]
    launched = list(forked_kernels.launched)
    start = time.monotonic()
    result = single_nb_execution(notebook, cwd=str(tmp_path), timeout=120, allow_errors=False,
                                 kernel_manager_class=forked_kernels.kernel_manager_class())
    assert result.err is None, result.exc_string
    assert forked_kernels.launched == launched, "a kernel was forked with no working zygote"
    return time.monotonic() - start


def test_without_a_zygote_the_kernel_is_started_as_usual(tmp_path, monkeypatch):
    monkeypatch.delenv(forked_kernels.SOCKET_VARIABLE, raising=False)
    run_first_cell_unforked(tmp_path)
    assert not forked_kernels.forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"])


def test_a_zygote_that_died_is_not_waited_for(tmp_path, monkeypatch):
    for name in (forked_kernels.SOCKET_VARIABLE, forked_kernels.PID_VARIABLE):
        monkeypatch.delenv(name, raising=False)  # the module's zygote gets its variables back after
    broken = forked_kernels.start_zygote(str(tmp_path / "no such folder" / "socket"))  # cannot bind
    try:
        broken.wait(timeout=60)
        seconds = run_first_cell_unforked(tmp_path)
        assert seconds < 20, "waited for a zygote that had died (the wait is 30 s)"
    finally:
        forked_kernels.stop_zygote(broken)
