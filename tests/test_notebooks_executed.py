"""Every stored notebook was executed top to bottom, in one kernel, without an error.

nbval compares stored outputs with fresh ones, but passes a notebook that stores no outputs at
all; these checks close that gap. Blank exercises (exercises/blank/) are for students and are
not executed. A second test checks that the pytest configuration really makes plain
``python -m pytest`` run nbval over every chapter and exercise.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for folder in ("chapters", "exercises") for p in sorted((ROOT / folder).glob("*.ipynb"))]


def setup_cell_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("setup_cell", ROOT / "scripts" / "setup_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, c) for i, c in enumerate(cells) if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def skipped(cell):
    """Widget cells are tagged skip-execution (see CONTRIBUTING.md): nbclient skips them when
    building the site and re-executing, so they store no output; nbval-skip makes nbval skip them."""
    tags = cell.get("metadata", {}).get("tags", [])
    return "skip-execution" in tags


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_widget_cells_are_skipped_consistently(path):
    for i, c in code_cells(path):
        tags = c.get("metadata", {}).get("tags", [])
        if "skip-execution" in tags:
            assert "nbval-skip" in tags and "remove-output" in tags, (
                f"{path.name} cell {i}: a skip-execution cell must also be tagged nbval-skip and remove-output; "
                f"received tags {tags}")
            assert not c.get("outputs") and c.get("execution_count") is None, (
                f"{path.name} cell {i}: a skip-execution cell must store no output")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_executed_in_order(path):
    cells = [(i, c) for i, c in code_cells(path) if source(c).strip() and not skipped(c)]
    assert cells, f"{path.name} has no code cells"
    unexecuted = [i for i, c in cells if c.get("execution_count") is None]
    assert not unexecuted, (f"{path.name}: cells {unexecuted} were never executed; run "
                            f"`python scripts/execute_notebooks.py {path.relative_to(ROOT)}`")
    counts = [c["execution_count"] for _, c in cells]
    expected = list(range(1, len(cells) + 1))
    assert counts == expected, (f"{path.name}: execution counts {counts}, expected {expected} (one kernel, "
                                f"top to bottom); re-run scripts/execute_notebooks.py on it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_no_error_outputs(path):
    """No stored error, except in a cell tagged raises-exception (a deliberate demonstration,
    which nbval and myst-nb both accept)."""
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in code_cells(path)
              if "raises-exception" not in c.get("metadata", {}).get("tags", [])
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path.name} stores error outputs:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_first_cell_is_the_colab_install(path):
    """CONTRIBUTING.md: the first cell installs the package on Colab only (guarded by "this is
    Colab"), names the repository of _config.yml, is tagged remove-cell and stores no output;
    scripts/setup_cell.py writes it."""
    setup_cell = setup_cell_script()
    cells = code_cells(path)
    assert cells and cells[0][0] == 0, f"{path.name}: the first cell must be the Colab install code cell"
    cell = cells[0][1]
    expected = setup_cell.setup_source(setup_cell.configured_repository(ROOT))
    assert source(cell) == expected, (f"{path.name}: first cell is not the setup cell (run python "
                                      f"scripts/setup_cell.py):\n{source(cell)}\nexpected:\n{expected}")
    assert "remove-cell" in cell.get("metadata", {}).get("tags", []), f"{path.name}: tag the install cell remove-cell"
    assert not cell.get("outputs"), f"{path.name}: the setup cell must print nothing outside Colab"


def test_pytest_collects_every_notebook_with_nbval():
    """Plain `python -m pytest` (the README's command) collects each notebook's cells with nbval,
    and not the blank exercises."""
    if not NOTEBOOKS:
        pytest.skip("no chapter or exercise notebook exists yet")
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, f"collection failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    collected = result.stdout.splitlines()
    for path in NOTEBOOKS:
        name = path.relative_to(ROOT).as_posix()
        cells = [line for line in collected if line.startswith(f"{name}::Cell ")]
        assert cells, f"nbval did not collect {name}; is --nbval in pyproject's addopts and its folder in testpaths?"
    blank = [line for line in collected if line.startswith("exercises/blank/")]
    assert not blank, f"blank exercises must not be collected: {blank[:3]}"
