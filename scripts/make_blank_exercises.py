"""Generate the students' blank copies of the exercises from the solved notebooks.

    python scripts/make_blank_exercises.py            # write exercises/blank/*.ipynb
    python scripts/make_blank_exercises.py --check    # exit 1 if a blank copy is out of date
    python scripts/make_blank_exercises.py --out DIR  # write the copies somewhere else

From every exercises/ex*.ipynb it removes the worked solutions (the cells from a
``<!-- solution-start: ... -->`` cell to its ``<!-- solution-end -->`` cell, ``<details>``
answers, and cells tagged "solution" or "solved-only"), drops the comments that mark the site's
exercise boxes, points links that leave exercises/ one folder further up (the copies live in
exercises/blank/), clears every output, and rewrites each code cell tagged "student": a dict assignment keeps its keys with ``...`` for every value
(``answer = {"z_top": ..., ...}``), a function keeps its signature and docstring with the body
``return ...``, and the rest of the cell (the solver's working) is dropped. The blank copies
are never edited by hand: change the solved notebook and run this again.
"""
import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "exercises"
BLANK = SOURCE / "blank"
DETAILS = re.compile(r"^<details>.*?^</details>[ \t]*$\n?", re.S | re.M)
BOX_MARKER = re.compile(r"^<!-- /?(exercise|tip|note)(: [\w-]+)? -->[ \t]*\n?", re.M)
UP_ONE = re.compile(r"\]\(\.\./")
NOTE = ("*This is the blank copy for students, generated from the solved exercise by "
        "`scripts/make_blank_exercises.py`. Fill in each `...`, run the check cells, and "
        "compare with the worked solution on the book's site when you are done.*")


def _key(node):
    return f'"{node.value}"' if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)


def blank_student_cell(source):
    """The student's cell with every value replaced by ``...``, the names kept."""
    lines = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            target = ast.unparse(node.targets[0])
            keys = "".join(f"    {_key(k)}: ...,\n" for k in node.value.keys)
            lines += ["# Replace each ... with your number (a Python expression that computes it is fine too).",
                      f"{target} = {{\n{keys}}}"]
        elif isinstance(node, ast.FunctionDef):
            head = f"def {node.name}({ast.unparse(node.args)}):"
            doc = ast.get_docstring(node)
            body = [f'    """{doc}"""'] if doc else []
            lines += ["# Replace the ... with your code.", head, *body, "    return ..."]
    return "\n".join(lines)


def blank_markdown(text):
    """A Markdown cell of the solved notebook as the blank copy shows it."""
    return UP_ONE.sub("](../../", BOX_MARKER.sub("", DETAILS.sub("", text))).strip()


def _is_gate(cell, word):
    return cell.cell_type == "markdown" and cell.source.startswith(f"<!-- {word}")


def blank_notebook(nb):
    """A new notebook: ``nb`` without solutions and outputs, its student cells blanked."""
    cells, skipping = [], False
    for cell in nb.cells:
        if _is_gate(cell, "solution-start"):
            skipping = True
        if skipping:
            skipping = not _is_gate(cell, "solution-end")
            continue
        if {"solution", "solved-only"} & set(cell.metadata.get("tags", [])):
            continue
        cell = nbformat.from_dict(dict(cell))
        cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            cell.source = blank_markdown(cell.source)
            if not cell.source:
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "student" in cell.metadata.get("tags", []):
                cell.source = blank_student_cell(cell.source)
                cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "hide-input"]
        cells.append(cell)
    title = next(i for i, c in enumerate(cells) if c.cell_type == "markdown")
    note = nbformat.v4.new_markdown_cell(NOTE)
    note.id = "blank-copy-note"
    cells.insert(title + 1, note)
    blank = nbformat.v4.new_notebook(cells=cells, metadata=nbformat.from_dict(dict(nb.metadata)))
    blank.nbformat, blank.nbformat_minor = nb.nbformat, nb.nbformat_minor
    return blank


def solved_notebooks():
    return sorted(SOURCE.glob("ex*.ipynb"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a blank copy is missing or out of date")
    parser.add_argument("--out", type=Path, default=BLANK, help="folder for the blank copies")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stale = []
    for path in solved_notebooks():
        text = nbformat.writes(blank_notebook(nbformat.read(path, as_version=4))) + "\n"
        target = args.out / path.name
        if args.check:
            if not target.exists() or json.loads(target.read_text(encoding="utf-8")) != json.loads(text):
                stale.append(target)
            continue
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    if stale:
        print("out of date (run python scripts/make_blank_exercises.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
