"""Feedback on students' answers: the face the exercises' check cells use.

- `check_example` and `slide_table`: the lecture's Examples 2 and 3 (exercises 2 and 3);
- `reference` then `check`: a question about any network's numbers (exercises 1 and 5);
- `check_function`: a function the student wrote (exercise 4's sigma' and central difference),
  and `values_reference` then `check` for plain numbers;
- `expressions`: Example 1's update expressions, written from a network's structure;
- `check_backward`, `check_numerical_gradients` and `check_agreement`: a backward pass, central
  differences and the relative error between them, all written by the student (exercise 6).

Every check returns a `Feedback` that prints one line per quantity. Nothing a student types makes
a check raise; a wrong argument from the exercise's author does (TypeError/ValueError).

Inside: `_answers` holds the checks of numeric answers; `_feedback` reads answers and prints;
`_judging` decides each number (correct, following from an earlier wrong number, too coarse, a known
mistake, wrong); `_mistakes` lists the mistakes recognised; `_symbolic` writes the expressions and
`expressions` puts numbers into them; `_functions`, `_backward` and `_differences` check what a
student wrote as code, each calling it through `_calls` (on copies, with any change to its
arguments named as a mistake of its own).
"""
from . import expressions
from ._backward import check_backward
from ._differences import check_agreement, check_numerical_gradients
from ._engine import check_engine, check_matmul, check_operations
from ._answers import check, check_example, reference, slide_table, values_reference
from ._feedback import NOT_ANSWERED, SYMBOLS, Feedback, Line, read_number
from ._functions import check_function

__all__ = [
    "check", "check_example", "check_function", "expressions", "reference", "slide_table", "values_reference",
    "Feedback", "Line", "read_number", "NOT_ANSWERED", "SYMBOLS",
    "check_backward", "check_numerical_gradients", "check_agreement",
    "check_operations", "check_engine", "check_matmul",
]
