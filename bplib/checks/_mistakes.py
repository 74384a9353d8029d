"""The common mistakes in a backpropagation calculation, as computations (used by `bplib.checks`).

Each `Mistake` replaces the rule of one or more kinds of expression (see `bplib.checks.expressions`)
with the mistaken arithmetic, so running the calculation with the mistake gives the numbers a
student who makes it would write, and the checker can recognise them:

- the update order: hidden errors from the *updated* output weights when the question asks for
  the true gradient, or from the *old* ones when it follows the slides (``order="layerwise"``);
  where either order is accepted (`bplib.checks.check_example`'s default), one hidden error in
  the other order than the rest of the answer (a mix of the two);
- a missing sigmoid derivative y(1 - y), at the output or at a hidden unit;
- a sign error, in the delta or in the update;
- z (a unit's input) used where y (its output) belongs: in the derivative, the update or the
  forward pass;
- the learning rate left out, or the change taken twice; the receiving unit's output used in dE/dw
  instead of the sender's.
"""
from typing import Callable, NamedTuple

from ..activations import sigmoid
from .expressions import EVALUATORS, weighted_sum


class Mistake(NamedTuple):
    name: str
    summary: str          # what the student did, as a phrase for "that is what you get if ..."
    rules: dict           # kind -> rule(values, expression) replacing the correct one
    explain: Callable     # (expression, the question's Reference) -> the sentence shown where the mistake is made
    flip_order: bool = False


def fmt(x):
    """A number as feedback prints it: 4 significant digits, no trailing noise."""
    return f"{x:.4g}"


def _weights_out(e, ctx, new):
    """'weight w_TF = 0.3' (or the new ones) for the weights a hidden delta sends its error through."""
    keys = [w.removesuffix("_new") + ("_new" if new else "") for w, _ in e.args["terms"]]
    parts = [f"{k} = {fmt(ctx.values[k])}" + (f" (slides: {ctx.slides[k]})" if ctx.slides.get(k) else "")
             for k in keys]
    return ("weight " if len(parts) == 1 else "weights ") + " and ".join(parts)


def _order_explain(updated_is_right):
    def explain(e, ctx):
        old, new = _weights_out(e, ctx, False), _weights_out(e, ctx, True)
        gives = "gives" if len(e.args["terms"]) == 1 else "give"
        if ctx.either:  # either order is accepted: this number mixes the two
            used, rest = ("OLD", old, "the true gradient"), ("UPDATED", new, "the slides' order")
            if not updated_is_right:
                used, rest = rest, used
            return (f"that is what the {used[0]} {used[1]} {gives} ({used[2]}), but your other numbers follow "
                    f"{rest[2]}, which sends the error back through the {rest[0]} {rest[1]}. Either order is "
                    f"accepted, not a mix of the two: use one order for every hidden error")
        if updated_is_right:
            return (f"that is what the OLD {old} {gives}. This question follows the slides, which update the layer "
                    f"above first and send the error back through the UPDATED {new}")
        return (f"that is what the UPDATED {new} {gives} (the slides' order). This question asks for the true "
                f"gradient, which sends the error back through the weights of the forward pass, the OLD {old}")
    return explain


def _y(e, ctx):
    return f"{e.args['out']} = {fmt(ctx.values[e.args['out']])}"


def _z_of(e, ctx):
    return f"{e.alt['z']} = {fmt(ctx.values[e.alt['z']])}"


