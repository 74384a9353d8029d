"""End to end: `python -m bplib.practice` on a made-up class of five students.

The expected verdicts and scores are derived here from the answer key (the worksheets command's
answer key, read back from its HTML, and bplib.practice's key for the same ID), never from an
earlier run of the grader.
"""
import csv
import html
import math
import re
import subprocess
import sys

import pytest

from bplib import practice
from bplib.practice import _classroom as classroom

CLASS = [("S001", "Ada Lovelace"), ("S002", "Alan Turing"), ("S003", "Grace Hopper"),
         ("S004", "Kurt Gödel"), ("S005", "Emmy Noether")]


@pytest.fixture()
def made(tmp_path):
    class_csv = tmp_path / "class.csv"
    with open(class_csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Student ID", "Name", "Email"])
        out.writerows((sid, name, f"{sid.lower()}@example.org") for sid, name in CLASS)
    outdir = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "bplib.practice", "worksheets", str(class_csv), str(outdir)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "5 worksheets" in run.stdout
    return tmp_path, outdir


def key_from_html(text):
    """Student ID -> {column: value to write}, read from the answer key's HTML."""
    keys = {}
    for section in re.findall(r'<section class="student">(.*?)</section>', text, re.S):
        sid = re.search(r"<h2>.*?\((.*?)\)</h2>", section).group(1)
        rows = re.findall(r"<tr><td><code>(\w+)</code></td><td>.*?</td><td class=num>(-?[\d.]+)</td>"
                          r"<td class=num><strong>(-?[\d.]+)</strong></td></tr>", section)
        keys[html.unescape(sid)] = {c: rounded for c, _, rounded in rows}
    return keys


def test_worksheets_key_and_template(made):
    _, outdir = made
    for sid, name in CLASS:
        page = (outdir / f"worksheet-{sid}.html").read_text(encoding="utf-8")
        problem = practice.problem("example2", practice.seed_for(sid))
        assert html.escape(name) in page and sid in page and f"seed: {problem.seed}" in page
        for w in (w for layer in problem.weights for row in layer for w in row):
            assert f"<td class=num>{w:g}</td>" in page
        for v in problem.x + problem.t + (problem.eta,):
            assert f"<td class=num>{v:g}</td>" in page
        assert page.count("<td class=box></td>") == len(problem.columns) == 21
        assert "@media print" in page and "<script" not in page and "http" not in page   # self-contained
    key = (outdir / classroom.KEY).read_text(encoding="utf-8")
    assert key.count('<section class="student">') == 5
    from_html = key_from_html(key)
    assert sorted(from_html) == sorted(sid for sid, _ in CLASS)
    for sid, _ in CLASS:
        problem = practice.problem("example2", practice.seed_for(sid))
        assert from_html[sid] == {e.column: f"{e.exact:.4f}" for e in problem.key()}
    with open(outdir / classroom.ANSWERS, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["name"], r["kind"]) for r in rows] == [(s, n, "example2") for s, n in CLASS]
    assert list(rows[0])[4:] == practice.problem("example2", 1).columns
    assert all(r[c] == "" for r in rows for c in list(r)[4:])


