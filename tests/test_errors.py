"""Bad input on every public function: ValueError or TypeError whose message names the argument,
what was expected and what was received."""
import re

import numpy as np
import pytest

import bplib
from bplib import activations
from bplib.search import random_perturbation

NET = bplib.Network.random([2, 3, 1], rng=0)           # weights (2, 3) and (3, 1), biases (3,) and (1,)
TANH_OUT = bplib.Network.random([2, 3, 1], ["sigmoid", "tanh"], rng=0)
X, T = np.full((4, 2), 0.5), np.full((4, 1), 0.25)
G = bplib.backward(NET, X, T)
W_OK = [np.ones((2, 3)), np.ones((3, 1))]
NAN, INF = float("nan"), float("inf")


def with_value(shape, value):
    a = np.full(shape, 0.5)
    a.flat[-1] = value
    return a


def case(id, call, error, *words):
    """``words``: the argument's name first, then what was expected and what was received."""
    return pytest.param(call, error, words, id=id)


NETWORK = [
    case("weights-str", lambda: bplib.Network("abc"), TypeError, "weights", "list of 2-D arrays", "str"),
    case("weights-None", lambda: bplib.Network(None), TypeError, "weights", "list of 2-D arrays", "NoneType"),
    case("weights-dict", lambda: bplib.Network({"W": np.ones((2, 2))}), TypeError, "weights", "list of 2-D arrays", "dict"),
    case("weights-list-of-str", lambda: bplib.Network(["a", "b"]), TypeError, "weights[0]", "2-D array of real numbers", "'a'"),
    case("weights-1d", lambda: bplib.Network([np.ones(3)]), ValueError, "weights[0]", "2-D", "(3,)"),
    case("weights-dont-chain", lambda: bplib.Network([np.ones((2, 3)), np.ones((2, 1))]), ValueError, "weights[1]", "3 rows", "(2, 1)"),
    case("weights-(3,2)-after-(2,3)", lambda: bplib.Network([np.ones((2, 3)), np.ones((2, 3)), np.ones((3, 2))]),
         ValueError, "weights[1]", "3 rows", "(2, 3)"),
    case("weights-nan", lambda: bplib.Network([with_value((2, 2), NAN)]), ValueError, "weights[0]", "finite", "NaN"),
    case("weights-inf", lambda: bplib.Network([with_value((2, 2), INF)]), ValueError, "weights[0]", "finite", "infinity"),
    case("biases-wrong-length", lambda: bplib.Network(W_OK, [np.ones(2), None]), ValueError, "biases[0]", "(3,)", "(2,)"),
    case("biases-wrong-count", lambda: bplib.Network(W_OK, [np.ones(3)]), ValueError, "biases", "2 entries", "array"),
    case("biases-nan", lambda: bplib.Network(W_OK, [with_value(3, NAN), None]), ValueError, "biases[0]", "finite", "NaN"),
    case("biases-str", lambda: bplib.Network(W_OK, "abc"), (TypeError, ValueError), "biases", "list", "'abc'"),
    case("activation-unknown", lambda: bplib.Network(W_OK, activations="softmax"), ValueError, "activation", "sigmoid", "'softmax'"),
    case("activations-wrong-count", lambda: bplib.Network(W_OK, activations=["tanh"]), ValueError, "activations", "2 names", "['tanh']"),
    case("activations-not-names", lambda: bplib.Network(W_OK, activations=[1, 2]), TypeError, "activation", "one of", "int 1"),
    case("dtype-float16", lambda: bplib.Network(W_OK, dtype=np.float16), ValueError, "dtype", "float64 or float32", "float16"),
    case("dtype-nonsense", lambda: bplib.Network(W_OK, dtype="banana"), (TypeError, ValueError), "dtype", "float64 or float32", "banana"),
]

