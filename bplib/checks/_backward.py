"""Checking a student's backward pass (exercise 6): `check_backward`.

Exercise 6 (exercises/ex6_backward_pass.ipynb) asks for a function
``backward(weights, biases, X, T)`` returning ``dW, db``: one array per layer of a sigmoid network
with the cost E = 1/2 sum over examples and outputs of (t - y)^2 (chapters 6-8),

    delta_L = (y_L - t) * y_L (1 - y_L)                 the output errors        (n, n_L)
    delta_l = (delta_{l+1} @ W_{l+1}.T) * y_l (1 - y_l)  an error sent back       (n, n_l)
    dW_l = y_{l-1}.T @ delta_l,  db_l = delta_l summed over the rows (examples)

with ``weights[l]`` of shape (n_in, n_out) and one example per row of X. `check_backward` calls
the student's function on copies of a few networks (2-3-2 first, then deeper ones, several
examples, layers that are not square) and compares every array, from the output layer down, with
``bplib.backward`` and with what the common mistakes give; the first array that differs is named
with the mistake that explains it (the gradient of the first example alone among them, a rounding
inside the function, ``* 1 - y`` without brackets, the weights or the slope of the wrong layer).
Arrays agree up to a millionth of their largest entry (float32 inputs stay within it; arrays
returned in float32 are judged to float32 precision). Lists that run from the output layer down,
and db, dW returned in the wrong order, are told so before any array's shape or values. A function that changes its arguments (``T -= y``,
``weights.reverse()``) is told so even where its arrays are right (`bplib.checks._calls`); one
right on two layers only is told that too. The student's central differences and the relative
error they measure are checked in `_differences`. Nothing the student wrote makes it raise.
"""
import functools
import warnings

import numpy as np

from ..activations import sigmoid
from ..backprop import backward as _right_backward
from ..network import Network
from .._validate import declare, describe
from ._calls import call, raised
from ._feedback import NOT_ANSWERED, Feedback, Line, function_line, in_words

__all__ = ["check_backward"]

# (layer sizes, examples, seed): 2-3-2 first; 3-3-3 has square weights, on which W in place of W.T
# gives numbers instead of a shape error; the deeper ones have a square middle layer too. No count
# of examples but 1 is 1/eta for a learning rate a student would use (not 2, 4, 5, 10, 20, 100), so
# a gradient divided by n and one multiplied by eta are told apart
CASES = [([2, 3, 2], 6, 1), ([3, 3, 3], 3, 2), ([2, 3, 2], 1, 3),
         ([3, 4, 4, 2], 7, 4), ([2, 5, 3, 4, 1], 3, 5)]
LAYERS = sorted({len(sizes) - 1 for sizes, _, _ in CASES})
ETAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 1.5, 3.0, 5.0, 10.0)  # learning rates a student might fold in
GOOD = 1e-7  # a relative error below this: backward pass and central differences agree (float64)
BAD = 1e-4   # above this: they disagree, one of them is wrong
SHAPES_MISFIT = "the shapes in a matrix product did not fit"
ARGUMENTS = ("weights", "biases", "X", "T")
NUMBERS = {2: "two", 3: "three", 4: "four"}
TRANSPOSE_HINT = "; weights[l] is (n_in, n_out), so the errors go back through its transpose, delta @ W.T"

