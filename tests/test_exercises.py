"""The students' blank exercises: generated, up to date, and runnable unanswered.

- Regenerating the blank copies from the solved notebooks into a temporary folder gives exactly
  the committed ones (so nobody edited them by hand, and nobody forgot to regenerate them).
- Each blank copy runs top to bottom in a fresh kernel without an error, and every line of
  feedback its check cells print says "not answered yet": nothing is judged before the student
  has answered, and no solution is left in it.
- The generator itself: solutions out, student cells blanked, everything else kept.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLVED = sorted((ROOT / "exercises").glob("ex*.ipynb"))
BLANK = ROOT / "exercises" / "blank"
SCRIPT = ROOT / "scripts" / "make_blank_exercises.py"
FEEDBACK_LINE = re.compile(r"^  (\S) (\S+)\s+(.*)$")

sys.path.insert(0, str(ROOT / "scripts"))
import make_blank_exercises as generator  # noqa: E402


def test_there_are_seven_exercises_each_with_a_blank_copy():
    assert [p.name for p in SOLVED] == ["ex1_example1.ipynb", "ex2_example2.ipynb", "ex3_example3.ipynb",
                                        "ex4_sigmoid_gradcheck.ipynb", "ex5_three_layer.ipynb",
                                        "ex6_backward_pass.ipynb", "ex7_engine.ipynb"]
    missing = [p.name for p in SOLVED if not (BLANK / p.name).is_file()]
    assert not missing, f"no blank copy of {missing}: run python scripts/make_blank_exercises.py"


def test_blank_copies_are_up_to_date(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for solved in SOLVED:
        fresh = json.loads((tmp_path / solved.name).read_text(encoding="utf-8"))
        committed = json.loads((BLANK / solved.name).read_text(encoding="utf-8"))
        assert fresh == committed, (f"exercises/blank/{solved.name} is not what the generator makes from "
                                    f"exercises/{solved.name}: run python scripts/make_blank_exercises.py")
    assert subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, timeout=120).returncode == 0


def run(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def printed(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.parametrize("name", [p.name for p in SOLVED])
def test_blank_copy_runs_and_says_only_not_answered_yet(name):
    nb = run(BLANK / name)   # raises CellExecutionError on any error in any cell
    checks = [c for c in nb.cells if c.cell_type == "code" and "check" in c.source and "print(" in c.source]
    assert checks, f"{name}: no check cell found"
    for cell in checks:
        text = printed(cell)
        lines = [FEEDBACK_LINE.match(line) for line in text.splitlines() if line.startswith("  ")]
        assert lines and all(lines), f"{name}: check cell printed something that is not feedback:\n{text}"
        statuses = {(m[1], m[3]) for m in lines}
        assert statuses == {("·", "not answered yet")}, f"{name}: feedback before any answer:\n{text}"
        summaries = [line for line in text.splitlines() if line and not line.startswith("  ")]
        assert all("nothing answered yet" in s for s in summaries), f"{name}: {summaries}"


@pytest.mark.parametrize("name", [p.name for p in SOLVED])
def test_blank_copy_has_no_solution_and_no_output(name):
    nb = nbformat.read(BLANK / name, as_version=4)
    solved = nbformat.read(ROOT / "exercises" / name, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "solution-start" not in text and "Worked solution" not in text and "<details>" not in text
    assert "<!-- exercise" not in text and "](../chapters" not in text  # box markers gone, links one level up
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    students = [c for c in nb.cells if "student" in c.metadata.get("tags", [])]
    assert students and len(students) == sum("student" in c.metadata.get("tags", []) for c in solved.cells)
    for cell in students:
        body = [line.strip() for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert all(line.endswith(("...", "...,", "{", "}", ":", '"""')) for line in body), cell.source
    # everything before the first solution in the solved notebook survives (setup, figure, question)
    kept = {c.id for c in nb.cells}
    first_gate = next(i for i, c in enumerate(solved.cells) if c.source.startswith("<!-- solution-start"))
    assert {c.id for c in solved.cells[:first_gate] if "solved-only" not in c.metadata.get("tags", [])} <= kept


def test_generator_rules():
    source = ('answer = {"z_top": 0.755, "y_top": sigmoid(0.755)}\n'
              'net, _ = bplib.step(net, x, t, 1.0)\n'
              'def sigmoid_prime(y):\n    """From the output."""\n    return y * (1 - y)\n')
    assert generator.blank_student_cell(source) == (
        "# Replace each ... with your number (a Python expression that computes it is fine too).\n"
        'answer = {\n    "z_top": ...,\n    "y_top": ...,\n}\n'
        "# Replace the ... with your code.\n"
        'def sigmoid_prime(y):\n    """From the output."""\n    return ...')
    text = ("# Title\n\n<!-- exercise: ex-x-task -->\n**Do it**\n\nCompute $z$ (see [2. Costs](../chapters/02.ipynb)).\n\n"
            "<!-- /exercise -->\n\n<details>\n<summary>Show the answer</summary>\n\nIt is 1.\n\n</details>\nafter")
    assert generator.blank_markdown(text) == (
        "# Title\n\n**Do it**\n\nCompute $z$ (see [2. Costs](../../chapters/02.ipynb)).\n\n\nafter")
