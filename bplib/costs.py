"""The lecture's cost functions and its L2 penalty (chapter 2).

Each cost is a pure function of the output layer and the targets, summed over the examples in
the rows, beside ``dE/dy``, its derivative with respect to the outputs (chapter 6).
``COSTS`` maps a name to ``(E, dE_dy)``, the plain mathematics (``E.unchecked``) for the passes.

Regularisation follows the lecture exactly: ``E + lam * sum_k sum_ij (w_ij^(k))^2``, with biases
not penalised, so the penalty's gradient is ``2 * lam * w``. The conventions the book meets
(chapter 2, section 2.4), with E_i the data term of example i. A conversion compares penalties for
the same data term, so it depends on E_i:

    the lecture, ``cost``, ``backward``   sum_i E_i + lam sum w^2                  E_i of the cost named
    ``train`` (any batch size)            (1/n) sum_i E_i + lam_train sum w^2      lam_train = lam / n, same E_i
    Nielsen (2015)                        (1/n) sum_i E_i + lam_N / (2n) sum w^2   E_i = 1/2 ||t_i - y_i||^2 or the NLL

    lam_N = 2 lam against ``half_sse`` or ``nll``; lam_N = lam against ``sse`` (the lecture's
    regression slide, whose E_i is twice Nielsen's).
"""
import numpy as np

from ._validate import ARRAY, FUNCTION, NONNEGATIVE, ROWS, choice, declare, like, list_of


@declare(y=ARRAY, t=like("y"))
def half_sse(y, t):
    """E = 1/2 sum ||t - y||^2: the lecture's standard choice (chapter 2, "why the 1/2")."""
    return 0.5 * np.sum((t - y) ** 2)


@declare(y=ARRAY, t=like("y"))
def half_sse_prime(y, t):
    """dE/dy_j = -(t_j - y_j): the 1/2 cancels the 2 of the square (chapter 6)."""
    return -(t - y)


@declare(y=ARRAY, t=like("y"))
def sse(y, t):
    """E = sum_i [t_i - y_i]^2: the regression cost the lecture calls mean square error.

    The slide writes the sum over examples with no 1/n; ``mse`` divides by n.
    """
    return np.sum((t - y) ** 2)


@declare(y=ARRAY, t=like("y"))
def sse_prime(y, t):
    """dE/dy = -2 (t - y)."""
    return -2.0 * (t - y)


@declare(y=ARRAY, t=like("y"))
def mse(y, t):
    """E = (1/n) sum_i ||t_i - y_i||^2 over the n examples (rows)."""
    return np.sum((t - y) ** 2) / (t.shape[0] if t.ndim else 1)


@declare(y=ARRAY, t=like("y"))
def mse_prime(y, t):
    """dE/dy = -2 (t - y) / n."""
    return -2.0 * (t - y) / (t.shape[0] if t.ndim else 1)


@declare(z=ARRAY, t=like("z"))
def nll(z, t):
    """E = -sum [t log y + (1 - t) log(1 - y)] with y = sigma(z), computed from z.

    Written as ``sum(log(1 + exp(z)) - t z)`` (``np.logaddexp``), which is the same quantity but
    stays finite when the sigmoid saturates (y rounded to exactly 0 or 1). Needs a sigmoid output.
    """
    return np.sum(np.logaddexp(0.0, z) - t * z)


@declare(y=ARRAY, t=like("y"))
def nll_delta(y, t):
    """dE/dz for a sigmoid output under ``nll``: y - t.

    dE/dy = (y - t) / (y (1 - y)) and dy/dz = y (1 - y) cancel exactly, so backpropagation
    starts from this product rather than dividing by zero at a saturated unit.
    """
    return y - t


@declare(y=ARRAY, t=like("y"))
def mae(y, t):
    """E = (1/n) sum_i sum_j abs(t_ij - y_ij) over the n examples (rows): the mean absolute error.

    Named and scaled like ``mse``: the mean is over the examples, the outputs of one example are
    summed. Where squares punish a large miss quadratically, this cost grows only linearly.
    """
    return np.sum(np.abs(t - y)) / (t.shape[0] if t.ndim else 1)


@declare(y=ARRAY, t=like("y"))
def mae_prime(y, t):
    """dE/dy = -sign(t - y) / n: a slope of fixed size 1/n, whatever the size of the miss.

    ``abs(t - y)`` has no derivative where y = t; there this takes sign(0) = 0 (a subgradient), so an
    output that is exactly right sends back no error (chapter 6).
    """
    return -np.sign(t - y) / (t.shape[0] if t.ndim else 1)