MISTAKES = {
    "transposed_back": "the errors were sent back through weights[{above}] itself; going back against the "
                       "arrows takes its transpose: delta @ W.T",
    "dW_transposed": "this is the transpose of dE/dW: weights[{l}] has shape (n_in, n_out), so "
                     "dE/dW = y_below.T @ delta, not delta.T @ y_below",
    "no_prime_hidden": "the hidden errors miss the sigmoid's slope: after sending the errors back through W.T, "
                       "multiply by y(1 - y) of that hidden layer",
    "no_prime_output": "the output errors miss the sigmoid's slope: delta = (y - t) * y(1 - y), not y - t alone",
    "no_prime": "no error was multiplied by the sigmoid's slope y(1 - y), at the output or in the hidden layers",
    "prime_of_z": "the slope was computed from z; y(1 - y) takes the unit's output y = sigma(z)",
    "outputs_above": "dE/dW used the outputs of the layer the weights lead to; dE/dw_ij = y_i error_j takes y "
                     "from the layer below (for weights[{l}], that layer's input)",
    "z_below": "dE/dW used the pre-activations z of the layer below; it takes their outputs y = sigma(z)",
    "dW_not_summed": "it has one matrix per example; y_below.T @ delta sums over the examples by itself",
    "db_not_summed": "it has one row per example: sum the errors over the examples (axis 0)",
    "db_wrong_axis": "the errors were summed over the units (axis 1) instead of over the examples (axis 0)",
    "db_keepdims": "its numbers are right but it has an extra axis: sum without keepdims, so that it has the "
                   "biases' shape",
    "averaged": "this is the gradient divided by the number of examples, n = {n}: the average. E here is "
                "summed over the examples, so sum the gradients too",
    "sign": "this is minus the gradient: the output error is (y - t) * y(1 - y); with (t - y) you get the "
            "direction of the step, -dE/dW, not dE/dW",
    "factor_2": "this is twice the gradient: with E = 1/2 (t - y)^2, dE/dy = y - t has no factor 2 "
                "(or was a learning rate of 2 folded in?)",
    "eta": "this is {c:g} times the gradient: the learning rate was folded in. Return dE/dW itself; the "
           "update multiplies by eta",
    "first_example_only": "it used only the first example: sum over all rows of the batch (E adds up the "
                          "errors of every example)",
    "last_example_only": "it used only the last example: sum over all rows of the batch (E adds up the "
                         "errors of every example)",
    "precedence": "the output errors are not (y - t) * y(1 - y): Python reads (y - t) * y * 1 - y as "
                  "((y - t) * y * 1) - y; put 1 - y in brackets, (y - t) * y * (1 - y)",
    "weights_below": "the errors were sent back through weights[{l}] instead of weights[{above}]: errors go back "
                     "through the weights they came forward through, the same weights[l] as the dW[l] just "
                     "computed (not weights[l - 1])",
    "slope_above": "the slope y(1 - y) was taken from the layer above; errors sent back to a layer are multiplied "
                   "by that layer's own slope, from its outputs ys[l] (not ys[l + 1])",
    "rounded": "its numbers are the right ones rounded to {d} decimals: return them unrounded (round only where "
               "you print)",
}
REVERSED = ("{lists} {run} from the output layer down: reverse {them} ({first}[0] is the first layer's, "
            "{first}[-1] the output layer's)")


# --- the networks and their gradients, right and mistaken --------------------------------------------