def test_grading_the_five(made):
    tmp_path, outdir = made
    keys = key_from_html((outdir / classroom.KEY).read_text(encoding="utf-8"))
    exact = {sid: {e.column: e.exact for e in practice.problem("example2", practice.seed_for(sid)).key()}
             for sid, _ in CLASS}
    with open(outdir / classroom.ANSWERS, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    columns = header[4:]
    answers = {sid: dict(keys[sid]) for sid, _ in CLASS}
    answers["S002"]["delta_final"] = f"{-float(keys['S002']['delta_final']):.4f}"    # the sign slip
    blanks = ["delta_top", "w_AT_new", "z_top_2", "y_top_2", "y_final_2"]
    for c in blanks:
        answers["S003"][c] = ""
    answers["S004"]["y_bottom"] = "about 0.6"
    answers["S005"] = {c: f"{exact['S005'][c]:.2f}" for c in columns}
    for row in rows:
        row.update(answers[row["id"]])
    filled = tmp_path / "filled.csv"
    with open(filled, "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=header)
        out.writeheader()
        out.writerows(rows)
    gradebook = tmp_path / "gradebook.csv"
    run = subprocess.run([sys.executable, "-m", "bplib.practice", "grade", str(filled), str(gradebook)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    with open(gradebook, newline="", encoding="utf-8") as f:
        book = {r["id"]: r for r in csv.DictReader(f)}
    expected = {sid: dict.fromkeys(columns, "correct") for sid, _ in CLASS}
    expected["S002"]["delta_final"] = "sign_delta"
    expected["S003"].update(dict.fromkeys(blanks, "not answered"))
    expected["S004"]["y_bottom"] = "unreadable"
    own = own_numbers(practice.problem("example2", practice.seed_for("S005")), answers["S005"])
    for c in columns:   # two decimals where four are asked: too coarse, unless the two are the four (0.47 = 0.4700)
        if f"{exact['S005'][c]:.4f}" != f"{exact['S005'][c]:.2f}00":
            expected["S005"][c] = "too coarse"
        # the checker's rule for a number computed from the student's own coarse numbers: correct where
        # those numbers give exactly what was written (0.50 for w_AT = 0.5 when delta_top was written 0.00)
        if abs(own[c] - float(answers["S005"][c])) < 0.5e-4:
            expected["S005"][c] = "correct"
    for sid, _ in CLASS:
        got = {c: book[sid][c] for c in columns}
        assert got == expected[sid], (sid, {c: (got[c], expected[sid][c]) for c in columns if got[c] != expected[sid][c]})
        assert int(book[sid]["score"]) == sum(v == "correct" for v in expected[sid].values())
        assert int(book[sid]["out_of"]) == 21
    assert [int(book[s]["score"]) for s in ("S001", "S002", "S003", "S004")] == [21, 20, 16, 20]
    assert sum(v == "too coarse" for v in expected["S005"].values()) >= 10   # the two-decimal answer is mostly coarse


def own_numbers(problem, written):
    """Each quantity of a 2-2-1 step recomputed from the numbers just before it as the student wrote
    them (the lecture's formulas by hand), for the order of ``problem``."""
    s = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    v = {k: float(x) for k, x in written.items()}
    (w_AT, w_AB), (w_BT, w_BB) = problem.weights[0]
    (w_TF,), (w_BF,) = problem.weights[1]
    (a, b), (t,), eta = problem.x, problem.t, problem.eta
    layerwise = problem.order == "layerwise"
    return {"z_top": a * w_AT + b * w_BT, "y_top": s(v["z_top"]), "z_bottom": a * w_AB + b * w_BB,
            "y_bottom": s(v["z_bottom"]), "z_final": w_TF * v["y_top"] + w_BF * v["y_bottom"],
            "y_final": s(v["z_final"]), "delta_final": -v["y_final"] * (1 - v["y_final"]) * (t - v["y_final"]),
            "w_TF_new": w_TF - eta * v["delta_final"] * v["y_top"],
            "w_BF_new": w_BF - eta * v["delta_final"] * v["y_bottom"],
            "delta_top": v["y_top"] * (1 - v["y_top"]) * (v["w_TF_new"] if layerwise else w_TF) * v["delta_final"],
            "delta_bottom": v["y_bottom"] * (1 - v["y_bottom"]) * (v["w_BF_new"] if layerwise else w_BF) * v["delta_final"],
            "w_AT_new": w_AT - eta * v["delta_top"] * a, "w_BT_new": w_BT - eta * v["delta_top"] * b,
            "w_AB_new": w_AB - eta * v["delta_bottom"] * a, "w_BB_new": w_BB - eta * v["delta_bottom"] * b,
            "z_top_2": a * v["w_AT_new"] + b * v["w_BT_new"], "z_bottom_2": a * v["w_AB_new"] + b * v["w_BB_new"],
            "y_top_2": s(v["z_top_2"]), "y_bottom_2": s(v["z_bottom_2"]),
            "z_final_2": v["w_TF_new"] * v["y_top_2"] + v["w_BF_new"] * v["y_bottom_2"], "y_final_2": s(v["z_final_2"])}


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, words", [
    ("Name,Email\nAda,a@x\n", ["row 1 (header)", "no ID column", "student id"]),
    ("ID,Email\nS1,a@x\n", ["row 1 (header)", "no name column"]),
    ("id,name\nS1,Ada\n,Alan\n", ["row 3", "column 'id'", "ID is empty"]),
    ("ID,Name\nS1,Ada\nS2\n", ["row 3", "column 'Name'", "name is empty"]),
    ("id,name\nS1,Ada\nS2,Alan\nS1,Grace\n", ["row 4", "column 'id'", "also on row 2"]),
    ("id,name\n", ["no students"]),
    ("", ["empty"]),
])
def test_a_malformed_class_list_is_named(tmp_path, text, words):
    path = write(tmp_path / "class.csv", text)
    with pytest.raises(classroom.ClassFileError) as error:
        classroom.worksheets(path, tmp_path / "out")
    assert str(path) in str(error.value)
    for w in words:
        assert w in str(error.value)


def test_command_line_errors_are_messages(tmp_path):
    bad = write(tmp_path / "class.csv", "Name\nAda\n")
    run = subprocess.run([sys.executable, "-m", "bplib.practice", "worksheets", str(bad), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "no ID column" in run.stderr
    run = subprocess.run([sys.executable, "-m", "bplib.practice", "grade", str(tmp_path / "none.csv"),
                          str(tmp_path / "gb.csv")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "no such file" in run.stderr


def test_a_malformed_answers_file_is_named(tmp_path):
    classroom.worksheets(write(tmp_path / "class.csv", "id,name\nS1,Ada\n"), tmp_path / "out", kind="example1")
    template = (tmp_path / "out" / classroom.ANSWERS).read_text(encoding="utf-8")
    cases = [(template.replace(",example1,", ",example9,"), ["row 2", "column 'kind'", "example9"]),
             (template.replace(f",{practice.seed_for('S1')},", ",17,"), ["row 2", "column 'seed'"]),
             (template.replace(",w_Omega_C_new", ",w_Omega_C_neww"), ["row 1", "w_Omega_C_new"])]
    for text, words in cases:
        path = write(tmp_path / "answers.csv", text)
        with pytest.raises(classroom.ClassFileError) as error:
            classroom.grade(path, tmp_path / "gb.csv")
        assert all(w in str(error.value) for w in words) and str(path) in str(error.value), str(error.value)


def test_other_kinds_and_their_columns(tmp_path):
    class_csv = write(tmp_path / "class.csv", "student number,full name\n7,Ada\n8,Alan\n")
    classroom.worksheets(class_csv, tmp_path / "out", kind="example3")
    with open(tmp_path / "out" / classroom.ANSWERS, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problem = practice.problem("example3", practice.seed_for("7"))
    rows[0].update({e.column: e.rounded for e in problem.key()})
    path = tmp_path / "answers.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    graded = classroom.grade(path, tmp_path / "gb.csv")
    assert [g["score"] for g in graded] == [27, 0] and graded[1]["true_delta_top"] == "not answered"
