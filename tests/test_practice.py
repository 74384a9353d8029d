"""The practice generator (bplib.practice): valid, non-degenerate problems whose keys are right.

Every rule of a valid problem is checked here on its own, from a hand-written step of
backpropagation (plain Python loops with math.exp over lists, sharing no code with bplib), not by
calling the generator's own checks; the keys are compared with that step and with bplib.step in
both orders. Grading goes through bplib.checks, as in the exercises.
"""
import hashlib
import math
import time

import numpy as np
import pytest

import bplib
from bplib import practice

SEEDS = range(1000)
Z_LIMIT = 2.5   # the saturation threshold the generator documents: sigma'(2.5) = 0.070
EXPECTED_DECIMALS = {"example2": 4, "example3": 4, "example1": 4, "three_layer": 5}

# Names as the exercises write them, per kind: units (as in z_top, delta_alpha) and weights.
UNITS = {"example2": [["A", "B"], ["top", "bottom"], ["final"]],
         "example3": [["A", "B"], ["top", "bottom"], ["final"]],
         "example1": [["lambda", "Omega"], ["A", "B", "C"], ["alpha", "beta"]],
         "three_layer": [["A", "B"], ["P", "Q"], ["R", "S"], ["F"]]}


def weight_name(kind, a, b):
    if kind in ("example2", "example3"):
        return f"w_{a[0].upper()}{b[0].upper()}"
    return f"w_{a}_{b}" if kind == "example1" else f"w_{a}{b}"


def hand_step(W, x, t, eta, order, slip=None):
    """One step by hand: W[l][i][j] from unit i of layer l to unit j of layer l + 1. ``slip`` is a
    student's mistake: "sign" (output delta without its minus), "no_derivative" (output delta without
    y(1 - y)), or the other order's hidden errors ("wrong_order")."""
    def forward(weights):
        zs, ys, a = [], [list(x)], list(x)
        for M in weights:
            z = []
            for j in range(len(M[0])):
                s = 0.0
                for i in range(len(M)):
                    s += a[i] * M[i][j]
                z.append(s)
            a = [1.0 / (1.0 + math.exp(-v)) for v in z]
            zs.append(z)
            ys.append(a)
        return zs, ys

    zs, ys = forward(W)
    L = len(W)
    deltas, new = [None] * L, [None] * L
    out = []
    for y, target in zip(ys[L], t):
        d = -y * (1 - y) * (target - y)
        if slip == "sign":
            d = y * (1 - y) * (target - y)
        if slip == "no_derivative":
            d = -(target - y)
        out.append(d)
    deltas[L - 1] = out
    through_new = (order == "layerwise") != (slip == "wrong_order")
    for l in range(L - 1, -1, -1):
        new[l] = [[W[l][i][j] - eta * deltas[l][j] * ys[l][i] for j in range(len(W[l][0]))] for i in range(len(W[l]))]
        if l > 0:
            M = new[l] if through_new else W[l]
            deltas[l - 1] = []
            for i in range(len(M)):
                back = 0.0
                for j in range(len(M[0])):
                    back += M[i][j] * deltas[l][j]
                deltas[l - 1].append(ys[l][i] * (1 - ys[l][i]) * back)
    zs2, ys2 = forward(new)
    return zs, ys, deltas, new, zs2, ys2


def named(kind, W, x, t, eta, order, slip=None):
    zs, ys, deltas, new, zs2, ys2 = hand_step(W, x, t, eta, order, slip)
    units, v = UNITS[kind], {}
    for l, layer in enumerate(units[1:]):
        for j, u in enumerate(layer):
            v[f"z_{u}"], v[f"y_{u}"], v[f"delta_{u}"] = zs[l][j], ys[l + 1][j], deltas[l][j]
            v[f"z_{u}_2"], v[f"y_{u}_2"] = zs2[l][j], ys2[l + 1][j]
    for l in range(len(units) - 1):
        for i, a in enumerate(units[l]):
            for j, b in enumerate(units[l + 1]):
                v[weight_name(kind, a, b) + "_new"] = new[l][i][j]
                v[weight_name(kind, a, b)] = W[l][i][j]
    return v, zs + zs2


def fmt(v, d):
    s = f"{v:.{d}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def problems(kind):
    return [practice.problem(kind, seed) for seed in SEEDS]


@pytest.fixture(scope="module", params=list(practice.KINDS))
def drawn(request):
    start = time.perf_counter()
    found = problems(request.param)
    return request.param, found, time.perf_counter() - start


def test_kinds_are_the_four_of_the_brief():
    assert set(practice.KINDS) == {"example2", "example3", "example1", "three_layer"}


