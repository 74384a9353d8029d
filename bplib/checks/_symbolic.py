r"""Backpropagation's update expressions, generated from a network's structure (exercise Example 1).

Give the unit names layer by layer, input layer first; for Example 1 that is
``[(r"\lambda", r"\Omega"), ("A", "B", "C"), (r"\alpha", r"\beta")]`` (or just
``bplib.examples.example1()``). `update_expressions` then writes, in the slides' order,

1. the output errors   delta_j = -out_j (1 - out_j) (Target_j - out_j)
2. the output weights  W+_ij = W_ij - eta delta_j out_i
3. the hidden errors   delta_i = out_i (1 - out_i) sum_j delta_j W_ij
4. the hidden weights  W+_ki = W_ki - eta delta_i out_k      (in_k when k is an input)

and steps 3 and 4 again for every earlier hidden layer, for any number and size of layers.
In step 3 the slides' Example 1 writes the old weights W (``order="simultaneous"``, the true
gradient); Examples 2 and 3 put in the new ones W+ (``order="layerwise"``).

Every `Expression` carries its LaTeX (the slides' names), a plain-text form with the ASCII
names a student types (``delta_alpha``, ``w_A_alpha_new``; Examples 2 and 3 give ``delta_final``,
``w_TF_new``, as in ``bplib.examples.SLIDE_QUANTITIES``), and a ``kind`` with ``args`` from
which `bplib.checks.expressions` computes its number, so the mathematics shown and the numbers
checked come from one description. Exercises 1 and 5 show the expressions (`to_latex`) and put
in a network's numbers; every check of a network answer starts from `all_expressions`. Import
them with ``from bplib.checks import expressions``, which re-exports every name here.
"""
from typing import NamedTuple

from .._validate import describe


class Expression(NamedTuple):
    key: str      # ASCII name of the quantity on the left, e.g. "delta_A"
    kind: str     # "z", "out", "delta_output", "delta_hidden" or "weight"
    step: int     # 0 forward pass, 1.. the slides' steps, then the second forward pass
    row: str      # expressions sharing a row are printed side by side, as on the slide
    lhs: str      # LaTeX
    rhs: str      # LaTeX
    text: str     # plain text, e.g. "delta_A = y_A*(1 - y_A)*(delta_alpha*w_A_alpha + ...)"
    args: dict    # role -> key (or tuple of key pairs), read by EVALUATORS[kind]
    alt: dict     # keys a mistaken calculation reads instead (bplib.checks._mistakes), e.g. {"z": "z_top"}


def _plain(name):
    return not name.startswith("\\") and len(name) > 1


def unit_key(name):
    r"""ASCII name of a unit: "Top" -> "top", r"\alpha" -> "alpha", "A" -> "A"."""
    return name.lower() if _plain(name) else name.lstrip("\\")


def _abbrev(name):
    return name[0] if _plain(name) else name.lstrip("\\")


def weight_key(source, target):
    r"""ASCII name of a weight: ("Top", "Final") -> "w_TF", ("A", r"\alpha") -> "w_A_alpha"."""
    a, b = _abbrev(source), _abbrev(target)
    return f"w_{a}{b}" if len(a) == len(b) == 1 else f"w_{a}_{b}"


def _tex(name):
    return rf"\text{{{name}}}" if _plain(name) else name


def _tex_weight(source, target, new=False):
    names = " ".join(name[0] if _plain(name) else name for name in (source, target))
    return rf"W^{{+}}_{{{names}}}" if new else rf"W_{{{names}}}"


def layers_of(structure):
    """Unit names per layer, input first, from a list of name lists, an Example or a Symbolic."""
    if hasattr(structure, "hidden_names"):
        return [tuple(structure.input_names), tuple(structure.hidden_names), tuple(structure.output_names)]
    if hasattr(structure, "hidden"):
        return [tuple(structure.inputs), tuple(structure.hidden), tuple(structure.outputs)]
    if not isinstance(structure, (list, tuple)) or len(structure) < 2:
        raise TypeError(f"structure must list at least two layers of unit names; received {describe(structure)}")
    if not all(isinstance(layer, (list, tuple)) for layer in structure):
        raise TypeError(f"structure must list layers, each a list of unit names; received {describe(structure)}")
    layers = [tuple(layer) for layer in structure]
    for l, layer in enumerate(layers):
        if len(layer) == 0 or not all(isinstance(n, str) and n for n in layer):
            raise ValueError(f"structure must list non-empty layers of unit names (non-empty texts); "
                             f"received layer {l}: {list(layer)!r:.120}")
    keys = [unit_key(n) for layer in layers for n in layer]
    weights = [weight_key(a, b) for l in range(len(layers) - 1) for a in layers[l] for b in layers[l + 1]]
    for what, names in (("unit", keys), ("weight", weights)):
        twice = sorted({k for k in names if names.count(k) > 1})
        if twice:
            raise ValueError(f"structure must give distinct {what} names (a multi-letter name is shortened to its "
                             f"first letter in weight names); received {twice} more than once")
    return layers


def _out(layers, l, i, second=False):
    """(key, LaTeX) of unit i's output in layer l; inputs are in_*, the same in both passes."""
    name = layers[l][i]
    if l == 0:
        return f"in_{unit_key(name)}", rf"\mathrm{{in}}_{{{_tex(name)}}}"
    mark = "^{(2)}" if second else ""
    return f"y_{unit_key(name)}{'_2' if second else ''}", rf"\mathrm{{out}}{mark}_{{{_tex(name)}}}"