RANDOM = [
    case("sizes-one", lambda: bplib.Network.random([2]), ValueError, "sizes", "at least two", "[2]"),
    case("sizes-str", lambda: bplib.Network.random("23"), (TypeError, ValueError), "sizes", "layer sizes", "'23'"),
    case("sizes-None", lambda: bplib.Network.random(None), (TypeError, ValueError), "sizes", "layer sizes", "None"),
    case("sizes-zero", lambda: bplib.Network.random([2, 0]), ValueError, "sizes[1]", "at least 1", "0"),
    case("sizes-float", lambda: bplib.Network.random([2, 2.5]), TypeError, "sizes[1]", "integer", "2.5"),
    case("sizes-str-entry", lambda: bplib.Network.random([2, "3"]), TypeError, "sizes[1]", "integer", "'3'"),
    case("random-activation", lambda: bplib.Network.random([2, 1], "softmax"), ValueError, "activation", "sigmoid", "'softmax'"),
    case("rng-str", lambda: bplib.Network.random([2, 1], rng="seed"), TypeError, "rng", "Generator", "'seed'"),
    case("rng-negative", lambda: bplib.Network.random([2, 1], rng=-1), (TypeError, ValueError), "rng", ">= 0", "-1"),
]

DATA = [  # forward, with X checks
    case("net-str", lambda: bplib.forward("net", X), TypeError, "net", "Network", "str"),
    case("net-None", lambda: bplib.forward(None, X), TypeError, "net", "Network", "NoneType"),
    case("X-3-columns", lambda: bplib.forward(NET, np.ones((4, 3))), ValueError, "X", "(n, 2)", "(4, 3)"),
    case("X-1d", lambda: bplib.forward(NET, np.ones(2)), ValueError, "X", "2-D", "(2,)"),
    case("X-3d", lambda: bplib.forward(NET, np.ones((1, 2, 2))), ValueError, "X", "2-D", "(1, 2, 2)"),
    case("X-empty", lambda: bplib.forward(NET, np.ones((0, 2))), ValueError, "X", "empty", "(0, 2)"),
    case("X-str", lambda: bplib.forward(NET, "abc"), TypeError, "X", "2-D array of real numbers", "str"),
    case("X-None", lambda: bplib.forward(NET, None), TypeError, "X", "2-D array of real numbers", "NoneType"),
    case("X-dict", lambda: bplib.forward(NET, {"x": 1}), TypeError, "X", "2-D array of real numbers", "dict"),
    case("X-list-of-str", lambda: bplib.forward(NET, [["a", "b"]]), TypeError, "X", "real numbers", "<U1"),
    case("X-bool", lambda: bplib.forward(NET, np.ones((1, 2), bool)), TypeError, "X", "real numbers", "bool"),
    case("X-ragged", lambda: bplib.forward(NET, [[1.0, 2.0], [3.0]]), TypeError, "X", "real numbers", "list"),
    case("X-nan", lambda: bplib.forward(NET, with_value((4, 2), NAN)), ValueError, "X", "finite", "NaN"),
    case("X-inf", lambda: bplib.forward(NET, with_value((4, 2), -INF)), ValueError, "X", "finite", "infinity"),
]

COST_ARGS = [  # backward and cost share these checks
    case("T-wrong-rows", lambda f: f(NET, X, np.ones((3, 1))), ValueError, "T", "(4, 1)", "(3, 1)"),
    case("T-wrong-cols", lambda f: f(NET, X, np.ones((4, 2))), ValueError, "T", "(4, 1)", "(4, 2)"),
    case("T-1d", lambda f: f(NET, X, np.ones(4)), ValueError, "T", "2-D", "(4,)"),
    case("T-nan", lambda f: f(NET, X, with_value((4, 1), NAN)), ValueError, "T", "finite", "NaN"),
    case("T-None", lambda f: f(NET, X, None), TypeError, "T", "real numbers", "NoneType"),
    # with T=None and a 2-row X, X's rows must not be unpacked into an input row and a target row
    case("T-None-2-rows", lambda f: f(NET, X[:2], None), TypeError, "T", "real numbers", "NoneType"),
    case("T-list-of-str", lambda f: f(NET, X, [["a"]] * 4), TypeError, "T", "real numbers", "<U1"),
    case("X-3-columns", lambda f: f(NET, np.ones((4, 3)), T), ValueError, "X", "(n, 2)", "(4, 3)"),
    case("cost-unknown", lambda f: f(NET, X, T, "cross_entropy"), ValueError, "cost", "half_sse", "'cross_entropy'"),
    case("cost-None", lambda f: f(NET, X, T, None), TypeError, "cost", "half_sse", "NoneType"),
    case("nll-tanh-output", lambda f: f(TANH_OUT, X, T, "nll"), ValueError, "nll", "sigmoid", "'tanh'"),
    case("lam-negative", lambda f: f(NET, X, T, lam=-0.1), ValueError, "lam", "0 or greater", "-0.1"),
    case("lam-nan", lambda f: f(NET, X, T, lam=NAN), ValueError, "lam", "finite", "nan"),
    case("lam-str", lambda f: f(NET, X, T, lam="0.1"), TypeError, "lam", "real number", "'0.1'"),
    case("lam-None", lambda f: f(NET, X, T, lam=None), TypeError, "lam", "real number", "None"),
]