def test_thousand_seeds_valid_and_fast(drawn):
    kind, found, seconds = drawn
    assert seconds < 20, f"{kind}: 1,000 problems took {seconds:.1f} s"   # about 1 s on an idle core
    assert max(p.draws for p in found) < 50        # far from the bound of practice.MAX_DRAWS
    orders = {p.order for p in found}
    assert orders == ({"both"} if kind == "example3" else {"layerwise", "simultaneous"}), orders
    for p in found:
        d = p.decimals
        assert d == EXPECTED_DECIMALS[kind]
        # nice values: one-decimal weights, inputs on a 0.05 grid, targets with one decimal at most
        flat = [w for layer in p.weights for row in layer for w in row]
        assert all(w != 0 and abs(w) <= 0.9 and abs(w * 10 - round(w * 10)) < 1e-9 for w in flat), p.weights
        assert all(0 < v <= 1 and abs(v * 20 - round(v * 20)) < 1e-9 for v in p.x), p.x
        assert all(0 <= v <= 1 and abs(v * 10 - round(v * 10)) < 1e-9 for v in p.t), p.t
        assert p.eta in (0.25, 0.5, 1.0, 2.0, 3.0)
        by_order, all_z = {}, []
        for order in ("layerwise", "simultaneous"):
            by_order[order], zs = named(kind, p.weights, p.x, p.t, p.eta, order)
            all_z += [z for layer in zs for z in layer]
        # no saturated unit, in either pass or order
        assert max(abs(z) for z in all_z) <= Z_LIMIT, (kind, p.seed)
        differ = False
        for part in p.parts:
            values, other = by_order[part.order], by_order["simultaneous" if part.order == "layerwise" else "layerwise"]
            shown = [fmt(values[k], d) for k in part.keys]
            # nothing rounds to zero, no update rounds to the old weight, no ties
            assert all(float(s) != 0 for s in shown), (kind, p.seed, shown)
            assert all(float(fmt(values[k], d)) != values[k[:-4]] for k in part.keys if k.endswith("_new")), (kind, p.seed)
            assert len(set(shown)) == len(shown), (kind, p.seed, sorted(shown))
            differ = differ or any(fmt(values[k], d) != fmt(other[k], d) for k in part.keys)
        # the order matters somewhere at the asked precision
        assert differ, (kind, p.seed)


def test_keys_agree_with_hand_reference_and_bplib_step(drawn):
    kind, found, _ = drawn
    for p in found:
        key = {e.column: e for e in p.key()}
        assert list(key) == p.columns
        for part in p.parts:
            values, _ = named(kind, p.weights, p.x, p.t, p.eta, part.order)
            for k in part.keys:
                e = key[part.prefix + k]
                assert abs(e.exact - values[k]) < 1e-12, (kind, p.seed, k, e.exact, values[k])
                assert e.rounded == f"{values[k]:.{p.decimals}f}"
        net, x, t = p.net(), np.array([p.x]), np.array([p.t])
        for order in ("layerwise", "simultaneous"):
            new, record = bplib.step(net, x, t, p.eta, order=order, average=False)
            second = bplib.forward(new, x)
            v = p.values[order]
            units = UNITS[kind]
            for l, layer in enumerate(units[1:]):
                for j, u in enumerate(layer):
                    assert abs(v[f"delta_{u}"] - record.deltas[l][0, j]) < 1e-12
                    assert abs(v[f"y_{u}"] - record.ys[l + 1][0, j]) < 1e-12
                    assert abs(v[f"z_{u}_2"] - second.zs[l][0, j]) < 1e-12
                    assert abs(v[f"y_{u}_2"] - second.ys[l + 1][0, j]) < 1e-12
            for l in range(len(units) - 1):
                for i, a in enumerate(units[l]):
                    for j, b in enumerate(units[l + 1]):
                        assert abs(v[weight_name(kind, a, b) + "_new"] - new.weights[l][i, j]) < 1e-12


def test_same_seed_same_problem_and_seeds_differ():
    a, b = practice.problem("example1", 123), practice.problem("example1", 123)
    assert (a.weights, a.x, a.t, a.eta, a.order) == (b.weights, b.x, b.t, b.eta, b.order)
    assert len({practice.problem("example2", s).weights for s in range(20)}) == 20


def test_seed_from_student_id_is_sha256():
    for sid in ["S001", "  S001 ", "zoë-42", "40012345"]:
        digest = hashlib.sha256(sid.strip().encode("utf-8")).hexdigest()
        assert practice.seed_for(sid) == int(digest[:8], 16)
    assert practice.seed_for("S001") == practice.seed_for(" S001")
    assert practice.seed_for("S001") != practice.seed_for("S002")
    for bad in ["", "   ", None, 17]:
        with pytest.raises(ValueError, match="student_id"):
            practice.seed_for(bad)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="kind must be one of"):
        practice.problem("example4", 1)
    with pytest.raises(ValueError, match="seed"):
        practice.problem("example2", -1)
    with pytest.raises(TypeError, match="seed"):
        practice.problem("example2", 1.5)