def _forward(layers, second=False):
    step, suffix, mark = (2 * len(layers) - 1, "_2", "^{(2)}") if second else (0, "", "")
    expressions = []
    for l in range(1, len(layers)):
        for j, name in enumerate(layers[l]):
            u = unit_key(name)
            z_key = f"z_{u}{suffix}"
            sources = [(_out(layers, l - 1, i, second), src) for i, src in enumerate(layers[l - 1])]
            terms = tuple((y, weight_key(src, name) + ("_new" if second else "")) for (y, _), src in sources)
            rhs = " + ".join(rf"{ty}\,{_tex_weight(src, name, second)}" for (_, ty), src in sources)
            text = " + ".join(f"{y}*{w}" for y, w in terms)
            expressions.append(Expression(z_key, "z", step, z_key, rf"z{mark}_{{{_tex(name)}}}", rhs,
                                          f"{z_key} = {text}", {"terms": terms}, {}))
            y_key, y_tex = _out(layers, l, j, second)
            expressions.append(Expression(y_key, "out", step, y_key, y_tex, rf"\sigma(z{mark}_{{{_tex(name)}}})",
                                          f"{y_key} = sigmoid({z_key})",
                                          {"z": z_key}, {"hidden": l < len(layers) - 1}))
    return expressions


def _delta_output(layers, j):
    name = layers[-1][j]
    u, y, y_tex = unit_key(name), *_out(layers, len(layers) - 1, j)
    return Expression(f"delta_{u}", "delta_output", 1, f"delta_{u}", rf"\delta_{{{_tex(name)}}}",
                      rf"-{y_tex}(1 - {y_tex})(\mathrm{{Target}}_{{{_tex(name)}}} - {y_tex})",
                      f"delta_{u} = -{y}*(1 - {y})*(t_{u} - {y})", {"out": y, "target": f"t_{u}"}, {"z": f"z_{u}"})


def _delta_hidden(layers, l, i, step, order):
    name, new = layers[l][i], order == "layerwise"
    u, y, y_tex = unit_key(name), *_out(layers, l, i)
    after = layers[l + 1]
    terms = tuple((weight_key(name, n) + ("_new" if new else ""), f"delta_{unit_key(n)}") for n in after)
    rhs = " + ".join(rf"\delta_{{{_tex(n)}}}\,{_tex_weight(name, n, new)}" for n in after)
    text = " + ".join(f"{d}*{w}" for w, d in terms)
    return Expression(f"delta_{u}", "delta_hidden", step, f"delta_{u}", rf"\delta_{{{_tex(name)}}}",
                      rf"{y_tex}(1 - {y_tex})({rhs})", f"delta_{u} = {y}*(1 - {y})*({text})",
                      {"out": y, "terms": terms}, {"z": f"z_{u}"})


def _weights(layers, l, step):
    """New weights from layer l into layer l + 1, grouped as the slide prints them."""
    expressions = []
    for i, source in enumerate(layers[l]):
        for j, target in enumerate(layers[l + 1]):
            w, (y, y_tex) = weight_key(source, target), _out(layers, l, i)
            d, d_tex = f"delta_{unit_key(target)}", rf"\delta_{{{_tex(target)}}}"
            row = source if l + 1 == len(layers) - 1 else target
            z = None if l == 0 else f"z_{unit_key(source)}"
            expressions.append(Expression(
                f"{w}_new", "weight", step, row, _tex_weight(source, target, new=True),
                rf"{_tex_weight(source, target)} - \eta\,{d_tex}\,{y_tex}", f"{w}_new = {w} - eta*{d}*{y}",
                {"w": w, "eta": "eta", "delta": d, "out": y}, {"z": z, "out_target": f"y_{unit_key(target)}"}))
    # the slide lists the output layer's weights by hidden (source) unit, the others by target unit
    if l + 1 != len(layers) - 1:
        expressions.sort(key=lambda e: layers[l + 1].index(e.row))
    return expressions


def update_expressions(structure, order="simultaneous"):
    """The slides' expressions for one backward pass and update, in the slides' order.

    Returns a list of `Expression`: output errors (step 1), output weights (2), then hidden
    errors and hidden weights for each hidden layer going back (3 and 4, 5 and 6, ...).
    For 2-3-2 that is 2 + 6 + 3 + 6 expressions. ``order`` says which output weights the
    hidden errors use: "simultaneous" W (the true gradient, as the slides' Example 1 writes),
    "layerwise" W+ (as the slides' Examples 2 and 3 compute).
    """
    layers = layers_of(structure)
    L = len(layers) - 1
    expressions = [_delta_output(layers, j) for j in range(len(layers[-1]))]
    expressions += _weights(layers, L - 1, 2)
    for k, l in enumerate(range(L - 1, 0, -1)):
        expressions += [_delta_hidden(layers, l, i, 3 + 2 * k, order) for i in range(len(layers[l]))]
        expressions += _weights(layers, l - 1, 4 + 2 * k)
    return expressions


def all_expressions(structure, order="simultaneous"):
    """Forward pass, `update_expressions`, and the forward pass again with the new weights."""
    layers = layers_of(structure)
    return _forward(layers) + update_expressions(layers, order) + _forward(layers, second=True)


def to_latex(expressions, step):
    r"""One ``aligned`` LaTeX block with the expressions of ``step``, rows as on the slide."""
    rows = {}
    for e in expressions:
        if e.step == step:
            rows.setdefault(e.row, []).append(rf"{e.lhs} &= {e.rhs}")
    return r"\begin{aligned}" + r" \\ ".join(r" & \qquad ".join(r) for r in rows.values()) + r"\end{aligned}"
