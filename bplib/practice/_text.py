"""A practice problem in words: its statement and its answer key, as Markdown (notebook) or rows (HTML).

The statement gives what the exercises give: the network (chapter 6's sigmoid units without
biases), the input, target, weights and learning rate, the update order (chapter 9), and the
numbers to find, by the names a student types into the answer (``w_AT`` is the weight from A to
Top, ``_new`` marks an updated weight, ``_2`` the second forward pass, as in exercises 1 to 5).
"""
from .._validate import FLAG, declare, instance_of
from ..checks.expressions import unit_key, weight_key
from ._problems import Problem


class Markdown:
    """Markdown text that a notebook renders (``_repr_markdown_``) and ``print`` shows as is."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text

    __repr__ = __str__

    def _repr_markdown_(self):
        return self.text


def shown(name):
    r"""A unit's name in plain text: r"\alpha" -> "alpha", "Top" -> "Top"."""
    return name.lstrip("\\")


def given_rows(problem):
    """(name, meaning, value) for every given number: inputs, targets, weights, learning rate."""
    layers = problem.kind.layers
    rows = [(f"in_{unit_key(n)}", f"input {shown(n)}", v) for n, v in zip(layers[0], problem.x)]
    rows += [(f"t_{unit_key(n)}", f"target of {shown(n)}", v) for n, v in zip(layers[-1], problem.t)]
    rows += [(weight_key(a, b), f"weight from {shown(a)} to {shown(b)}", problem.weights[l][i][j])
             for l in range(len(layers) - 1) for i, a in enumerate(layers[l]) for j, b in enumerate(layers[l + 1])]
    rows.append(("eta", "learning rate", problem.eta))
    return rows


def sentences(problem):
    """The statement as a list of paragraphs (plain text; names a student types in backquotes)."""
    layers = [[shown(n) for n in layer] for layer in problem.kind.layers]
    chain = " -> ".join(", ".join(layer) for layer in layers)
    hidden = "the hidden layer" if len(layers) == 3 else "the hidden layers"
    text = [f"The network has layers {chain} (input first). Every unit above the input is a sigmoid, "
            f"y = sigma(z) = 1/(1 + e^(-z)) with z the weighted sum of its inputs, and no unit has a bias. "
            f"The cost is E = 1/2 sum (t - y)^2, and the step is w_new = w - eta * delta * out.",
            f"Take one step of gradient descent on the one example given. Order of the updates: "
            f"{problem.describe_order()}."]
    first = problem.parts[0]
    if first.keys[0].startswith("z_"):
        text.append("Find the input z and output y of every unit, the output error, the new output weights, the "
                    f"errors of {hidden}, the new weights into {hidden}, and then z and y of every unit again "
                    "with the new weights (the second forward pass, names ending in `_2`).")
    else:
        text.append(f"Find the output y of every unit, the error delta of every unit, and every new weight, from the "
                    f"output layer down to {hidden}.")
    if len(problem.parts) > 1:
        text.append("Then do the hidden part again as the true gradient: send the output error back through the "
                    "OLD output weights, and give the two hidden errors and the four new hidden weights in the "
                    "answers whose names start with `true_`.")
    a, b = problem.kind.layers[0][0], problem.kind.layers[1][0]
    text.append(f"Give every number to {problem.decimals} decimals (rounded, not cut off). `{weight_key(a, b)}` is "
                f"the weight from {shown(a)} to {shown(b)}; `_new` marks an updated weight.")
    return text


PROBLEM = instance_of(Problem, "what bplib.practice.problem returns")


@declare(problem=PROBLEM)
def statement(problem):
    """The problem as Markdown: heading, paragraphs, the table of given numbers, the names asked."""
    rows = "\n".join(f"| `{name}` | {meaning} | {value:g} |" for name, meaning, value in given_rows(problem))
    asked = ", ".join(f"`{c}`" for c in problem.columns)
    return Markdown("\n\n".join([f"**{problem.kind.title}** (seed {problem.seed})", *sentences(problem),
                                 "| name | meaning | value |\n|---|---|---|\n" + rows,
                                 f"The {len(problem.columns)} numbers asked: {asked}."]))


@declare(problem=PROBLEM, collapsed=FLAG)
def answer_key(problem, collapsed=False):
    """The answer key as a Markdown table (exact to 6 decimals and as a student writes it); with
    ``collapsed``, inside ``<details>``, which every renderer shows closed."""
    d = problem.decimals
    rows = "\n".join(f"| `{e.column}` | {e.exact:.{d + 2}f} | {e.rounded} |" for e in problem.key())
    table = f"| quantity | exact | to {d} decimals |\n|---|---|---|\n{rows}"
    if collapsed:
        return Markdown(f"<details><summary>Show the answers (seed {problem.seed})</summary>\n\n{table}\n\n</details>")
    return Markdown(table)


def meanings(problem):
    """Column -> what the number is, in words ("new weight from A to Top", "z of Top, second pass")."""
    layers = problem.kind.layers
    units = {unit_key(n): shown(n) for layer in layers for n in layer}
    weights = {f"{weight_key(a, b)}_new": f"new weight from {shown(a)} to {shown(b)}"
               for l in range(len(layers) - 1) for a in layers[l] for b in layers[l + 1]}
    out = {}
    for part in problem.parts:
        for key in part.keys:
            if key in weights:
                words = weights[key]
            else:
                symbol, _, unit = key.partition("_")
                second = unit.endswith("_2")
                words = f"{symbol} of {units[unit.removesuffix('_2')]}" + (", second pass" if second else "")
            out[part.prefix + key] = words + (" (true gradient)" if part.prefix else "")
    return out
