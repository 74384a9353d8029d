"""Every number the prose states is the number the code computes today, in every notebook, and
neither the prose nor the outputs depend on the processor's numeric code path.

The Markdown writes each computed number as text between two HTML comments
(``<!--key:spec-->0.0407<!--/-->``, see ``bplib.prose``); these tests run each notebook afresh and
compare. They run it twice, once with numpy cut down to its baseline SIMD code and once with
OpenBLAS on an old kernel (``scripts/cpu_paths.py``), while nbval runs it on the machine's
default path: a number printed with rounding noise in its last digits differs in one of them.
Those runs go on in the background, as many at a time as there are cores, so that the two extra
runs of every notebook cost the suite little time. The first tests need no kernel: the markers
are well formed, and ``bplib.prose.record`` refuses what it cannot write.
"""
import json
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from bplib import prose

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import cpu_paths  # noqa: E402
import prose_numbers  # noqa: E402

NOTEBOOKS = [p for folder in ("chapters", "exercises") for p in sorted((ROOT / folder).glob("*.ipynb"))]
IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_marker_is_closed_and_filled(path):
    for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        opened = re.findall(r"<!--[A-Za-z_]\w*(?::[^>]*)?-->", text)
        found = prose_numbers.MARKER.findall(text)
        assert len(opened) == len(found), f"{path.name} cell {i}: a number marker is not closed by <!--/-->"
        empty = [key for key, _, written in found if not written.strip()]
        assert not empty, f"{path.name} cell {i}: no number written for {empty}; run scripts/execute_notebooks.py"


