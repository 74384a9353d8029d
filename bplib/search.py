"""The lecture's "very inefficient" learner: random perturbation of one weight at a time (chapter 3).

1. pick a training example at random; 2. measure its error;
3. pick one connection at random and nudge its weight; 4. keep the nudge only if the error fell;
5. repeat from 3 many times; 6. repeat from 1 many times.

Every error measurement is a forward pass, and this learner needs one for every trial; the
count is what chapter 3 compares with gradient descent.
"""
from typing import NamedTuple

import numpy as np

from .backprop import DATA, cost as cost_of
from ._validate import POSITIVE, SEED, count, declare


class SearchHistory(NamedTuple):
    """``forward_passes[s]`` passes had been made when the full-data cost was ``costs[s]``."""
    forward_passes: list
    costs: list


@declare(**DATA, rounds=count(minimum=0), trials_per_example=count(), step=POSITIVE, rng=SEED)
def random_perturbation(net, X, T, rounds, trials_per_example=20, step=0.1, cost="half_sse", rng=None):
    """Run the six steps for ``rounds`` examples of ``trials_per_example`` nudges each.

    A nudge adds a normal number of standard deviation ``step`` to one randomly chosen weight or
    bias. Returns ``(net, history)``; the full-data cost is recorded after each round (those
    evaluations are for the plot and are not counted as the learner's forward passes).
    """
    net = net.copy()
    params = net.weights + [b for b in net.biases if b is not None]
    ends = np.cumsum([p.size for p in params])  # parameter k lives in params[searchsorted(ends, k)]

    def error(x, t):
        """Average cost per example over the rows of x."""
        return cost_of.unchecked(net, x, t, cost, average=True)

    history = SearchHistory([0], [error(X, T)])
    for _ in range(rounds):
        k = rng.integers(len(X))                           # step 1
        x, t = X[k:k + 1], T[k:k + 1]
        best = error(x, t)                                 # step 2
        for _ in range(trials_per_example):                # step 5
            k = int(rng.integers(ends[-1]))                # step 3: every connection equally likely
            which = int(np.searchsorted(ends, k, side="right"))
            p, index = params[which], k - (ends[which] - params[which].size)
            saved = p.flat[index]
            p.flat[index] = saved + step * rng.standard_normal()
            trial = error(x, t)
            if trial < best:                               # step 4: keep it
                best = trial
            else:
                p.flat[index] = saved
        # one forward pass for step 2 and one for each trial
        history.forward_passes.append(history.forward_passes[-1] + 1 + trials_per_example)
        history.costs.append(error(X, T))
    return net, history
