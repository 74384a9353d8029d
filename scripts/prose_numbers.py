"""The numbers written in the notebooks' prose, against what the code computes.

Markdown writes a computed number between two HTML comments that every renderer hides,
``<!--key:.4f-->0.0407<!--/-->``; a code cell records the value with
``bplib.prose.record("key", value)``. `run` executes a notebook and returns the recorded values,
`fill` writes ``format(value, spec)`` between the comments, and `stale` lists the numbers whose
text is not what the code computes today. ``scripts/execute_notebooks.py`` runs and fills;
``tests/test_prose_numbers.py`` runs and checks.
"""
import json
import re

import nbformat
from nbclient import NotebookClient

MARKER = re.compile(r"<!--(?P<key>[A-Za-z_]\w*)(?::(?P<spec>[^>]*?))?-->(?P<text>.*?)<!--/-->", re.S)
_DUMP = "import json as _json, bplib.prose as _prose\nprint(_json.dumps(_prose.NUMBERS))"


def run(nb, folder, timeout=120):
    """Execute ``nb`` (a NotebookNode, changed in place) in ``folder``; return its recorded numbers."""
    nb.cells.append(nbformat.v4.new_code_cell(_DUMP))
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                       record_timing=False, coalesce_streams=True).execute()
        return json.loads(nb.cells[-1].outputs[0]["text"])
    finally:
        nb.cells.pop()


def _format(key, spec, values):
    return format(values[key], spec or "")


def markers(nb):
    """Every (cell index, key, spec, text) written in ``nb``'s Markdown."""
    return [(i, m["key"], m["spec"], m["text"]) for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            for m in MARKER.finditer(cell.source)]


def problems(nb, values):
    """Keys the prose uses but the code never records, and keys recorded but never used."""
    used = {key for _, key, _, _ in markers(nb)}
    return ([f"the prose uses {key!r}, which no cell records with prose.record" for key in sorted(used - set(values))]
            + [f"a cell records {key!r}, which the prose never uses" for key in sorted(set(values) - used)])


def stale(nb, values):
    """Numbers whose written text differs from today's value: (cell index, key, written, computed)."""
    return [(i, key, text, _format(key, spec, values)) for i, key, spec, text in markers(nb)
            if key in values and text != _format(key, spec, values)]


def fill(nb, values):
    """Write today's values between the markers of ``nb``'s Markdown; return the number changed."""
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue

        def write(m):
            nonlocal changed
            if m["key"] not in values:
                return m[0]
            text = _format(m["key"], m["spec"], values)
            changed += text != m["text"]
            return f"<!--{m['key']}{':' + m['spec'] if m['spec'] else ''}-->{text}<!--/-->"

        cell.source = MARKER.sub(write, cell.source)
    return changed
