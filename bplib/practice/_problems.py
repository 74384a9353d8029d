"""Fresh practice problems drawn from a seed, kept only when they are fit to be worked by hand.

`draw` (``bplib.practice.problem``) draws weights, inputs, targets, learning rate and update
order for one of the `bplib.practice._kinds` with ``numpy.random.default_rng(seed)``, and redraws
(at most `MAX_DRAWS` times, from the same generator, so a seed always gives the same problem)
until none of these is true:

- **a saturated unit**: a unit's input ``|z|`` above `Z_LIMIT` = 2.5 in either forward pass. There
  sigma'(z) = y(1 - y) falls below 0.07, under a third of its largest value 1/4, and the unit's
  error is mostly the rounding of y: an answer off by one digit of y is off by far more in delta;
- **a number that rounds to zero** at the asked precision (a delta of 0.00004 asked to 4
  decimals cannot be told from 0, nor its sign checked), or **a new weight that rounds to the old
  one** (the update would be invisible);
- **a tie**: two asked numbers equal at the asked precision, so that one written in the other's
  place could not be told;
- **orders that agree**: the slides' order and the true gradient give the same value, at the asked
  precision, for every asked number, so the order asked for would not matter.

The chapter that derives each rule's arithmetic is chapter 8 (the algorithm) and chapter 9 (the
two update orders); `bplib.practice._values` names the numbers `bplib.step` computes, and
`bplib.checks` judges a student's.
"""
import dataclasses
import functools
import hashlib
import unicodedata
from collections.abc import Mapping

import numpy as np

from .. import _validate
from .._validate import count, declare, one_of
from ..checks import Feedback, Line, check, reference
from ..checks.expressions import weight_key
from ..network import Network
from . import _values
from ._kinds import KINDS, ORDER_WORDS

Z_LIMIT = 2.5      # largest |z| of any unit: sigma'(2.5) = 0.070
MAX_DRAWS = 1000   # tests/test_practice.py measures how many draws a problem needs (a handful)
MAX_SEED = 2 ** 32 - 1  # what seed_for gives: 4 bytes of SHA-256


def seed_for(student_id):
    """A student's seed: the first 4 bytes of SHA-256 of their ID (text, spaces around it removed,
    Unicode NFC), read as a big-endian unsigned integer (0 to 4,294,967,295).

    Stable across machines, Python versions and processes (Python's ``hash`` of a text is not).
    """
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError(f"student_id must be a non-empty text; received {_validate.describe(student_id)}")
    text = unicodedata.normalize("NFC", student_id.strip())
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")


@dataclasses.dataclass(frozen=True)
class KeyEntry:
    """One asked number of the answer key: its column, quantity, exact value and the value to write."""
    column: str
    quantity: str
    part: int
    exact: float
    rounded: str


@dataclasses.dataclass(frozen=True)
class Problem:
    """One drawn problem. ``values[order]`` holds every quantity of the step in that order."""
    kind: object
    seed: int
    order: str                 # "layerwise", "simultaneous", or "both" (example3)
    weights: tuple             # weights[l][i][j], unit i of layer l to unit j of layer l + 1
    x: tuple
    t: tuple
    eta: float
    values: dict
    draws: int                 # how many candidates were drawn before this valid one

    @property
    def parts(self):
        return self.kind.parts(self.order)

    @property
    def decimals(self):
        return self.kind.decimals

    @property
    def columns(self):
        return self.kind.columns(self.order)

    def key(self):
        """The answer key: a `KeyEntry` for every asked number, in worksheet order."""
        return [KeyEntry(p.prefix + k, k, n, self.values[p.order][k], f"{self.values[p.order][k]:.{self.decimals}f}")
                for n, p in enumerate(self.parts) for k in p.keys]

    def net(self):
        """The problem's network as a `bplib.Network` (sigmoid units, no biases)."""
        return Network([np.array(W, dtype=float) for W in self.weights])

    @functools.cached_property
    def references(self):
        """One `bplib.checks.reference` per part, as the exercises' check cells make them."""
        x, t, net = np.array([self.x]), np.array([self.t]), self.net()
        return [reference([list(layer) for layer in self.kind.layers], net, x, t, self.eta, order=p.order,
                          keys=list(p.keys), decimals=self.decimals, title=f"{self.kind.title} (seed {self.seed}): "
                          f"{p.title}") for p in self.parts]

    def check(self, answers):
        """Feedback on a student's ``answers`` (a dict from column names to numbers), one `Feedback` per
        part, from the same checker as the exercises. A missing column is not answered yet; anything
        that is not a dict gets a line saying what is expected. Never raises."""
        if not isinstance(answers, Mapping):
            return [Feedback(self.kind.title, [Line("answers", "unreadable", f"answers must be a dict from "
                                                    f"quantity names to numbers; received a {type(answers).__name__}")])]
        return [check({k: answers.get(p.prefix + k, ...) for k in p.keys}, ref)
                for p, ref in zip(self.parts, self.references)]

    def verdicts(self, answers):
        """Column -> one word or two per asked number: ``correct``, a recognised slip's name (``sign_delta``,
        ``updated_weights``, ...), ``follows <earlier number>``, ``too coarse``, ``wrong``,
        ``not answered`` or ``unreadable``."""
        out = {}
        for p, feedback in zip(self.parts, self.check(answers)):
            for line in feedback.lines:
                if line.key in p.keys:
                    out[p.prefix + line.key] = verdict(line)
        return {c: out.get(c, "unreadable") for c in self.columns}

    def describe_order(self):
        if self.order == "both":
            return ORDER_WORDS["layerwise"]
        return ORDER_WORDS[self.order]


