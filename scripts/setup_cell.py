"""Write the first cell of every notebook: the Colab-only install of this book's package.

    python scripts/setup_cell.py            # rewrite cell 0 of every notebook that differs
    python scripts/setup_cell.py --check    # exit 1 if a notebook's first cell is not the current one

The first cell of every notebook in ``chapters/`` and ``exercises/`` (blank copies included) is::

    # On Colab, install this book's package (backprop-companion, imported as bplib); elsewhere do nothing.
    import sys

    if "google.colab" in sys.modules:
        %pip install -q "backprop-companion[notebooks] @ git+https://github.com/OWNER/REPO"

It tests "this is Colab" (Colab's kernel has imported ``google.colab`` before any cell runs), not
"bplib is missing": on Binder, in a local JupyterLab, in VS Code or under nbval it prints nothing
and installs nothing. The repository is the one in ``_config.yml`` (``repository: url:``), which
``scripts/set_repository.py OWNER/REPO`` writes together with this cell's URL.

The cell is tagged ``remove-cell`` (the site does not show it), stores no output, and keeps its
``id`` and ``execution_count`` (nbval and tests/test_notebooks_executed.py count it). Only cell 0
changes; the rest of each file is written back as nbformat writes it (one-space indent, sorted
keys), which is how the notebooks are stored, so a run changes nothing else. Running it twice is
harmless. The blank exercises are generated from the solved ones and keep the first cell as it is,
so they need no template of their own; this script writes their first cell too, so that they
agree with ``scripts/make_blank_exercises.py --check`` without regenerating them.
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when a test loads this file by its path
from notebook_files import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[A-Za-z0-9_.-]+"
CONFIG_URL = re.compile(rf"^\s+url\s*:\s*https://github\.com/({NAME}/{NAME})\s*(#.*)?$", re.MULTILINE)

TEMPLATE = (
    "# On Colab, install this book's package (backprop-companion, imported as bplib); elsewhere do nothing.\n"
    "import sys\n"
    "\n"
    "if \"google.colab\" in sys.modules:\n"
    "    %pip install -q \"backprop-companion[notebooks] @ git+https://github.com/{repository}\""
)
METADATA = {"tags": ["remove-cell"]}


def setup_source(repository):
    """The first cell's source for ``repository`` ("owner/name")."""
    return TEMPLATE.format(repository=repository)


def configured_repository(root=ROOT):
    """The repository named in _config.yml (``repository: url: https://github.com/OWNER/REPO``)."""
    text = (root / "_config.yml").read_text(encoding="utf-8")
    found = CONFIG_URL.findall(text)
    if len(found) != 1:
        raise SystemExit(f"{root / '_config.yml'}: expected one 'url: https://github.com/OWNER/REPO' line; "
                         f"found {len(found)}")
    return found[0][0]


def _lines(text):
    """A cell's source as nbformat stores it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def dump(nb):
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def updated(text, repository):
    """The notebook text with its first cell set; returns (new_text, what_changed or None)."""
    nb = json.loads(text)
    cells = nb.get("cells", [])
    source = setup_source(repository)
    if cells and cells[0].get("cell_type") == "code":
        cell = cells[0]
        old = cell.get("source", "")
        old = "".join(old) if isinstance(old, list) else old
        if "pip install" not in old:  # the notebook has no setup cell yet: insert one
            cells.insert(0, {"cell_type": "code", "execution_count": None, "id": "colab-setup",
                             "metadata": dict(METADATA), "outputs": [], "source": _lines(source)})
        else:
            cell["source"] = _lines(source)
            cell["outputs"] = []
            metadata = cell.setdefault("metadata", {})
            tags = metadata.setdefault("tags", [])
            if "remove-cell" not in tags:
                tags.append("remove-cell")
    else:
        cells.insert(0, {"cell_type": "code", "execution_count": None, "id": "colab-setup",
                         "metadata": dict(METADATA), "outputs": [], "source": _lines(source)})
    new = dump(nb)
    return new, (None if new == text else "first cell rewritten")


def main(argv=None, root=ROOT):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks whose first cell differs")
    args = parser.parse_args(argv)
    repository = configured_repository(root)
    stale = []
    for path in notebooks(root):
        text = path.read_text(encoding="utf-8")
        new, change = updated(text, repository)
        if change is None:
            continue
        stale.append(path.relative_to(root).as_posix())
        if not args.check:
            path.write_text(new, encoding="utf-8")
    if args.check:
        if stale:
            print("first cell out of date (run python scripts/setup_cell.py):\n  " + "\n  ".join(stale),
                  file=sys.stderr)
            return 1
        return 0
    print(f"setup cell for https://github.com/{repository}: {len(stale)} notebook(s) rewritten")
    for name in stale:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