def _case(sizes, n, seed):
    """weights, biases, X and T of one test network: non-zero biases, targets between 0 and 1."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 1.0, size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0.0, 0.5, size=b) for b in sizes[1:]]
    return weights, biases, rng.normal(0.0, 1.0, size=(n, sizes[0])), rng.uniform(0.05, 0.95, size=(n, sizes[-1]))


def _slipped(weights, biases, X, T, slip):
    """dW, db as a student who makes ``slip`` computes them; None where the slip cannot happen
    (W in place of W.T needs a square W to give numbers at all)."""
    ys, zs = [X], []
    for W, b in zip(weights, biases):
        zs.append(ys[-1] @ W + b)
        ys.append(sigmoid.unchecked(zs[-1]))
    slope = (lambda k: zs[k - 1] * (1 - zs[k - 1])) if slip == "prime_of_z" else (lambda k: ys[k] * (1 - ys[k]))
    L = len(weights)
    delta = ys[-1] - T if slip in ("no_prime_output", "no_prime") else (ys[-1] - T) * slope(L)
    if slip == "precedence":
        delta = (ys[-1] - T) * ys[-1] * 1 - ys[-1]
    dW, db = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        below = {"outputs_above": ys[l + 1], "z_below": zs[l - 1] if l else X}.get(slip, ys[l])
        dW[l], db[l] = below.T @ delta, delta.sum(axis=0)
        if l == 0:
            break
        # W for W.T, the weights below, the slope of the layer above: numbers only where the shapes fit
        through = {"transposed_back": weights[l], "weights_below": weights[l - 1].T}.get(slip, weights[l].T)
        at = l + 1 if slip == "slope_above" else l
        if delta.shape[1] != through.shape[0] or through.shape[1] != ys[at].shape[1]:
            return None
        back = delta @ through
        delta = back if slip in ("no_prime_hidden", "no_prime") else back * slope(at)
    return dW, db


SLIPS = ["transposed_back", "no_prime_hidden", "no_prime_output", "no_prime", "prime_of_z", "outputs_above",
         "z_below", "precedence", "weights_below", "slope_above"]


@functools.cache
def _reference(k):
    """The right gradients of the network ``CASES[k]`` and what each slip gives, made on first use."""
    sizes, n, seed = CASES[k]
    weights, biases, X, T = _case(sizes, n, seed)
    record = _right_backward(Network(weights, biases), X, T)
    slipped = {slip: _slipped(weights, biases, X, T, slip) for slip in SLIPS}
    return dict(sizes=sizes, n=n, inputs=(weights, biases, X, T), dW=record.dW, db=record.db, ys=record.ys,
                deltas=record.deltas, slipped={k: v for k, v in slipped.items() if v is not None},
                name="-".join(map(str, sizes)), examples=f"{n} example{'s' if n > 1 else ''}")


def _references(layers):
    return [_reference(k) for k, (sizes, _, _) in enumerate(CASES) if layers is None or len(sizes) - 1 == layers]


# --- judging one returned array ---------------------------------------------------------------------

def _close(got, want, single=False):
    """``got`` is ``want`` up to rounding: a millionth of the array's largest entry, which float32 inputs
    (weights or X cast to float32, the arithmetic in float64) stay well within; ``single``: to float32
    precision, for arrays returned in float32. Every mistake named here is off by far more."""
    if got.shape != want.shape:
        return False
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    rtol, atol = (1e-4, 1e-5) if single else (1e-6, 1e-6)
    return bool(np.allclose(got, want, rtol=rtol, atol=atol * max(scale, 1e-12)))


def _rounded(got, want):
    """The decimals ``got`` is ``want`` rounded to (a rounding inside the student's function), or None."""
    if got.shape != want.shape or _close(got, want):
        return None
    return next((d for d in range(1, 9) if np.allclose(got, np.round(want, d), rtol=0, atol=1e-12)), None)


def _scaled(got, want, ref):
    """The name and factor when ``got`` is a multiple c != 1 of ``want`` (sign, average, eta...)."""
    if got.shape != want.shape or not np.any(want):
        return None
    c = float(np.vdot(got, want) / np.vdot(want, want))
    if not np.isfinite(c) or abs(c - 1) < 1e-6 or abs(c) < 1e-6 or not _close(got, c * want):
        return None
    for name, factor in [("sign", -1.0), ("averaged", 1.0 / ref["n"]), ("factor_2", 2.0),
                         *[("eta", eta) for eta in ETAS]]:
        if abs(c - factor) <= 1e-6 * abs(factor):
            return name, factor
    return "", c


def _array_mistake(kind, l, got, ref):
    """The mistake (name) that gives ``got`` for dW[l] or db[l], which is not right, or None; the
    gradient of the first or the last row of X alone among them (with one row, that is the right one)."""
    for slip, (dW, db) in ref["slipped"].items():
        if _close(got, (dW if kind == "dW" else db)[l]):
            return slip
    want, y_below, delta = ref[kind][l], ref["ys"][l], ref["deltas"][l]
    if kind == "dW":
        candidates = {"dW_transposed": want.T, "dW_not_summed": np.einsum("ni,nj->nij", y_below, delta),
                      "first_example_only": np.outer(y_below[0], delta[0]),
                      "last_example_only": np.outer(y_below[-1], delta[-1])}
    else:
        candidates = {"db_not_summed": delta, "db_wrong_axis": delta.sum(axis=1), "db_keepdims": want[None, :],
                      "first_example_only": delta[0], "last_example_only": delta[-1]}
    return next((name for name, wrong in candidates.items() if _close(got, wrong)), None)


def _describe_array(kind, l, L):
    to = "the output layer" if l == L - 1 else f"hidden layer {l + 1}"
    return f"{kind}[{l}] (the {'weights' if kind == 'dW' else 'biases'} into {to})"


def _judge_arrays(key, got_dW, got_db, ref, single=False):
    """None if every array is right (``single``: to float32 precision, for arrays in float32), else a
    `Line` about the first wrong one from the output down."""
    L, where = len(ref["dW"]), f"on a {ref['name']} network with {ref['examples']}"
    right_so_far = []
    for l in range(L - 1, -1, -1):
        for kind, got in (("dW", got_dW[l]), ("db", got_db[l])):
            want = ref[kind][l]
            name = f"{kind}[{l}]"
            if _close(got, want, single):
                right_so_far.append(name)
                continue
            decimals = _rounded(got, want)
            mistake = "rounded" if decimals is not None else _array_mistake(kind, l, got, ref)
            scaled = None if mistake else _scaled(got, want, ref)
            if scaled is not None:
                mistake, factor = scaled
                if not mistake:
                    return Line(key, "wrong", f"{where}, {name} is {factor:.4g} times the right gradient: look for an "
                                              f"extra factor")
            if mistake:
                why = MISTAKES[mistake].format(l=l, above=l + 1, n=ref["n"], c=scaled[1] if scaled else 0, d=decimals)
                return Line(key, "wrong", f"{where}, {_describe_array(kind, l, L)} is wrong: {why}", mistake)
            if got.shape == want.shape and not np.any(got):
                return Line(key, "wrong", f"{where}, {_describe_array(kind, l, L)} is all zeros: was it filled in?")
            if got.shape != want.shape:
                like = "weights" if kind == "dW" else "biases"
                lists = got_dW if kind == "dW" else got_db
                if all(a.shape == w.shape for a, w in zip(lists[::-1], ref[kind])):  # values wrong too
                    return Line(key, "wrong", f"{where}, {name} has the shape of {like}[{L - 1 - l}]: "
                                              + REVERSED.format(lists=f"your list {kind}", run="runs", them="it",
                                                                first=kind), "reversed_lists")
                return Line(key, "wrong", f"{where}, {name} has shape {got.shape}; expected {want.shape}, the shape "
                                          f"of {like}[{l}]")
            fine = f" ({', '.join(right_so_far)} right)" if right_so_far else ""
            hint = ("start with the output errors (y - t) * y(1 - y)" if l == L - 1 else
                    f"look at how the errors are sent back from layer {l + 1} to this one")
            return Line(key, "wrong", f"{where}, {_describe_array(kind, l, L)} is not right{fine}: {hint}")
    return None


# --- calling the student's function -----------------------------------------------------------------

def _raised(error):
    """The sentence for an exception from the student's backward pass (a shape error explained)."""
    text = raised(error)
    if isinstance(error, ValueError) and any(word in text for word in ("matmul", "shapes", "broadcast")):
        text = f"{type(error).__name__}: {SHAPES_MISFIT}{TRANSPOSE_HINT}"
    return f"calling it raised {text}"


def _arrays(kind, value, L):
    """The student's dW or db as a list of L float arrays, or the sentence saying what is wrong."""
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)):
        return f"{kind} should be a list with one array per layer ({L}); it is {in_words(value)}"
    if len(value) != L:
        return f"{kind} has {len(value)} entries; expected {L}, one per layer"
    out = []
    for l, a in enumerate(value):
        if a is None or a is Ellipsis:
            stop = " (a loop over range(len(weights) - 1, 0, -1) stops before layer 0; end it at -1)" if (
                a is None and l == 0 and kind in ("dW", "db") and all(b is not None for b in value[1:])) else ""
            return f"{kind}[{l}] is {a!r}: fill in every layer{stop}"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                array = np.asarray(a, dtype=float)
        except Exception:
            return f"{kind}[{l}] is {in_words(a)}, not an array of numbers"
        if not np.all(np.isfinite(array)):
            return f"{kind}[{l}] contains NaN or infinity: something in its calculation went wrong"
        out.append(array)
    return out


