"""Re-execute notebooks in place, top to bottom, so their stored outputs are today's.

    python scripts/execute_notebooks.py                 # every chapter and exercise
    python scripts/execute_notebooks.py chapters/04_weight_space.ipynb

Run it after any change to bplib, then look at the figures and commit. Each notebook runs in
its own folder (as Jupyter Book and nbval run it) with a fresh kernel; execution timing
metadata is dropped so that re-running unchanged code leaves the files unchanged. The numbers
the prose states (``<!--key:spec-->...<!--/-->``, see ``bplib.prose``) are rewritten with the
values the run recorded.
"""
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose_numbers  # noqa: E402  (the module beside this script)

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
    """Run one notebook in place; return (seconds, numbers rewritten in its prose)."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    values = prose_numbers.run(nb, path.parent)
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    for problem in prose_numbers.problems(nb, values):
        print(f"  {path.name}: {problem}", file=sys.stderr)
    changed = prose_numbers.fill(nb, values)
    nbformat.write(nb, path)
    return seconds, changed


if __name__ == "__main__":
    for path in notebooks(sys.argv[1:]):
        seconds, changed = execute(path)
        name = path.relative_to(ROOT) if path.is_absolute() else path
        print(f"{seconds:6.1f} s  {name}" + (f"  ({changed} numbers in the prose rewritten)" if changed else ""),
              flush=True)