@pytest.fixture(scope="session")
def runs_on_other_paths():
    """{(notebook, code path): future of cpu_paths.run}, every run started at once on a pool of
    processes, one per core (each run sets environment variables for its kernel: a process of its own)."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield {(path, code_path): pool.submit(cpu_paths.run, path, cpu_paths.environment(code_path))
               for path in NOTEBOOKS for code_path in cpu_paths.PATHS if cpu_paths.environment(code_path)}


@pytest.mark.parametrize("code_path", cpu_paths.PATHS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_and_prose_numbers_hold_on_another_code_path(path, code_path, runs_on_other_paths):
    env = cpu_paths.environment(code_path)
    if not env:
        pytest.skip(f"this machine has no {code_path} code path but its default")
    stored = nbformat.read(path, as_version=4)
    fresh, values, used = runs_on_other_paths[path, code_path].result()
    default = cpu_paths.code_path()
    if code_path == "numpy":
        assert used["numpy"] == [], f"the kernel still used numpy's {used['numpy']} (asked {env})"
    else:
        assert used["openblas"], f"the kernel loaded no OpenBLAS (this process: {default['openblas']})"
        assert used["openblas"] != default["openblas"] or "OPENBLAS_CORETYPE" in os.environ, (
            f"{env} left OpenBLAS on {used['openblas']}")

    unknown = [p for p in prose_numbers.problems(stored, values) if p.startswith("the prose uses")]
    assert not unknown, f"{path.name}: " + "; ".join(unknown)
    stale = prose_numbers.stale(stored, values)
    differ = cpu_paths.differences(stored, fresh)
    if stale or differ:
        pytest.fail(
            f"{path.name}, run on {used} (this machine's default: {default}):\n"
            + "".join(f"  cell {i}, {key}: written {written!r}, computed {computed!r}\n"
                      for i, key, written, computed in stale)
            + "".join(f"  cell {i}: stored {a!r}\n    computed {b!r}\n" for i, a, b in differ)
            + "If the code changed, run scripts/execute_notebooks.py. If a number differs only in its last "
              "digits, it is rounding noise: state a bound with prose.below (CONTRIBUTING.md).", pytrace=False)


def test_fill_writes_the_formatted_value_and_stale_finds_the_old_one():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "E falls to <!--E:.3f-->9.999<!--/--> after <!--n:,d-->?<!--/--> steps.")])
    values = {"E": 0.0123456, "n": 12000}
    assert [(key, old, new) for _, key, old, new in prose_numbers.stale(nb, values)] == [
        ("E", "9.999", "0.012"), ("n", "?", "12,000")]
    assert prose_numbers.fill(nb, values) == 2
    assert nb.cells[0].source == "E falls to <!--E:.3f-->0.012<!--/--> after <!--n:,d-->12,000<!--/--> steps."
    assert prose_numbers.stale(nb, values) == []


@pytest.mark.parametrize("key, value, error", [
    ("E", float("nan"), ValueError), ("E", float("inf"), ValueError), ("E", True, TypeError),
    ("E", None, TypeError), ("E", [1.0], TypeError), ("not a name", 1.0, TypeError), (3, 1.0, TypeError)])
def test_record_refuses_what_it_cannot_write(key, value, error):
    with pytest.raises(error, match="key|value"):
        prose.record(key, value)


def test_record_keeps_integers_and_turns_numpy_scalars_into_python_numbers():
    import numpy as np

    prose.record("test_int", np.int64(12000))
    prose.record("test_float", np.float32(0.5))
    assert type(prose.NUMBERS["test_int"]) is int and format(prose.NUMBERS["test_int"], ",d") == "12,000"
    assert type(prose.NUMBERS["test_float"]) is float and prose.NUMBERS["test_float"] == 0.5


@pytest.mark.parametrize("value, bound, text", [(1.3e-11, 1e-9, "1e-9"), (0.0, 1e-15, "1e-15"),
                                                (4e-10, 5e-9, "5e-9"), (0.5, 1, "1"), (-3.0, 2.5e3, "2500")])
def test_below_records_the_bound_as_the_prose_writes_it(value, bound, text):
    assert prose.below("test_bound", value, bound) == text
    assert prose.NUMBERS["test_bound"] == text


@pytest.mark.parametrize("value", [1e-9, 2e-9, float("nan"), float("inf"), 10**400])
def test_below_stops_the_notebook_when_the_value_is_not_below(value):
    with pytest.raises(ValueError, match=r"value for 'test_bound' must be below 1e-9.*received"):
        prose.below("test_bound", value, 1e-9)


@pytest.mark.parametrize("key, value, bound, error", [
    ("not a name", 0.0, 1e-9, TypeError), ("k", "1e-10", 1e-9, TypeError), ("k", True, 1e-9, TypeError),
    ("k", 0.0, None, TypeError), ("k", 0.0, 0.0, ValueError), ("k", 0.0, -1e-9, ValueError),
    ("k", 0.0, float("inf"), ValueError)])
def test_below_refuses_what_is_not_a_number_and_a_positive_bound(key, value, bound, error):
    with pytest.raises(error, match="key|value|bound"):
        prose.below(key, value, bound)


def test_comparable_outputs_join_streams_and_leave_out_images():
    """Two runs that print the same text in other message splits compare equal; a changed digit does not."""
    out = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell("", outputs=[
        out("stream", name="stdout", text="error 1.3e-"), out("stream", name="stdout", text="11\n"),
        out("display_data", data={"image/png": "AAAA", "text/plain": "<Figure>"})])
    same = nbformat.v4.new_code_cell("", outputs=[
        out("stream", name="stdout", text="error 1.3e-11\n"),
        out("display_data", data={"image/png": "BBBB", "text/plain": "<Figure>"})])
    other = nbformat.v4.new_code_cell("", outputs=[out("stream", name="stdout", text="error 1.4e-11\n")])
    again = nbformat.v4.new_code_cell("", outputs=cell.outputs)
    stored, fresh = nbformat.v4.new_notebook(cells=[cell, again]), nbformat.v4.new_notebook(cells=[same, other])
    assert [i for i, _, _ in cpu_paths.differences(stored, fresh)] == [1]