def _judge_case(key, fn, ref):
    done = call(fn, ref["inputs"], ARGUMENTS)
    if done.error is not None:
        return Line(key, "unreadable", _raised(done.error))
    if done.result is Ellipsis:
        return Line(key, "not answered", NOT_ANSWERED)
    line = _judge_result(key, done.result, ref)
    if done.change is None:
        return line
    if line is None:
        return Line(key, "wrong", f"it returned the right dW and db, but it {done.change.sentence}", "changed_input")
    return Line(key, "wrong", f"it {done.change.sentence}. Its dW and db are not right either: fix this first",
                "changed_input")


def _judge_result(key, got, ref):
    if got is None:
        return Line(key, "unreadable", "it returned None: did it forget to return dW, db?")
    L = len(ref["dW"])
    if isinstance(got, dict) or not isinstance(got, (list, tuple)) or len(got) != 2:
        what = f"{len(got)} things" if isinstance(got, (list, tuple)) else in_words(got)
        return Line(key, "unreadable", f"it returned {what}; expected two lists, one array per layer in each: "
                                       f"return dW, db")
    if _shapes(got[0]) == [w.shape for w in ref["db"]] and _shapes(got[1]) == [w.shape for w in ref["dW"]]:
        return Line(key, "wrong", "it returned db, dW: the first list holds the biases' shapes and the second "
                                  "the weights'; return dW, db, in that order", "swapped")
    dW, db = _arrays("dW", got[0], L), _arrays("db", got[1], L)
    for part in (dW, db):
        if isinstance(part, str):
            return Line(key, "unreadable", part)
    single = _single(got[0]) or _single(got[1])
    return _reversed(key, dW, db, ref) or _judge_arrays(key, dW, db, ref, single)


def _shapes(arrays):
    """The shapes of a returned list of arrays, or None where it is not a list of arrays."""
    try:
        return [np.shape(a) for a in arrays] if isinstance(arrays, (list, tuple)) else None
    except Exception:
        return None


