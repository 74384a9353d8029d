r"""Example 1's update expressions with numbers put in: a network's weights, input, target and eta.

The expressions themselves are written from the network's structure by
`bplib.checks._symbolic`; this module re-exports its names, so one import,
``from bplib.checks import expressions``, gives both halves: ``expressions.update_expressions`` and
``expressions.to_latex`` for the mathematics, ``expressions.instantiate`` for its numbers.

An `Expression`'s ``kind`` names its rule in `EVALUATORS` (the correct arithmetic), which reads
the numbers its ``args`` name (`dependencies`); `evaluate` applies the rules in order, starting
from `given_values` (inputs, targets, weights, eta); `instantiate` does both for a network, and
`weight_arrays` turns the new weights back into bplib's arrays, to compare with ``bplib.step``.
Exercises 1 (Example 1 with numbers) and 5 (the three-layer network) instantiate the
expressions, exercise 3 recomputes a step with `EVALUATORS`, and `bplib.checks` evaluates them,
correctly and with each of `bplib.checks._mistakes`' rules, to check every network answer.
"""
import numpy as np

from ..activations import sigmoid
# The expressions are generated in the private bplib.checks._symbolic; this module is their public
# face, so they are listed in __all__ (and api.md documents them here).
from ._symbolic import (Expression, all_expressions, layers_of, to_latex, unit_key, update_expressions,
                                   weight_key)

__all__ = [
    "EVALUATORS", "dependencies", "evaluate", "given_values", "instantiate", "weight_arrays",
    "Expression", "layers_of", "unit_key", "weight_key", "update_expressions", "all_expressions", "to_latex",
]


def weighted_sum(v, terms):
    return sum(v[a] * v[b] for a, b in terms)


def _z(v, e):
    return weighted_sum(v, e.args["terms"])


def _sigma(v, e):
    return float(sigmoid(v[e.args["z"]]))


def _delta_out(v, e):
    y = v[e.args["out"]]
    return -y * (1 - y) * (v[e.args["target"]] - y)


def _delta_hid(v, e):
    y = v[e.args["out"]]
    return y * (1 - y) * weighted_sum(v, e.args["terms"])


def _new_weight(v, e):
    a = e.args
    return v[a["w"]] - v[a["eta"]] * v[a["delta"]] * v[a["out"]]


# kind -> rule(values, expression): the correct arithmetic of each kind of expression
EVALUATORS = {"z": _z, "out": _sigma, "delta_output": _delta_out, "delta_hidden": _delta_hid, "weight": _new_weight}


def dependencies(expression):
    """The keys an expression reads, in order, each once."""
    keys = []
    for value in expression.args.values():
        for item in (value if isinstance(value, tuple) else (value,)):
            for key in (item if isinstance(item, tuple) else (item,)):
                if key not in keys:
                    keys.append(key)
    return keys


def evaluate(expressions, given, evaluators=None):
    """Compute every expression in order from the ``given`` numbers; returns all values (a new dict).

    ``evaluators`` may replace the rule ``rule(values, expression)`` of some kinds
    (`bplib.checks._mistakes` does, to compute what a mistaken calculation gives).
    """
    rules = {**EVALUATORS, **(evaluators or {})}
    values = dict(given)
    for e in expressions:
        values[e.key] = float(rules[e.kind](values, e))
    return values


def given_values(structure, net, x, t, eta):
    """The numbers an expression may read before any is computed: in_*, t_*, w_*, eta."""
    layers = layers_of(structure)
    if any(b is not None for b in net.biases):
        raise ValueError("the expressions follow the slides, whose networks have no biases; "
                         "received a network with biases")
    if [len(layer) for layer in layers] != net.sizes:
        raise ValueError(f"structure has layer sizes {[len(layer) for layer in layers]}; the network {net.sizes}")
    x, t = np.asarray(x, dtype=float).reshape(-1), np.asarray(t, dtype=float).reshape(-1)
    values = {f"in_{unit_key(n)}": float(v) for n, v in zip(layers[0], x)}
    values.update({f"t_{unit_key(n)}": float(v) for n, v in zip(layers[-1], t)})
    for l, W in enumerate(net.weights):
        for i, source in enumerate(layers[l]):
            for j, target in enumerate(layers[l + 1]):
                values[weight_key(source, target)] = float(W[i, j])
    values["eta"] = float(eta)
    return values


def instantiate(structure, net, x, t, eta, order="simultaneous"):
    """Every expression of `all_expressions` with the numbers of ``net`` (no biases), x, t, eta.

    Returns a dict key -> float (the given numbers included). The new weights equal
    ``bplib.step(net, x, t, eta, order=order, average=False)``'s, and under "simultaneous"
    ``(w - w_new) / eta`` is dE/dw, which finite differences confirm (tests/test_expressions.py).
    """
    return evaluate(all_expressions(structure, order), given_values(structure, net, x, t, eta))


def weight_arrays(structure, values, suffix="_new"):
    """The weights named in ``values`` as bplib's list of (n_l, n_{l+1}) arrays."""
    layers = layers_of(structure)
    return [np.array([[values[weight_key(s, t) + suffix] for t in layers[l + 1]] for s in layers[l]])
            for l in range(len(layers) - 1)]