MISTAKES = (
    Mistake("old_weights", "the hidden errors use the OLD weights of the layer above (this question wants the "
            "updated ones, as the slides do)", {}, _order_explain(True), flip_order=True),
    Mistake("updated_weights", "the hidden errors use the UPDATED weights of the layer above (the slides' order; "
            "this question wants the true gradient)", {}, _order_explain(False), flip_order=True),
    Mistake("no_derivative_output", "the output delta misses the sigmoid derivative y(1 - y)",
            {"delta_output": lambda v, e: -(v[e.args["target"]] - v[e.args["out"]])},
            lambda e, ctx: (f"missing sigmoid derivative: you used -(t - y) instead of -y(1 - y)(t - y); the factor "
                            f"y(1 - y) with {_y(e, ctx)} is missing")),
    Mistake("no_derivative_hidden", "the hidden deltas miss the sigmoid derivative y(1 - y)",
            {"delta_hidden": lambda v, e: weighted_sum(v, e.args["terms"])},
            lambda e, ctx: (f"missing sigmoid derivative: a hidden error is y(1 - y) times the weighted errors sent "
                            f"back; you left out the factor y(1 - y) with {_y(e, ctx)}")),
    Mistake("sign_delta", "the output delta has the wrong sign",
            {"delta_output": lambda v, e: -EVALUATORS["delta_output"](v, e)},
            lambda e, ctx: ("sign: the size is right but the sign is not. delta = dE/dz = -y(1 - y)(t - y): "
                            "mind the minus in front")),
    Mistake("sign_update", "the weights were moved uphill (w + eta delta out)",
            {"weight": lambda v, e: 2 * v[e.args["w"]] - EVALUATORS["weight"](v, e)},
            lambda e, ctx: ("sign: you added eta*delta*out to the weight; gradient descent subtracts it, "
                            "w_new = w - eta*delta*out, to move against the gradient")),
    Mistake("z_in_derivative", "the sigmoid derivative was computed from z instead of y",
            {"delta_output": lambda v, e: -v[e.alt["z"]] * (1 - v[e.alt["z"]]) * (v[e.args["target"]] - v[e.args["out"]]),
             "delta_hidden": lambda v, e: v[e.alt["z"]] * (1 - v[e.alt["z"]]) * weighted_sum(v, e.args["terms"])},
            lambda e, ctx: (f"used z where y belongs: the sigmoid's derivative is y(1 - y) with the unit's OUTPUT "
                            f"({_y(e, ctx)}), not its input ({_z_of(e, ctx)})")),
    Mistake("z_in_update", "the weight change used the sending unit's z instead of its output y",
            {"weight": lambda v, e: (v[e.args["w"]] - v[e.args["eta"]] * v[e.args["delta"]] * v[e.alt["z"]])
             if e.alt["z"] else EVALUATORS["weight"](v, e)},
            lambda e, ctx: (f"used z where y belongs: the change is eta*delta*out with the OUTPUT of the unit the "
                            f"weight comes from ({_y(e, ctx)}), not its input ({_z_of(e, ctx)})")),
    Mistake("z_in_forward", "the hidden layer passed on its inputs z instead of its outputs y = sigma(z)",
            {"out": lambda v, e: v[e.args["z"]] if e.alt["hidden"] else EVALUATORS["out"](v, e)},
            lambda e, ctx: (f"used z where y belongs: {e.key} = sigmoid({e.args['z']}), the unit's output, and the "
                            f"next layer receives outputs, not the inputs z")),
    Mistake("no_eta", "the learning rate was left out of the update",
            {"weight": lambda v, e: v[e.args["w"]] - v[e.args["delta"]] * v[e.args["out"]]},
            lambda e, ctx: f"learning rate left out: the change is eta*delta*out with eta = {fmt(ctx.values['eta'])}"),
    Mistake("eta_twice", "the change was subtracted twice (2*eta*delta*out)",
            {"weight": lambda v, e: v[e.args["w"]] - 2 * v[e.args["eta"]] * v[e.args["delta"]] * v[e.args["out"]]},
            lambda e, ctx: (f"twice the change: the new weight is w - eta*delta*out, the change taken once, with "
                            f"eta = {fmt(ctx.values['eta'])}")),
    Mistake("receiving_out", "dE/dw used the output of the unit the weight goes to",
            {"weight": lambda v, e: v[e.args["w"]] - v[e.args["eta"]] * v[e.args["delta"]] * v[e.alt["out_target"]]},
            lambda e, ctx: (f"wrong unit's output: dE/dw = out_i * delta_j uses the output of the unit the weight "
                            f"comes FROM ({e.args['out']}), not of the one it goes to ({e.alt['out_target']})")),
)