STEP = [
    case("eta-zero", lambda: bplib.step(NET, X, T, 0), ValueError, "eta", "greater than 0", "0.0"),
    case("eta-negative", lambda: bplib.step(NET, X, T, -1.0), ValueError, "eta", "greater than 0", "-1.0"),
    case("eta-nan", lambda: bplib.step(NET, X, T, NAN), ValueError, "eta", "finite", "nan"),
    case("eta-inf", lambda: bplib.step(NET, X, T, INF), ValueError, "eta", "finite", "inf"),
    case("eta-str", lambda: bplib.step(NET, X, T, "0.1"), TypeError, "eta", "real number", "'0.1'"),
    case("eta-None", lambda: bplib.step(NET, X, T, None), TypeError, "eta", "real number", "None"),
    case("eta-list", lambda: bplib.step(NET, X, T, [0.1]), TypeError, "eta", "real number", "[0.1]"),
    case("order-unknown", lambda: bplib.step(NET, X, T, 0.1, order="backwards"), ValueError, "order", "simultaneous", "'backwards'"),
    case("order-None", lambda: bplib.step(NET, X, T, 0.1, order=None), TypeError, "order", "layerwise", "NoneType"),
    case("step-lam-negative", lambda: bplib.step(NET, X, T, 0.1, lam=-1), ValueError, "lam", "0 or greater", "-1"),
    case("step-cost-unknown", lambda: bplib.step(NET, X, T, 0.1, cost="hinge"), ValueError, "cost", "nll", "'hinge'"),
    case("step-nll-tanh", lambda: bplib.step(TANH_OUT, X, T, 0.1, cost="nll"), ValueError, "nll", "sigmoid", "'tanh'"),
    case("step-X-1d", lambda: bplib.step(NET, np.ones(2), T, 0.1), ValueError, "X", "2-D", "(2,)"),
    case("step-T-None", lambda: bplib.step(NET, X, None, 0.1), TypeError, "T", "real numbers", "NoneType"),
    case("step-net-dict", lambda: bplib.step({}, X, T, 0.1), TypeError, "net", "Network", "dict"),
]

UPDATE = [
    case("dW-(3,2)-for-(2,3)", lambda: bplib.update(NET, [np.ones((3, 2)), G.dW[1]], G.db, 0.1), ValueError, "dW[0]", "(2, 3)", "(3, 2)"),
    case("dW-str", lambda: bplib.update(NET, "abc", G.db, 0.1), (TypeError, ValueError), "dW", "list of 2 arrays", "str"),
    case("dW-None", lambda: bplib.update(NET, None, G.db, 0.1), (TypeError, ValueError), "dW", "list of 2 arrays", "NoneType"),
    case("dW-too-few", lambda: bplib.update(NET, [G.dW[0]], G.db, 0.1), ValueError, "dW", "list of 2 arrays", "1"),
    case("dW-nan", lambda: bplib.update(NET, [with_value((2, 3), NAN), G.dW[1]], G.db, 0.1), ValueError, "dW[0]", "finite", "NaN"),
    case("dW-list-of-str", lambda: bplib.update(NET, ["a", "b"], G.db, 0.1), TypeError, "dW[0]", "real numbers", "'a'"),
    case("db-wrong-length", lambda: bplib.update(NET, G.dW, [np.ones(2), G.db[1]], 0.1), ValueError, "db[0]", "(3,)", "(2,)"),
    case("db-too-few", lambda: bplib.update(NET, G.dW, [G.db[0]], 0.1), (TypeError, ValueError), "db", "2", "1"),
    case("db-int", lambda: bplib.update(NET, G.dW, 5, 0.1), (TypeError, ValueError), "db", "list", "5"),
    case("update-eta-zero", lambda: bplib.update(NET, G.dW, G.db, 0.0), ValueError, "eta", "greater than 0", "0.0"),
    case("update-eta-nan", lambda: bplib.update(NET, G.dW, G.db, NAN), ValueError, "eta", "finite", "nan"),
    case("update-net-str", lambda: bplib.update("net", G.dW, G.db, 0.1), TypeError, "net", "Network", "str"),
]

