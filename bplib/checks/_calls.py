"""Calling a student's function: on copies of its arguments, with any change to them named.

Every check of a student's function (`check_function`, `check_backward`,
`check_numerical_gradients`) calls it through `call`. The function gets its own copies of the
arguments, warnings and floating-point errors are silenced, an exception is caught, and afterwards
the arguments are compared with what they were. A function that changes its input (``T -= y``,
``weights.reverse()``, ``X /= n``) would change the caller's arrays in the notebook, and every
later cell, the student's own gradient check among them, would compute with them: so the change
is a mistake of its own (`Change`), named even where what the function returned is right; an
entry of a list replaced by a new array (``weights[l] = weights[l] - ...``) is told apart from
one changed in place (``weights[l] -= ...``), since the advice differs.
"""
import copy
import warnings
from typing import NamedTuple

import numpy as np


class Change(NamedTuple):
    argument: str   # the argument's name ("T", "weights")
    where: str      # what changed in it ("T", "weights[1]")
    sentence: str   # what the function did and what to do instead


class Call(NamedTuple):
    result: object = None
    error: Exception = None   # what calling it raised, if it did
    change: Change = None     # the first change to its arguments, if any


def call(fn, args, names, fresh=False):
    """``fn(*args)`` on deep copies of ``args`` (``fresh=True``: ``args`` were made for this call and
    nothing else reads them, such as arrays a given E() reads), compared with ``args`` afterwards.
    ``names`` are the arguments' names, as the exercise's ``def`` line has them. Never raises."""
    given = args if fresh else copy.deepcopy(args)
    before = copy.deepcopy(args)
    entries = [[id(a) for a in arg] if isinstance(arg, list) else None for arg in given]  # to tell a replaced entry
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*given)
    except Exception as error:
        return Call(error=error)
    for name, was, now, ids in zip(names, before, given, entries):
        change = _change(name, name, was, now, ids)
        if change:
            return Call(result, change=change)
    return Call(result)


def raised(error, limit=100):
    """``ValueError: the text``, cut to ``limit`` characters."""
    return f"{type(error).__name__}: {str(error)[:limit]}"


def _same(was, now):
    try:
        if isinstance(was, np.ndarray):
            return isinstance(now, np.ndarray) and now.shape == was.shape and bool(
                np.allclose(now, was, rtol=1e-12, atol=1e-12, equal_nan=True))  # a nudge undone may leave 1 ulp
        if isinstance(was, list):
            return isinstance(now, list) and len(now) == len(was) and all(map(_same, was, now))
        return now is was or bool(now == was)
    except Exception:
        return False


def _change(argument, where, was, now, ids=None):
    """The first way ``now`` differs from ``was`` (the argument ``where`` before the call), or None.
    ``ids``: for a list, the ids of its entries before the call (an entry replaced by another object,
    ``weights[l] = ...``, is told apart from one changed in place, ``weights[l] -= ...``)."""
    if _same(was, now):
        return None
    if isinstance(was, list) and isinstance(now, list):
        if len(now) != len(was):
            return Change(argument, where, f"changed the length of the list {where} ({len(was)} entries, now "
                                           f"{len(now)}): the caller's list changes with it. Leave it as it is and "
                                           f"build new lists for your results")
        if all(map(_same, reversed(was), now)):
            return Change(argument, where, f"reversed the list {where} ({where}.reverse() works on the caller's "
                                           f"list): go through it with reversed({where}) or {where}[::-1], which "
                                           f"leave it as it is")
        for i, (w, n) in enumerate(zip(was, now)):
            if not _same(w, n) and ids is not None and id(n) != ids[i]:
                return Change(argument, f"{where}[{i}]", f"replaced {where}[{i}] in the list {where} ({where}[{i}] = "
                                                         f"... puts a new array into the caller's list): every later "
                                                         f"cell that uses {argument} gets other numbers. Keep your "
                                                         f"results in names or lists of your own")
        return next(c for c in (_change(argument, f"{where}[{i}]", w, n) for i, (w, n) in enumerate(zip(was, now)))
                    if c)
    how, op = "", "-"
    if isinstance(was, np.ndarray) and isinstance(now, np.ndarray) and now.shape == was.shape and np.any(was):
        c = float(np.vdot(now, was) / np.vdot(was, was))
        if np.allclose(now, c * was, rtol=1e-9, atol=1e-12):
            how, op = f" (scaled it by {c:.4g})", "*"
    return Change(argument, where, f"changed {where} in place{how}, and with it the caller's {argument}: every later "
                                   f"cell that uses {argument} gets other numbers. Compute into a new array "
                                   f"({where} {op} ..., not {where} {op}= ...)")
