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
import functools
import inspect
from collections.abc import Mapping

import numpy as np

from .. import _validate
from ..activations import sigmoid
from ..network import Network
from . import _symbolic
# The expressions are generated in the private bplib.checks._symbolic; this module is their public
# face, so they are listed in __all__ (and api.md documents them here).
from ._symbolic import Expression

__all__ = [
    "EVALUATORS", "dependencies", "evaluate", "given_values", "instantiate", "weight_arrays",
    "Expression", "layers_of", "unit_key", "weight_key", "update_expressions", "all_expressions", "to_latex",
]


def _numbers(name, value):
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{name} must be a dict from names to numbers; received {_validate.describe(value)}")
    return {k: _validate.real(f"{name}[{k!r}]", v) for k, v in value.items()}


def _expressions(name, value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(e, Expression) for e in value):
        raise TypeError(f"{name} must be a list of Expression (from update_expressions or all_expressions); "
                        f"received {_validate.describe(value)}")
    return list(value)


def _unit_name(name, value):
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a unit's name (a non-empty text); received {_validate.describe(value)}")
    return value


def _net(value):
    if not isinstance(value, Network):
        raise TypeError(f"net must be a bplib.Network; received {_validate.describe(value)}")
    return value


def _evaluators(value):
    if value is not None and not (isinstance(value, Mapping) and all(map(callable, value.values()))):
        raise TypeError(f"evaluators must be None or a dict of kind -> rule(values, expression); "
                        f"received {_validate.describe(value)}")
    return value


def _suffix(value):
    if not isinstance(value, str):
        raise TypeError(f"suffix must be a text; received {_validate.describe(value)}")
    return value


def _structure(value):
    _symbolic.layers_of(value)  # raises, naming structure, if it is not a network's layers
    return value


# The exercise author's arguments, checked by name (TypeError / ValueError naming the argument)
_CHECKS = {
    "structure": _structure, "net": _net, "evaluators": _evaluators, "suffix": _suffix,
    "x": lambda v: _validate.array("x", v), "t": lambda v: _validate.array("t", v),
    "eta": lambda v: _validate.real("eta", v, positive=True),
    "order": lambda v: _validate.choice("order", v, ("simultaneous", "layerwise")),
    "expression": lambda v: _expressions("expression", [v])[0],
    "expressions": lambda v: _expressions("expressions", v),
    "given": lambda v: _numbers("given", v), "values": lambda v: _numbers("values", v),
    "name": lambda v: _unit_name("name", v), "source": lambda v: _unit_name("source", v),
    "target": lambda v: _unit_name("target", v),
    "step": lambda v: _validate.integer("step", v, maximum=1000),
}


def _fit_structure(arguments):
    """What must fit ``structure`` where it is given: ``net`` a network of its layer sizes as the slides
    draw them (sigmoid units, no biases), ``x`` and ``t`` one number per input and output unit."""
    layers = _symbolic.layers_of(arguments["structure"])
    sizes, net = [len(layer) for layer in layers], arguments.get("net")
    if net is not None:
        biased = [l for l, b in enumerate(net.biases) if b is not None]
        if net.sizes != sizes:
            raise ValueError(f"net must have the layer sizes of structure, {sizes}; received a network of {net.sizes}")
        if biased:
            raise ValueError(f"net must have no biases, as the slides' networks; received a network with biases "
                             f"in layers {biased}")
        if any(f != "sigmoid" for f in net.activations):
            raise ValueError(f"net must have sigmoid units, as the slides' expressions; received activations "
                             f"{net.activations}")
    for name, layer in (("x", layers[0]), ("t", layers[-1])):
        if name in arguments and arguments[name].size != len(layer):
            raise ValueError(f"{name} must hold {len(layer)} numbers, one per unit of {list(layer)}; "
                             f"received {arguments[name].size}")


def _checked(function):
    """``function`` with its arguments checked by name (`_CHECKS`) and against ``structure``
    (`_fit_structure`); a missing number or an overflow in the Python arithmetic becomes a
    ValueError naming the argument it came from."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def public(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in _CHECKS:
                bound.arguments[name] = _CHECKS[name](value)
        if "structure" in bound.arguments:
            _fit_structure(bound.arguments)
        source = next((n for n in ("given", "values", "x", "t", "eta") if n in bound.arguments), "its inputs")
        try:
            result = function(*bound.args, **bound.kwargs)
        except KeyError as error:
            also = f" (with suffix {bound.arguments['suffix']!r})" if "suffix" in bound.arguments else ""
            raise ValueError(f"{source} has no number for {error}{also}") from None
        except (ValueError, FloatingPointError) as error:
            raise ValueError(f"{function.__name__}() failed on {source}: {error}") from None
        return _validate.finite(f"{function.__name__}()'s result (from {source})", result)

    return public


layers_of, unit_key, weight_key = (_checked(f) for f in (_symbolic.layers_of, _symbolic.unit_key, _symbolic.weight_key))
update_expressions, all_expressions, to_latex = (_checked(f) for f in (
    _symbolic.update_expressions, _symbolic.all_expressions, _symbolic.to_latex))


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


@_checked
def dependencies(expression):
    """The keys an expression reads, in order, each once."""
    keys = []
    for value in expression.args.values():
        for item in (value if isinstance(value, tuple) else (value,)):
            for key in (item if isinstance(item, tuple) else (item,)):
                if key not in keys:
                    keys.append(key)
    return keys


@_checked
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


@_checked
def given_values(structure, net, x, t, eta):
    """The numbers an expression may read before any is computed: in_*, t_*, w_*, eta."""
    layers = layers_of(structure)  # net, x and t fit it (checked with the arguments)
    x, t = np.asarray(x, dtype=float).reshape(-1), np.asarray(t, dtype=float).reshape(-1)
    values = {f"in_{unit_key(n)}": float(v) for n, v in zip(layers[0], x)}
    values.update({f"t_{unit_key(n)}": float(v) for n, v in zip(layers[-1], t)})
    for l, W in enumerate(net.weights):
        for i, source in enumerate(layers[l]):
            for j, target in enumerate(layers[l + 1]):
                values[weight_key(source, target)] = float(W[i, j])
    values["eta"] = float(eta)
    return values


@_checked
def instantiate(structure, net, x, t, eta, order="simultaneous"):
    """Every expression of `all_expressions` with the numbers of ``net`` (no biases), x, t, eta.

    Returns a dict key -> float (the given numbers included). The new weights equal
    ``bplib.step(net, x, t, eta, order=order, average=False)``'s, and under "simultaneous"
    ``(w - w_new) / eta`` is dE/dw, which finite differences confirm (tests/test_expressions.py).
    """
    return evaluate(all_expressions(structure, order), given_values(structure, net, x, t, eta))


@_checked
def weight_arrays(structure, values, suffix="_new"):
    """The weights named in ``values`` as bplib's list of (n_l, n_{l+1}) arrays."""
    layers = layers_of(structure)
    return [np.array([[values[weight_key(s, t) + suffix] for t in layers[l + 1]] for s in layers[l]])
            for l in range(len(layers) - 1)]
