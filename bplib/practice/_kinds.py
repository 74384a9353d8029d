"""The four kinds of practice problem: which network, which values may be drawn, what is asked.

Each kind is one of the book's hand calculations with fresh numbers, asked as its exercise asks:

- ``example2``: the lecture's Example 2 (exercise 2): the 2-2-1 sigmoid network A, B -> Top,
  Bottom -> Final; the forward pass, one step in the drawn order and the second forward pass, to 4
  decimals (`bplib.examples.SLIDE_QUANTITIES`).
- ``example3``: the lecture's Example 3 (exercise 3, "one step, two ways"): the same 2-2-1 network
  with a larger learning rate; everything of ``example2`` in the slides' order, then the hidden
  errors and hidden weights again as the true gradient (columns ``true_delta_top``, ...).
- ``example1``: the 2-3-2 network of Example 1 with numbers (exercise 1): the five unit outputs,
  the five errors and the twelve new weights, to 4 decimals.
- ``three_layer``: the 2-2-2-1 network of exercise 5: the outputs, errors and new weights through
  two hidden layers, to 5 decimals.

The lecture's Example 3 is a 2-2-1 sigmoid network like Example 2 (``bplib.examples.example3``);
what sets it apart is a learning rate large enough for the two update orders to disagree.

Values are "nice", as on the slides: weights with one decimal, inputs with one or two, targets
with at most one, learning rates from a short list.
"""
import functools
from typing import NamedTuple

from ..checks import expressions
from ..examples import SLIDE_QUANTITIES

ORDER_WORDS = {"layerwise": "the slides' order (update the output weights first, then send each error back "
                            "through the weights just UPDATED, layer by layer)",
               "simultaneous": "the true gradient (send every error back through the OLD weights, the ones the "
                               "forward pass used, then update every weight)"}


def _grid(first, last, step):
    """first, first + step, ..., last, as floats with no binary noise (0.1 * 3 is 0.30000000000000004)."""
    n = round((last - first) / step)
    return tuple(round(first + k * step, 2) for k in range(n + 1))


POSITIVE_WEIGHTS = _grid(0.1, 0.9, 0.1)                                          # as in Examples 2 and 3
SIGNED_WEIGHTS = tuple(w for w in _grid(-0.9, 0.9, 0.1) if w != 0)               # as in exercises 1 and 5
TWO_DECIMAL_INPUTS = _grid(0.05, 0.95, 0.05)                                     # 0.35, 0.9, 0.1, 0.7 on the slides
ONE_DECIMAL_INPUTS = _grid(0.1, 1.0, 0.1)


PART_TITLES = {"layerwise": "one step in the slides' order", "simultaneous": "one step of the true gradient"}


class Part(NamedTuple):
    """A group of asked numbers judged in one update order: ``prefix`` starts their column names."""
    title: str
    order: str
    keys: tuple
    prefix: str = ""


class Kind(NamedTuple):
    name: str
    title: str                 # as a heading: "Like Example 2: one step of a 2-2-1 network"
    exercise: str              # the exercise it repeats, as a link target
    layers: tuple              # unit names per layer, input first (bplib.checks.expressions' structure)
    decimals: int              # the precision asked
    weights: tuple             # the values a weight is drawn from
    inputs: tuple
    targets: tuple
    etas: tuple
    orders: tuple              # the orders drawn from; ("both",) asks both, as exercise 3 does

    def parts(self, order):
        """The asked numbers of a problem of this kind in ``order``, as a tuple of `Part`."""
        if order == "both":
            hidden = _keys(self.layers, "simultaneous", hidden_only=True)
            return (Part(PART_TITLES["layerwise"], "layerwise", SLIDE_QUANTITIES),
                    Part("the hidden part again, as the true gradient", "simultaneous", hidden, "true_"))
        keys = SLIDE_QUANTITIES if self.name == "example2" else _keys(self.layers, order)
        return (Part(PART_TITLES[order], order, tuple(keys)),)

    def columns(self, order):
        """Column names of every asked number, in the order the worksheet lists them."""
        return [p.prefix + k for p in self.parts(order) for k in p.keys]


@functools.lru_cache(maxsize=None)
def _keys(layers, order, hidden_only=False):
    """The exercises' asked numbers: unit outputs of the first pass, then every error and new weight
    (exercises 1 and 5 ask no z); ``hidden_only``: the errors and weights below the output layer."""
    found = expressions.all_expressions([list(layer) for layer in layers], order)
    if hidden_only:
        output_weights = {f"{expressions.weight_key(a, b)}_new" for a in layers[-2] for b in layers[-1]}
        return tuple(e.key for e in found if e.kind == "delta_hidden"
                     or (e.kind == "weight" and e.key not in output_weights))
    return tuple(e.key for e in found if e.kind != "z" and not e.key.endswith("_2"))


TWO_TWO_ONE = (("A", "B"), ("Top", "Bottom"), ("Final",))

KINDS = {
    "example2": Kind("example2", "Like Example 2: one step of a 2-2-1 network", "ex2_example2.ipynb", TWO_TWO_ONE, 4,
                     POSITIVE_WEIGHTS, TWO_DECIMAL_INPUTS, _grid(0.1, 0.9, 0.1), (0.5, 1.0, 2.0),
                     ("layerwise", "simultaneous")),
    "example3": Kind("example3", "Like Example 3: one step, two ways", "ex3_example3.ipynb", TWO_TWO_ONE, 4,
                     POSITIVE_WEIGHTS, TWO_DECIMAL_INPUTS, (0.0, 1.0), (1.0, 2.0, 3.0), ("both",)),
    "example1": Kind("example1", "Like Example 1, with numbers: a 2-3-2 network", "ex1_example1.ipynb",
                     ((r"\lambda", r"\Omega"), ("A", "B", "C"), (r"\alpha", r"\beta")), 4,
                     SIGNED_WEIGHTS, ONE_DECIMAL_INPUTS, (0.0, 1.0), (0.25, 0.5, 1.0), ("layerwise", "simultaneous")),
    "three_layer": Kind("three_layer", "Two hidden layers: a 2-2-2-1 network", "ex5_three_layer.ipynb",
                        (("A", "B"), ("P", "Q"), ("R", "S"), ("F",)), 5,
                        SIGNED_WEIGHTS, ONE_DECIMAL_INPUTS, (0.0, 1.0), (0.5, 1.0, 2.0), ("layerwise", "simultaneous")),
}