GRADED = [(kind, seed) for kind in practice.KINDS for seed in range(6)]


@pytest.mark.parametrize("kind, seed", GRADED)
def test_right_answers_typed_by_a_student_are_all_correct(kind, seed):
    p = practice.problem(kind, seed)
    typed = {e.column: float(e.rounded) for e in p.key()}   # 0.4750 typed arrives as 0.475
    verdicts = p.verdicts(typed)
    assert set(verdicts.values()) == {"correct"}, {c: v for c, v in verdicts.items() if v != "correct"}
    assert all(f.all_correct for f in p.check(typed))


def first_changed(p, part, slipped, d):
    """The first asked quantity of ``part`` (graph order) whose slipped value reads differently."""
    right, _ = named(p.kind.name, p.weights, p.x, p.t, p.eta, part.order)
    return next(k for k in part.keys if fmt(right[k], d) != fmt(slipped[k], d))


@pytest.mark.parametrize("kind, seed", GRADED)
@pytest.mark.parametrize("slip, name", [("sign", "sign_delta"), ("no_derivative", "no_derivative_output"),
                                        ("wrong_order", None)])
def test_hand_made_slips_are_named(kind, seed, slip, name):
    p = practice.problem(kind, seed)
    part = p.parts[-1]                                      # for example3: part 4, the true gradient
    slipped, _ = named(kind, p.weights, p.x, p.t, p.eta, part.order, slip)
    answers = {e.column: float(e.rounded) for e in p.key()}
    answers.update({part.prefix + k: float(fmt(slipped[k], p.decimals)) for k in part.keys})
    verdicts = p.verdicts(answers)
    where = part.prefix + first_changed(p, part, slipped, p.decimals)
    expected = name or ("old_weights" if part.order == "layerwise" else "updated_weights")
    assert verdicts[where] == expected, (where, verdicts)
    before = p.columns[:p.columns.index(where)]
    assert all(verdicts[c] == "correct" for c in before), verdicts
    if slip == "wrong_order":
        assert where.removeprefix(part.prefix).startswith("delta_")   # made at a hidden error


@pytest.mark.parametrize("answers", [None, "0.5", [0.1, 0.2], 3.0])
def test_a_malformed_answer_gets_feedback_not_a_traceback(answers):
    p = practice.problem("example2", 3)
    feedback = p.check(answers)
    assert "dict" in str(feedback[0])
    assert set(p.verdicts(answers).values()) == {"unreadable"}


def test_malformed_numbers_get_friendly_verdicts():
    p = practice.problem("three_layer", 8)
    answers = {e.column: float(e.rounded) for e in p.key()}
    answers.update({"y_P": "0.5", "y_Q": None, "y_R": float("nan"), "y_S": [1, 2]})
    answers.pop("y_F")
    verdicts = p.verdicts(answers)
    assert [verdicts[k] for k in ("y_P", "y_Q", "y_R", "y_S", "y_F")] == ["unreadable"] * 4 + ["not answered"]
    text = "\n".join(str(f) for f in p.check(answers))
    assert "without quotes" in text and "NaN" in text


def test_statement_and_key_name_every_asked_number():
    for kind in practice.KINDS:
        p = practice.problem(kind, 11)
        text, key = str(practice.statement(p)), str(practice.answer_key(p, collapsed=True))
        assert f"seed {p.seed}" in text and f"{p.decimals} decimals" in text
        for e in p.key():
            assert f"`{e.column}`" in text and f"`{e.column}`" in key and e.rounded in key
        assert key.startswith("<details>") and key.rstrip().endswith("</details>")
        for w in (w for layer in p.weights for row in layer for w in row):
            assert f"| {w:g} |" in text


def test_widget_draws_checks_and_never_raises():
    widget = practice.widget("example3")
    c = widget.controls
    c["seed"].value = "42"
    c["new"].click()
    p = widget.problem
    assert p.seed == 42 and p.kind.name == "example3"
    assert "seed 42" in c["statement"].outputs[0]["data"]["text/markdown"]
    right = {e.column: e.rounded for e in p.key()}
    for box in c["boxes"].children:
        box.value = right[box.description]
    c["boxes"].children[0].value = "twelve"
    c["boxes"].children[1].value = ""
    c["check"].click()
    shown = c["feedback"].outputs[0]["data"]["text/markdown"]
    assert "without quotes" in shown and "not answered yet" in shown
    assert shown.count("✓") == len(p.columns) - 2
    c["seed"].value = "-3"
    c["new"].click()
    assert widget.problem is p and "whole number" in c["statement"].outputs[0]["data"]["text/markdown"]
    c["seed"].value = ""
    c["kind"].value = "three_layer"
    c["new"].click()
    assert widget.problem.kind.name == "three_layer" and len(c["boxes"].children) == len(widget.problem.columns)