def verdict(line):
    """A gradebook's word for one checker `Line`."""
    if line.status == "wrong":
        return line.mistake or "wrong"
    if line.status == "follows":
        return f"follows {line.root}".strip()
    return {"coarse": "too coarse", "missing": "not answered"}.get(line.status, line.status)


@declare(kind=one_of(*KINDS), seed=count(minimum=0, maximum=MAX_SEED))
def draw(kind, seed):
    """A valid problem of ``kind`` (a name of `bplib.practice.KINDS`) from ``seed`` (an integer >= 0)."""
    spec = KINDS[kind]
    rng = np.random.default_rng(seed)
    sizes = [len(layer) for layer in spec.layers]
    pick = lambda options, size: [float(v) for v in rng.choice(options, size=size)]  # noqa: E731
    for n in range(1, MAX_DRAWS + 1):
        weights = tuple(tuple(tuple(pick(spec.weights, b)) for _ in range(a)) for a, b in zip(sizes, sizes[1:]))
        x, t = tuple(pick(spec.inputs, sizes[0])), tuple(pick(spec.targets, sizes[-1]))
        eta, order = pick(spec.etas, 1)[0], str(rng.choice(spec.orders))
        values = {o: _values.named_values(spec.layers, weights, x, t, eta, o) for o in _values.ORDERS}
        problem = Problem(spec, seed, order, weights, x, t, eta, values, n)
        if not flaws(problem):
            return problem
    raise RuntimeError(f"no valid {kind} problem in {MAX_DRAWS} draws from seed {seed}")  # never seen in tests


def flaws(problem):
    """Why ``problem`` is unfit to be worked by hand (the module's four rules); empty when it is fit."""
    d, found = problem.decimals, []
    shown = lambda v: f"{v:.{d}f}".replace("-0." + "0" * d, "0." + "0" * d)  # noqa: E731  (-0.0000 is 0.0000)
    for o, values in problem.values.items():
        big = [k for k, v in values.items() if k.startswith("z_") and abs(v) > Z_LIMIT]
        if big:
            found.append(f"saturated in the {o} order: {big}")
    old = _old_weights(problem)
    for p in problem.parts:
        values = problem.values[p.order]
        rounded = {k: shown(values[k]) for k in p.keys}
        found += [f"{k} rounds to zero" for k, r in rounded.items() if float(r) == 0]
        found += [f"{k} rounds to the old weight" for k in p.keys
                  if k in old and float(rounded[k]) == old[k]]
        if len(set(rounded.values())) < len(rounded):
            found.append(f"a tie among {sorted(rounded.values())}")
    other = {"layerwise": "simultaneous", "simultaneous": "layerwise"}
    if not any(shown(problem.values[p.order][k]) != shown(problem.values[other[p.order]][k])
               for p in problem.parts for k in p.keys):
        found.append("the two orders agree on every asked number")
    return found


def _old_weights(problem):
    """New weight's name (``w_AT_new``) -> the weight's old value."""
    layers = problem.kind.layers
    return {f"{weight_key(a, b)}_new": problem.weights[l][i][j]
            for l in range(len(layers) - 1) for i, a in enumerate(layers[l]) for j, b in enumerate(layers[l + 1])}
