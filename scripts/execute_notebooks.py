"""Re-execute notebooks in place, top to bottom, so their stored outputs are today's.

    python scripts/execute_notebooks.py                 # every chapter and exercise
    python scripts/execute_notebooks.py chapters/04_weight_space.ipynb

Run it after any change to bplib, then look at the figures and commit. Each notebook runs in
its own folder (as Jupyter Book and nbval run it) with a fresh kernel; execution timing
metadata is dropped so that re-running unchanged code leaves the files unchanged.
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["chapters", "exercises"]


def notebooks(args):
    paths = [Path(a) for a in args] or [ROOT / d for d in DEFAULT]
    for path in paths:
        if path.is_dir():
            # blank copies for students are generated, not executed in place
            yield from sorted(p for p in path.glob("*.ipynb"))
        else:
            yield path


def execute(path):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   record_timing=False, coalesce_streams=True).execute()  # one printed block, one output
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    for path in notebooks(sys.argv[1:]):
        print(f"{execute(path):6.1f} s  {path.relative_to(ROOT) if path.is_absolute() else path}", flush=True)