TRAIN = [
    case("batch_size-zero", lambda: bplib.train(NET, X, T, 0.1, batch_size=0), ValueError, "batch_size", "at least 1", "0"),
    case("batch_size-too-big", lambda: bplib.train(NET, X, T, 0.1, batch_size=5), ValueError, "batch_size", "at most", "(4)", "5"),
    case("batch_size-float", lambda: bplib.train(NET, X, T, 0.1, batch_size=1.5), TypeError, "batch_size", "integer", "1.5"),
    case("epochs-negative", lambda: bplib.train(NET, X, T, 0.1, epochs=-1), ValueError, "epochs", "at least 0", "-1"),
    case("epochs-float", lambda: bplib.train(NET, X, T, 0.1, epochs=2.0), TypeError, "epochs", "integer", "2.0"),
    case("epochs-str", lambda: bplib.train(NET, X, T, 0.1, epochs="3"), TypeError, "epochs", "integer", "'3'"),
    case("train-eta-zero", lambda: bplib.train(NET, X, T, 0), ValueError, "eta", "greater than 0", "0.0"),
    case("train-eta-nan", lambda: bplib.train(NET, X, T, NAN), ValueError, "eta", "finite", "nan"),
    case("train-lam-negative", lambda: bplib.train(NET, X, T, 0.1, lam=-1), ValueError, "lam", "0 or greater", "-1"),
    case("train-order", lambda: bplib.train(NET, X, T, 0.1, order="random"), ValueError, "order", "layerwise", "'random'"),
    case("train-cost", lambda: bplib.train(NET, X, T, 0.1, cost="l1"), ValueError, "cost", "mse", "'l1'"),
    case("train-nll-tanh", lambda: bplib.train(TANH_OUT, X, T, 0.1, cost="nll"), ValueError, "nll", "sigmoid", "'tanh'"),
    case("train-rng", lambda: bplib.train(NET, X, T, 0.1, rng="seed"), TypeError, "rng", "Generator", "'seed'"),
    case("train-X-1d", lambda: bplib.train(NET, np.ones(2), T, 0.1), ValueError, "X", "2-D", "(2,)"),
    case("train-T-rows", lambda: bplib.train(NET, X, np.ones((5, 1)), 0.1), ValueError, "T", "(4, 1)", "(5, 1)"),
    case("train-T-None", lambda: bplib.train(NET, X, None, 0.1), TypeError, "T", "real numbers", "NoneType"),
    case("train-X-nan", lambda: bplib.train(NET, with_value((4, 2), NAN), T, 0.1), ValueError, "X", "finite", "NaN"),
]

GRADCHECK = [
    case("eps-zero", lambda: bplib.gradcheck(NET, X, T, eps=0), ValueError, "eps", "greater than 0", "0.0"),
    case("eps-negative", lambda: bplib.gradcheck(NET, X, T, eps=-1e-6), ValueError, "eps", "greater than 0", "-1e-06"),
    case("eps-str", lambda: bplib.gradcheck(NET, X, T, eps="small"), TypeError, "eps", "real number", "'small'"),
    case("gradcheck-X", lambda: bplib.gradcheck(NET, np.ones((4, 3)), T), ValueError, "X", "(n, 2)", "(4, 3)"),
    case("gradcheck-T-nan", lambda: bplib.gradcheck(NET, X, with_value((4, 1), NAN)), ValueError, "T", "finite", "NaN"),
    case("gradcheck-T-None", lambda: bplib.gradcheck(NET, X, None), TypeError, "T", "real numbers", "NoneType"),
    case("gradcheck-cost", lambda: bplib.gradcheck(NET, X, T, cost="l1"), ValueError, "cost", "half_sse", "'l1'"),
    case("gradcheck-nll-tanh", lambda: bplib.gradcheck(TANH_OUT, X, T, cost="nll"), ValueError, "nll", "sigmoid", "'tanh'"),
    case("gradcheck-lam", lambda: bplib.gradcheck(NET, X, T, lam=-0.5), ValueError, "lam", "0 or greater", "-0.5"),
    case("gradcheck-net", lambda: bplib.gradcheck(None, X, T), TypeError, "net", "Network", "NoneType"),
]