def applies(mistake, order):
    """Only the order mistake that contradicts the question's order is a mistake."""
    return not mistake.flip_order or (mistake.name == "old_weights") == (order == "layerwise")


def happens_at(mistake, expression):
    """Whether ``expression`` is where the mistake is made (not merely a quantity it spoils later)."""
    return expression.kind == "delta_hidden" if mistake.flip_order else expression.kind in mistake.rules


# Mistaken implementations of the two functions the gradient-checking exercise asks for: each
# (name, function, explanation). `bplib.checks._functions.check_function` compares a student's function
# with the right one and with these, on the same inputs.
FUNCTION_MISTAKES = {
    "sigmoid_prime": (
        ("sigmoid_again", lambda y: sigmoid.unchecked(y) * (1 - sigmoid.unchecked(y)),
         "you applied the sigmoid again: y is already the output sigma(z), so the derivative written from "
         "the output is y(1 - y), with no further sigmoid"),
        ("missing_factor", lambda y: 1 - y, "a factor is missing: the derivative is y times (1 - y)"),
        ("sign", lambda y: -y * (1 - y), "sign: y(1 - y) is never negative for 0 < y < 1"),
        ("square", lambda y: y * y * (1 - y), "one y too many: the derivative is y(1 - y)"),
        ("plus", lambda y: y * (1 + y), "sign inside the bracket: the derivative is y(1 - y), with a minus"),
        ("precedence", lambda y: y * 1 - y,
         "precedence: Python reads y * 1 - y as (y * 1) - y, which is 0; put 1 - y in brackets: y * (1 - y)"),
    ),
    "central_difference": (
        ("forward", lambda f, w, eps: (f(w + eps) - f(w)) / eps,
         "this is the forward difference (f(w + eps) - f(w)) / eps, whose error shrinks like eps; the "
         "central difference (f(w + eps) - f(w - eps)) / (2 eps) is accurate to eps squared"),
        ("no_two", lambda f, w, eps: (f(w + eps) - f(w - eps)) / eps,
         "twice too large: w + eps and w - eps are 2 eps apart, so divide by 2 eps"),
        ("reversed", lambda f, w, eps: (f(w - eps) - f(w + eps)) / (2 * eps),
         "sign: the difference is f(w + eps) - f(w - eps), the later point first"),
        ("backward", lambda f, w, eps: (f(w) - f(w - eps)) / eps,
         "this is the backward difference (f(w) - f(w - eps)) / eps; use both neighbours, w + eps and w - eps"),
        ("precedence", lambda f, w, eps: (f(w + eps) - f(w - eps)) / 2 * eps,
         "precedence: Python reads / 2*eps as (... / 2) * eps, dividing by 2 and multiplying by eps; "
         "write / (2 * eps)"),
        ("precedence", lambda f, w, eps: f(w + eps) - f(w - eps) / (2 * eps),
         "precedence: only f(w - eps) is divided; put the difference in brackets, "
         "(f(w + eps) - f(w - eps)) / (2 * eps)"),
        ("precedence", lambda f, w, eps: f(w + eps) - f(w - eps) / 2 * eps,
         "precedence: Python divides only f(w - eps), by 2, and then multiplies it by eps; put brackets "
         "around both, (f(w + eps) - f(w - eps)) / (2 * eps)"),
        ("nudged_output", lambda f, w, eps: (f(w) + eps - (f(w) - eps)) / (2 * eps),
         "eps was added to the value f(w), not to the input w: the difference is then always 2 eps, and the "
         "estimate 1; nudge the input, f(w + eps) and f(w - eps)"),
        ("floor_division", lambda f, w, eps: (f(w + eps) - f(w - eps)) // (2 * eps),
         "// is floor division, which throws the fraction away; divide with /"),
    ),
}