def _single(arrays):
    """Whether any of the returned arrays is in float32 (or float16): judged to that precision."""
    return isinstance(arrays, (list, tuple)) and any(
        isinstance(a, (np.ndarray, np.floating)) and a.dtype.kind == "f" and a.dtype.itemsize < 8 for a in arrays)


def _reversed(key, dW, db, ref):
    """A `Line` when dW or db runs from the output layer down (each array right for the layer
    len - 1 - l): said before any shape or value of theirs is judged."""
    backwards = [kind for kind, got in (("dW", dW), ("db", db)) if len(got) > 1
                 and all(_close(a, w) for a, w in zip(got[::-1], ref[kind]))
                 and not all(_close(a, w) for a, w in zip(got, ref[kind]))]
    if not backwards:
        return None
    both = len(backwards) == 2
    message = REVERSED.format(lists="your lists dW and db" if both else f"your list {backwards[0]}",
                              run="run" if both else "runs", them="them" if both else "it", first=backwards[0])
    if not both:
        kind = "db" if backwards == ["dW"] else "dW"
        if not all(_close(a, w) for a, w in zip({"dW": dW, "db": db}[kind], ref[kind])):
            message += f"; {kind} is not right either"
    return Line(key, "wrong", message, "reversed_lists")


def function_name(name, value, arguments):
    """The ``name`` argument of a check: the name of the student's function, shown in its feedback."""
    if not isinstance(value, str) or not value.isidentifier():
        raise TypeError(f"{name} must be a function's name (a text such as 'backward'); received {describe(value)}")
    return value


def _layers(name, value, arguments):
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be None (every network) or one of {LAYERS}; received {describe(value)}")
    if int(value) not in LAYERS:
        raise ValueError(f"{name} must be None (every network) or one of {LAYERS}; received {describe(value)}"[:200])
    return int(value)


@declare(guarded=False, layers=_layers, name=function_name)
def check_backward(fn, layers=None, name="backward"):
    """Feedback on a student's ``fn(weights, biases, X, T) -> (dW, db)`` for sigmoid networks with
    E = 1/2 sum (t - y)^2, summed over the examples (the rows of X); chapters 6-8.

    ``weights[l]`` is (n_l, n_{l+1}), ``biases[l]`` (n_{l+1},), X (n, n_0), T (n, n_L); ``dW[l]``
    and ``db[l]`` must have the shapes of ``weights[l]`` and ``biases[l]``. ``layers=2`` tries only
    networks with two layers of weights (2-3-2 first); None (default) adds deeper ones. A wrong
    array is named, from the output layer down, with the mistake that gives it (W for W.T, a
    missing y(1 - y), the wrong layer's outputs, a wrong sum, a learning rate folded in, ...).
    """
    refs = _references(layers)
    line = function_line(name, fn, "weights, biases, X, T", lambda fn: _judge_backward(name, fn, refs))
    return Feedback(f"Your {name}", [line], todo="Replace the ... with your code")


def _judge_backward(key, fn, refs):
    first = passed = None
    for k, ref in enumerate(refs):
        line = _judge_case(key, fn, ref)
        if line is None:
            continue
        if line.status == "not answered" or line.mistake:
            if first is not None and SHAPES_MISFIT in first[0].message and line.mistake:
                line = line._replace(message=f"{line.message}. (With layers that are not square, it raised "
                                             f"ValueError: {SHAPES_MISFIT}.)")
            return _deeper(line, ref, refs[:k] if first is None else [])
        if first is None:
            first, passed = (line, ref), refs[:k]
    if first is not None:
        return _deeper(*first, passed)
    networks = ", ".join(f"{r['name']} ({r['examples']})" for r in refs)
    return Line(key, "correct", f"every dW and db right on {len(refs)} networks: {networks}")


def _deeper(line, ref, passed):
    """``line`` about a network deeper than every one before it, which the function got right: say
    so; where it raised or returned too few arrays, it was written for those depths only."""
    if line.status == "not answered" or not passed or any(len(r["dW"]) >= len(ref["dW"]) for r in passed):
        return line
    depths = sorted({len(r["dW"]) for r in passed})
    right = (f"right on the networks with {' and '.join(NUMBERS.get(d, str(d)) for d in depths)} layers of "
             f"weights ({', '.join(dict.fromkeys(r['name'] for r in passed))}), but ")
    if line.status != "unreadable":
        return line._replace(message=right + line.message)
    message = line.message.replace(TRANSPOSE_HINT, "")  # the transposes were right on the smaller networks
    return Line(line.key, "wrong", f"{right}on a {ref['name']} network {message}. It must work "
                                   f"for any number of layers: loop over them from the output down (for l in "
                                   f"reversed(range(len(weights)))) instead of naming each layer", "two_layers_only")
