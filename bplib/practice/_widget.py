"""The "New problem" control of exercises/practice.ipynb: draw a problem, type numbers, press Check.

Only this module of `bplib.practice` imports ipywidgets. The statement and the feedback are put into
`Output` widgets as display data (``Output.outputs``), not printed inside ``with output:``, so the
control works the same when tests drive it without a kernel (tests/test_practice.py).
"""
import secrets

import ipywidgets as widgets

from .. import _validate
from ._classroom import cell_value
from ._kinds import KINDS
from ._problems import MAX_SEED, draw
from ._text import meanings, statement


def _show(output, markdown):
    output.outputs = ({"output_type": "display_data", "metadata": {},
                       "data": {"text/markdown": markdown, "text/plain": markdown}},)


def practice_widget(kind="example2"):
    """A VBox: kind menu, optional seed, "New problem", the statement, a Text box per asked number,
    "Check", and the checker's feedback. Its ``problem`` attribute is the problem shown (or None)."""
    _validate.choice("kind", kind, tuple(KINDS))
    menu = widgets.Dropdown(options=[(k.title, k.name) for k in KINDS.values()], value=kind, description="Problem",
                            style={"description_width": "initial"}, layout=widgets.Layout(width="28em"))
    seed = widgets.Text(placeholder="seed (blank: a new one)", layout=widgets.Layout(width="14em"))
    new, check = widgets.Button(description="New problem", button_style="primary"), widgets.Button(description="Check")
    shown, feedback, boxes = widgets.Output(), widgets.Output(), widgets.VBox()
    check.disabled = True
    box = widgets.VBox([widgets.HBox([menu, seed, new]), shown, boxes, check, feedback])
    box.problem = None

    def on_new(_=None):
        text = seed.value.strip()
        if text and not (text.isdigit() and int(text) <= MAX_SEED):
            _show(shown, f"The seed must be a whole number from 0 to {MAX_SEED:,}; you typed {text[:20]!r}.")
            return
        problem = draw(menu.value, int(text) if text else secrets.randbelow(MAX_SEED + 1))
        box.problem = problem
        _show(shown, statement(problem).text)
        words = meanings(problem)
        boxes.children = [widgets.Text(description=c, placeholder=words[c], style={"description_width": "12em"},
                                       layout=widgets.Layout(width="32em")) for c in problem.columns]
        feedback.outputs, check.disabled = (), False

    def on_check(_=None):
        answers = {b.description: cell_value(b.value) for b in boxes.children}
        _show(feedback, "\n\n".join(f._repr_markdown_() for f in box.problem.check(answers)))

    new.on_click(on_new)
    check.on_click(on_check)
    box.controls = {"kind": menu, "seed": seed, "new": new, "check": check, "boxes": boxes,
                    "statement": shown, "feedback": feedback}
    return box
