"""What the corpus of student answers (tests/test_corpus_ex1.py ... test_corpus_ex6.py) shares.

- `Notebook`: an exercise notebook's own cells. `Notebook.run` puts what a student typed into the
  student cell (the stored solved cell with some entries replaced, or a whole new cell), runs it
  and then the exercise's own check cell, and returns what the check cell printed; a check cell
  that raises fails the test there.
- `said`: the printed feedback read back, ``{key: (status, message)}``.
- `Case` and `assert_feedback`: one row of a corpus (what was typed, the story, the verdict per
  number and the words the feedback must contain) and the assertion that the printed feedback says
  that, and "correct" for every number the row does not name.
- A plain-Python sigmoid network (`forward`, `backward_step`), lists and `math.exp` only, from
  which the corpus derives every number it types: nothing here comes from bplib.
"""
import io
import math
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import NamedTuple

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^  (\S) (\S+)\s+(.*)$")
STATUS = {"✓": "correct", "·": "not answered", "✗": "wrong", "→": "follows", "~": "coarse",
          "?": "unreadable"}   # "?" is also printed for a missing key: the words tell them apart


# --- the notebooks' own cells -------------------------------------------------------------------

class Notebook:
    """The code cells of ``exercises/<name>``: setup cells, student cells and check cells."""

    def __init__(self, name):
        nb = nbformat.read(ROOT / "exercises" / name, as_version=4)
        self.name = name
        self.cells = [(c.source, "student" in c.metadata.get("tags", [])) for c in nb.cells if c.cell_type == "code"]
        self._namespaces = {}

    def cell(self, marker, student=False):
        """The source of the one code cell (a student cell if ``student``) that contains ``marker``."""
        found = [s for s, is_student in self.cells if marker in s and is_student == student]
        assert len(found) == 1, f"{self.name}: {len(found)} {'student' if student else 'code'} cells hold {marker!r}"
        return found[0]

    def namespace(self, *markers):
        """A fresh copy of the names the setup cells holding ``markers`` define, run in that order."""
        if markers not in self._namespaces:
            names = {}
            with redirect_stdout(io.StringIO()):
                for marker in markers:
                    exec(self.cell(marker), names)
            if "matplotlib.pyplot" in sys.modules:   # the setup cells draw the network: nothing to keep
                sys.modules["matplotlib.pyplot"].close("all")
            self._namespaces[markers] = names
        return dict(self._namespaces[markers])

    def run(self, setup, typed, check, **names):
        """Run the student cell ``typed`` (source text) and then the check cell holding ``check``
        in the namespace of the ``setup`` cells (plus ``names``); return what the check cell printed."""
        space = dict(self.namespace(*setup), **names)
        exec(typed, space)
        out = io.StringIO()
        with redirect_stdout(out):
            exec(self.cell(check), space)
        return out.getvalue()


def replaced(source, typed, name="answer"):
    """The student cell ``source`` with the entries of ``typed`` (key -> the source text typed, or None
    to delete the line) put into its dict ``name`` (written ``name = {`` then one ``"key": value,``
    per line)."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name} = {{"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("}"))
    for key, text in typed.items():
        at = [i for i in range(start, end) if lines[i].strip().startswith(f'"{key}":')]
        assert len(at) == 1, f"{name} in the student cell has {len(at)} lines for {key!r}"
        indent = lines[at[0]][: len(lines[at[0]]) - len(lines[at[0]].lstrip())]
        lines[at[0]] = None if text is None else f'{indent}"{key}": {text},'
    return "\n".join(line for line in lines if line is not None)


def said(text):
    """{key: (status, message)} of the feedback lines printed in ``text``."""
    return {m[2]: (STATUS[m[1]], m[3]) for m in map(LINE.match, text.splitlines()) if m}


# --- one row of a corpus -----------------------------------------------------------------------

class Case(NamedTuple):
    story: str        # what the student did, in one line (the test's id)
    typed: object     # key -> the source text typed for it (None: the line deleted); or a function's source
    verdicts: dict    # key -> the status the checker must give; every other key asked: correct
    words: dict = {}  # key -> words its message must contain (a str or a list of them); "summary": the first line
    absent: dict = {}  # key -> words its message must NOT contain
    prelude: str = ""  # lines typed above the answer (imports)


def param(case):
    import pytest
    return pytest.param(case, id=case.story)


def solved(student):
    """The names the solved notebook's student cell defines (its ``answer``, ...)."""
    space = {}
    exec(student, space)
    return space