@declare(z=ROWS, t=like("z"))
def categorical_cross_entropy(z, t):
    """E = -sum_i sum_j t_ij log y_ij with y_i = softmax(z_i) over each row, computed from z.

    The classes are the columns; each target row is a probability distribution over them (one
    1 and zeros for a labelled example). Written with the log-softmax,
    log y_ij = z_ij - m_i - log sum_j' exp(z_ij' - m_i) with m_i the row's largest z, so it stays
    finite when a y would round to 0. Needs a softmax output (``bplib.activations.softmax``).
    With two classes it equals ``nll`` of z_2 - z_1, so one sigmoid unit can do the same (chapter 6).
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    log_y = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return -np.sum(t * log_y)


@declare(y=ROWS, t=like("y"))
def categorical_cross_entropy_delta(y, t):
    """dE/dz for a softmax output under ``categorical_cross_entropy``: y - t when each row of t sums to 1.

    dE/dy_k = -t_k / y_k and the softmax's Jacobian dy_k/dz_j = y_k (delta_jk - y_j) give
    dE/dz_j = -t_j + y_j sum_k t_k. It is computed in that form, y * sum_k t_k - t, which is
    exactly y - t for one-hot targets (sum 1.0) and stays the true gradient for any t.
    """
    return y * np.sum(t, axis=-1, keepdims=True) - t


COSTS = {name: (E.unchecked, dE.unchecked) for name, (E, dE) in {
    "half_sse": (half_sse, half_sse_prime),
    "sse": (sse, sse_prime),
    "mse": (mse, mse_prime),
    "mae": (mae, mae_prime),
    "nll": (nll, nll_delta),  # takes z, and its second function is dE/dz, not dE/dy
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_delta),  # likewise
}.items()}

AVERAGES = ("mse", "mae")  # the costs that divide by the number of examples themselves
FROM_Z = {"nll": "sigmoid", "categorical_cross_entropy": "softmax"}  # cost taking z -> the output it needs


def COST(name, value, arguments):
    """A name in ``COSTS`` that suits the output layer of ``arguments["net"]``, if there is a net."""
    cost, net = choice(name, value, COSTS), arguments.get("net")
    needs = FROM_Z.get(cost)
    if net is not None and needs is not None and net.activations[-1] != needs:
        raise ValueError(f"cost {cost!r} needs a {needs} output layer; received output activation "
                         f"{net.activations[-1]!r}")
    return cost


def _slope(name, value, arguments):
    """``f_prime``, a function of y (an activation's derivative), checked on this y; its slopes are kept."""
    slope = like("y")(f"{name}(y)", FUNCTION(name, value, arguments)(arguments["y"]), arguments)
    return lambda y: slope


@declare(cost=COST)
def is_average(cost):
    """True for costs that already average over the examples (``mse``, ``mae``)."""
    return cost in AVERAGES


@declare(cost=COST, z=ARRAY, y=like("z"), t=like("z"))
def value(cost, z, y, t):
    """E for the output layer's pre-activations z, outputs y and targets t, all (n, k)."""
    return COSTS[cost][0](z if cost in FROM_Z else y, t)


@declare(cost=COST, y=ARRAY, t=like("y"), f_prime=_slope)
def output_delta(cost, y, t, f_prime):
    """delta = dE/dz at the output layer, (n, k): dE/dy * dy/dz (chapter 6).

    ``f_prime`` is the output activation's derivative written from y (``nll`` and
    ``categorical_cross_entropy`` ignore it: their delta is y - t). A softmax output has no
    elementwise derivative: there use ``activations.softmax_backward(y, dE/dy)``.
    """
    dE = COSTS[cost][1](y, t)
    return dE if cost in FROM_Z else dE * f_prime(y)


@declare(weights=list_of(ARRAY, "weight matrices"), lam=NONNEGATIVE)
def l2_penalty(weights, lam):
    """lam * sum_k sum_ij (w_ij^(k))^2 over every weight matrix (biases are not included)."""
    return lam * sum(float(np.sum(W * W)) for W in weights) if lam else 0.0


@declare(W=ARRAY, lam=NONNEGATIVE)
def l2_gradient(W, lam):
    """d/dW of the penalty: 2 lam W."""
    # W * lam first: a numpy product, which overflows loudly inside an errstate; 2.0 * lam is a
    # Python float, which would overflow silently to inf
    return W * lam * 2.0
