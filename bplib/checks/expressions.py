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


# The exercise author's arguments, checked by name (TypeError / ValueError naming the argument): each a
# constraint of `bplib._validate`, ``(name, value, arguments) -> checked value``
def _numbers(name, value, arguments):
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{name} must be a dict from names to numbers; received {_validate.describe(value)}")
    return {k: _validate.real(f"{name}[{k!r}]", v) for k, v in value.items()}


def _expressions(name, value, arguments):
    if not isinstance(value, (list, tuple)) or not all(isinstance(e, Expression) for e in value):
        raise TypeError(f"{name} must be a list of Expression (from update_expressions or all_expressions); "
                        f"received {_validate.describe(value)}")
    return list(value)


def _unit_name(name, value, arguments):
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a unit's name (a non-empty text); received {_validate.describe(value)}")
    return value


def _evaluators(name, value, arguments):
    if value is not None and not (isinstance(value, Mapping) and all(map(callable, value.values()))):
        raise TypeError(f"{name} must be None or a dict of kind -> rule(values, expression); "
                        f"received {_validate.describe(value)}")
    return value


def _structure(name, value, arguments):
    _symbolic.layers_of(value)  # raises, naming structure, if it is not a network's layers
    return value


def _slides_network(name, value, arguments):
    """A network of ``structure``'s layer sizes as the slides draw them: sigmoid units, no biases."""
    value = _validate.instance_of(Network, "a bplib.Network")(name, value, arguments)
    sizes = [len(layer) for layer in _symbolic.layers_of(arguments["structure"])]
    biased = [l for l, b in enumerate(value.biases) if b is not None]
    if value.sizes != sizes:
        raise ValueError(f"{name} must have the layer sizes of structure, {sizes}; received a network of {value.sizes}")
    if biased:
        raise ValueError(f"{name} must have no biases, as the slides' networks; received a network with biases "
                         f"in layers {biased}")
    if any(f != "sigmoid" for f in value.activations):
        raise ValueError(f"{name} must have sigmoid units, as the slides' expressions; received activations "
                         f"{value.activations}")
    return value


def _one_per_unit(end):
    """x (``end`` 0) or t (-1): one number per unit of ``structure``'s input or output layer."""
    def check(name, value, arguments):
        value, layer = _validate.array(name, value), _symbolic.layers_of(arguments["structure"])[end]
        if value.size != len(layer):
            raise ValueError(f"{name} must hold {len(layer)} numbers, one per unit of {list(layer)}; "
                             f"received {value.size}")
        return value
    return check


_CHECKS = {
    "structure": _structure, "net": _slides_network, "x": _one_per_unit(0), "t": _one_per_unit(-1),
    "eta": _validate.POSITIVE, "order": _validate.one_of("simultaneous", "layerwise"),
    "expression": _validate.instance_of(Expression, "an Expression (from update_expressions or all_expressions)"),
    "expressions": _expressions, "given": _numbers, "values": _numbers, "evaluators": _evaluators,
    "suffix": _validate.instance_of(str, "a text"), "name": _unit_name, "source": _unit_name, "target": _unit_name,
    "step": _validate.count(maximum=1000),
}


def _checked(function):
    """``function`` with its arguments checked by name (`_CHECKS`, in the order of its signature, so
    ``net``, ``x`` and ``t`` are checked against ``structure``); a missing number or an overflow in
    the Python arithmetic becomes a ValueError naming the argument it came from."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def public(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in _CHECKS:
                bound.arguments[name] = _CHECKS[name](name, value, bound.arguments)
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
    def flat(value):  # an args entry is a key, or a tuple of keys or of key pairs
        return value if isinstance(value, tuple) else (value,)
    return list(dict.fromkeys(key for value in expression.args.values()
                              for item in flat(value) for key in flat(item)))


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
    values.update({weight_key(source, target): float(W[i, j]) for l, W in enumerate(net.weights)
                   for i, source in enumerate(layers[l]) for j, target in enumerate(layers[l + 1])})
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