def assert_check_cell_says(nb, setup, student, case, check, keys):
    """Type ``case``'s entries into the solved ``student`` cell, run it and the ``check`` call in the
    namespace of ``setup``, and assert what the feedback says for each of ``keys``."""
    assert_feedback(nb.run(setup, case.prelude + replaced(student, case.typed), check), case, keys)


def assert_feedback(text, case, keys):
    """The printed feedback ``text`` says what ``case`` expects for each of ``keys`` (those not
    named in its verdicts: correct)."""
    lines = said(text)
    summary = text.strip().splitlines()[0]
    for word in _listed(case.words.get("summary")):
        assert word in summary, f"summary: {word!r} not in {summary!r}\n{text}"
    for key in keys:
        assert key in lines, f"no line for {key}:\n{text}"
        status, message = lines[key]
        want = case.verdicts.get(key, "correct")
        assert status == want, f"{key}: {status} ({message}), expected {want}\n{text}"
        for word in _listed(case.words.get(key)):
            assert word in message, f"{key}: {word!r} not in {message!r}\n{text}"
        for word in _listed(case.absent.get(key)):
            assert word not in message, f"{key}: {word!r} should not be in {message!r}\n{text}"


def _listed(words):
    return [] if words is None else [words] if isinstance(words, str) else list(words)


# --- a sigmoid network by hand -----------------------------------------------------------------

def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def forward(weights, x):
    """zs and ys of every layer for one input ``x`` (a list); ``weights[l][i][j]`` from unit i to j."""
    zs, ys = [], [list(x)]
    for W in weights:
        z = [sum(ys[-1][i] * W[i][j] for i in range(len(W))) for j in range(len(W[0]))]
        zs.append(z)
        ys.append([sigmoid(v) for v in z])
    return zs, ys


def backward_step(weights, x, t, eta, order="simultaneous"):
    """One step of gradient descent on E = 1/2 sum (t - y)^2, by the lecture's rules, unit by unit:
    zs, ys, deltas (per layer of weights) and the new weights. ``order="layerwise"`` sends each
    error back through the already updated weights above (the slides' Examples 2 and 3)."""
    zs, ys = forward(weights, x)
    L = len(weights)
    deltas, new = [None] * L, [None] * L
    deltas[-1] = [-(tj - yj) * yj * (1 - yj) for tj, yj in zip(t, ys[-1])]
    for l in range(L - 1, -1, -1):
        new[l] = [[w - eta * deltas[l][j] * ys[l][i] for j, w in enumerate(row)] for i, row in enumerate(weights[l])]
        if l:
            through = new[l] if order == "layerwise" else weights[l]
            deltas[l - 1] = [ys[l][i] * (1 - ys[l][i]) * sum(w * d for w, d in zip(through[i], deltas[l]))
                             for i in range(len(ys[l]))]
    return zs, ys, deltas, new


def two_two_one(W, x, t, eta, order):
    """Every number of Examples 2 and 3 (a 2-2-1 network, A, B -> Top, Bottom -> Final) by hand, by the
    names the exercises use; the ``_2`` names are the second forward pass, with the new weights."""
    zs, ys, d, new = backward_step(W, x, t, eta, order)
    z2, y2 = forward(new, x)
    return dict(z_top=zs[0][0], y_top=ys[1][0], z_bottom=zs[0][1], y_bottom=ys[1][1], z_final=zs[1][0],
                y_final=ys[2][0], delta_final=d[1][0], w_TF_new=new[1][0][0], w_BF_new=new[1][1][0],
                delta_top=d[0][0], delta_bottom=d[0][1], w_AT_new=new[0][0][0], w_BT_new=new[0][1][0],
                w_AB_new=new[0][0][1], w_BB_new=new[0][1][1], z_top_2=z2[0][0], z_bottom_2=z2[0][1],
                y_top_2=y2[1][0], y_bottom_2=y2[1][1], z_final_2=z2[1][0], y_final_2=y2[2][0])


def rounded(x, places):
    """``x`` rounded to ``places`` decimals, as the source text a student types ("0.5744")."""
    return f"{x:.{places}f}"


def cut(x, places):
    """``x`` cut off after ``places`` decimals (not rounded), as typed."""
    return f"{math.trunc(x * 10 ** places) / 10 ** places:.{places}f}"