SEARCH = [
    case("rounds-negative", lambda: random_perturbation(NET, X, T, -1), ValueError, "rounds", "at least 0", "-1"),
    case("rounds-float", lambda: random_perturbation(NET, X, T, 2.5), TypeError, "rounds", "integer", "2.5"),
    case("trials-zero", lambda: random_perturbation(NET, X, T, 1, trials_per_example=0), ValueError, "trials_per_example", "at least 1", "0"),
    case("step-zero", lambda: random_perturbation(NET, X, T, 1, step=0), ValueError, "step", "greater than 0", "0.0"),
    case("step-nan", lambda: random_perturbation(NET, X, T, 1, step=NAN), ValueError, "step", "finite", "nan"),
    case("search-cost", lambda: random_perturbation(NET, X, T, 1, cost="l1"), ValueError, "cost", "half_sse", "'l1'"),
    case("search-nll-tanh", lambda: random_perturbation(TANH_OUT, X, T, 1, cost="nll"), ValueError, "nll", "sigmoid", "'tanh'"),
    case("search-X", lambda: random_perturbation(NET, np.ones((4, 3)), T, 1), ValueError, "X", "(n, 2)", "(4, 3)"),
    case("search-T-inf", lambda: random_perturbation(NET, X, with_value((4, 1), INF), 1), ValueError, "T", "finite", "infinity"),
    case("search-T-None", lambda: random_perturbation(NET, X, None, 1), TypeError, "T", "real numbers", "NoneType"),
    case("search-rng", lambda: random_perturbation(NET, X, T, 1, rng=1.5), TypeError, "rng", "Generator", "1.5"),
    case("search-net", lambda: random_perturbation([np.ones((2, 1))], X, T, 1), TypeError, "net", "Network", "list"),
]

GET = [
    case("get-unknown", lambda: activations.get("softmax"), ValueError, "activation", "relu", "'softmax'"),
    case("get-None", lambda: activations.get(None), TypeError, "activation", "sigmoid", "NoneType"),
    case("get-int", lambda: activations.get(3), TypeError, "activation", "tanh", "int 3"),
]


def check(call, error, words):
    with pytest.raises(error, match=re.escape(words[0])) as info:
        call()
    message = str(info.value)
    missing = [w for w in words if w not in message]
    assert not missing, f"message {message!r}: expected it to contain {missing} (argument, expected, received)"


@pytest.mark.parametrize("call, error, words", NETWORK + RANDOM + DATA + STEP + UPDATE + TRAIN + GRADCHECK + SEARCH + GET)
def test_bad_input_is_explained(call, error, words):
    check(call, error, words)


@pytest.mark.parametrize("function", [bplib.backward, bplib.cost], ids=["backward", "cost"])
@pytest.mark.parametrize("call, error, words", COST_ARGS)
def test_bad_cost_arguments_are_explained(function, call, error, words):
    check(lambda: call(function), error, words)


def test_good_input_passes_the_same_checks():
    # the fixtures above are valid, so each failure in the tables is caused by the one bad argument
    bplib.forward(NET, X)
    bplib.cost(NET, X, T, "nll", lam=0.1)
    bplib.update(NET, G.dW, G.db, 0.1)
    bplib.train(NET, X, T, 0.1, epochs=1, batch_size=4)
    bplib.gradcheck(NET, X, T)
    random_perturbation(NET, X, T, 1)
    bplib.Network(W_OK, [np.ones(3), None], ["tanh", "sigmoid"], dtype=np.float32)
