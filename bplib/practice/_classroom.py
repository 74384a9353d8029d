"""A problem for each student of a class: worksheets, an answer key, an answers template, a gradebook.

`worksheets` reads a class list (CSV) and writes, for each student, a printable worksheet (one
self-contained HTML file with print CSS, fitting A4 and Letter), one answer key for the class (HTML,
a section per student) and ``answers.csv``, a template with one row per student and one column per
asked number. `grade` reads that template filled in, re-derives each student's problem from their
ID (`bplib.practice.seed_for`), judges every number with `bplib.checks` and writes a gradebook CSV.

A class list's header must name an ID column and a name column, in any letter case:
`ID_HEADERS` and `NAME_HEADERS`; other columns are ignored. A malformed list or answers file
raises `ClassFileError`, naming the file, the row (as a spreadsheet numbers it, header = row 1)
and the column. A student's cell never does: a blank is "not answered", text gets the checker's
sentence saying why it is not a number.
"""
import csv
import decimal
import html
import re
from pathlib import Path

from ._kinds import KINDS
from ._problems import draw, seed_for
from ._text import given_rows, meanings, sentences

ID_HEADERS = ("id", "student id", "student_id", "studentid", "student number", "student_number", "sid")
NAME_HEADERS = ("name", "student name", "student_name", "full name", "full_name")
ANSWERS = "answers.csv"
KEY = "answer-key.html"
FIXED = ("id", "name", "kind", "seed")   # the answers template's first columns; then one per asked number


class ClassFileError(ValueError):
    """A class list or answers file that cannot be used; the message names file, row and column."""


def _rows(path, what):
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:   # -sig: a spreadsheet's byte-order mark
            rows = list(csv.reader(f))
    except FileNotFoundError:
        raise ClassFileError(f"{what} {path}: no such file") from None
    except UnicodeDecodeError as error:
        raise ClassFileError(f"{what} {path}: not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from None
    except csv.Error as error:
        raise ClassFileError(f"{what} {path}: not a readable CSV file ({error})") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ClassFileError(f"{what} {path}: the file is empty; row 1 must be a header")
    return path, rows


def _column(path, header, names, what):
    found = [i for i, h in enumerate(header) if h.strip().lower() in names]
    if not found:
        raise ClassFileError(f"{path}, row 1 (header): no {what} column; name one of {', '.join(names)} "
                             f"(found {', '.join(repr(h) for h in header)})")
    return found[0]


def read_class(path, what="class list"):
    """The students of a class list: a list of ``{"id", "name", "row"}``, in the file's order."""
    path, rows = _rows(path, what)
    header = rows[0]
    i_id, i_name = _column(path, header, ID_HEADERS, "ID"), _column(path, header, NAME_HEADERS, "name")
    students, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        for i, label in ((i_id, "ID"), (i_name, "name")):
            if i >= len(row) or not row[i].strip():
                raise ClassFileError(f"{path}, row {number}, column {header[i]!r}: the student's {label} is empty")
        sid = row[i_id].strip()
        if sid in seen:
            raise ClassFileError(f"{path}, row {number}, column {header[i_id]!r}: ID {sid!r} is also on row "
                                 f"{seen[sid]}; each student needs their own ID")
        seen[sid] = number
        students.append({"id": sid, "name": row[i_name].strip(), "row": number})
    if not students:
        raise ClassFileError(f"{path}: no students below the header")
    return students


def file_name(student_id):
    """A worksheet's file name from an ID, with anything but letters, digits, - and _ replaced by _."""
    return f"worksheet-{re.sub(r'[^A-Za-z0-9_-]', '_', student_id)}.html"


CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #000;
       max-width: 180mm; margin: 1em auto; }
h1 { font-size: 16pt; margin: 0 0 0.3em; } h2 { font-size: 13pt; margin: 1em 0 0.4em; }
.who { border: 1px solid #000; padding: 0.4em 0.6em; margin-bottom: 0.8em; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border: 1px solid #555; padding: 0.15em 0.5em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.box { width: 45mm; height: 7mm; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 10pt; }
section.student { break-before: page; } section.student:first-of-type { break-before: auto; }
@page { margin: 15mm; }
@media print { body { margin: 0; max-width: none; } tr, .who { break-inside: avoid; } h2 { break-after: avoid; } }
"""


def _page(title, body):
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


def _code(text):
    """Plain text with `names` in backquotes as HTML with <code> names."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def worksheet_html(problem, student):
    """One student's worksheet: who, the statement, the given numbers, a blank box per asked number."""
    who = (f'<div class="who">Name: <strong>{html.escape(student["name"])}</strong> &nbsp; ID: '
           f'<strong>{html.escape(student["id"])}</strong> &nbsp; problem seed: {problem.seed}</div>')
    given = "".join(f"<tr><td><code>{n}</code></td><td>{html.escape(m)}</td><td class=num>{v:g}</td></tr>"
                    for n, m, v in given_rows(problem))
    words = meanings(problem)
    boxes = "".join(f"<tr><td><code>{c}</code></td><td>{html.escape(words[c])}</td><td class=box></td></tr>"
                    for c in problem.columns)
    body = (f"<h1>{html.escape(problem.kind.title)}</h1>{who}"
            + "".join(f"<p>{_code(s)}</p>" for s in sentences(problem))
            + f"<h2>Given</h2><table><tr><th>name</th><th>meaning</th><th>value</th></tr>{given}</table>"
            + f"<h2>Your answers ({problem.decimals} decimals)</h2>"
            + f"<table><tr><th>name</th><th>what</th><th>your number</th></tr>{boxes}</table>")
    return _page(f"{problem.kind.title}: {student['name']}", body)


def key_html(problems, students):
    """The class's answer key: one section per student, every asked number exact and rounded."""
    sections = []
    for problem, student in zip(problems, students):
        d, words = problem.decimals, meanings(problem)
        rows = "".join(f"<tr><td><code>{e.column}</code></td><td>{html.escape(words[e.column])}</td>"
                       f"<td class=num>{e.exact:.{d + 2}f}</td><td class=num><strong>{e.rounded}</strong></td></tr>"
                       for e in problem.key())
        sections.append(f'<section class="student"><h2>{html.escape(student["name"])} ({html.escape(student["id"])})'
                        f"</h2><p>{html.escape(problem.kind.title)}, seed {problem.seed}, "
                        f"{'both orders' if problem.order == 'both' else problem.order + ' order'}, "
                        f"eta = {problem.eta:g}.</p><table><tr><th>name</th><th>what</th><th>exact</th>"
                        f"<th>to {d} decimals</th></tr>{rows}</table></section>")
    return _page("Answer key", "<h1>Answer key</h1>\n" + "\n".join(sections))


def worksheets(class_csv, outdir, kind="example2"):
    """Write a worksheet per student, the answer key and the answers template into ``outdir``;
    returns the paths written (worksheets, then the key, then the template)."""
    students = read_class(class_csv)
    problems = [draw(kind, seed_for(s["id"])) for s in students]  # draw checks kind
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    names = [file_name(s["id"]) for s in students]
    if len(set(names)) < len(names):
        raise ClassFileError(f"{class_csv}: two IDs give the same worksheet file name once unusual characters are "
                             f"replaced ({sorted(n for n in names if names.count(n) > 1)[0]})")
    written = []
    for problem, student, name in zip(problems, students, names):
        path = outdir / name
        path.write_text(worksheet_html(problem, student), encoding="utf-8")
        written.append(path)
    (outdir / KEY).write_text(key_html(problems, students), encoding="utf-8")
    columns = problems[0].columns
    with open(outdir / ANSWERS, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([*FIXED, *columns])
        for problem, student in zip(problems, students):
            out.writerow([student["id"], student["name"], kind, problem.seed, *[""] * len(columns)])
    return written + [outdir / KEY, outdir / ANSWERS]


def cell_value(text):
    """A student's cell as the checker reads it: blank -> ``...`` (not answered), a number -> a Decimal
    (so "0.50" keeps its two decimals), anything else -> the text, which the checker explains."""
    text = text.strip()
    if not text:
        return ...
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        return text


def grade(answers_csv, gradebook_csv):
    """Grade the answers template filled in; write the gradebook. Returns its rows (dicts).

    Gradebook columns: id, name, kind, seed, score (the number of asked numbers whose verdict is
    ``correct``, an integer), out_of, then one verdict per asked number (`Problem.verdicts`).
    """
    path, rows = _rows(answers_csv, "answers file")
    header = [h.strip() for h in rows[0]]
    index = {h: i for i, h in enumerate(header)}
    for needed in ("id", "kind"):
        if needed not in index:
            raise ClassFileError(f"{path}, row 1 (header): no {needed!r} column; the answers file is the "
                                 f"{ANSWERS} that the worksheets command wrote, filled in")
    graded, columns = [], []
    for number, row in enumerate(rows[1:], start=2):
        cell = lambda h: row[index[h]].strip() if h in index and index[h] < len(row) else ""  # noqa: E731
        sid, kind = cell("id"), cell("kind")
        if not sid:
            raise ClassFileError(f"{path}, row {number}, column 'id': the student's ID is empty")
        if kind not in KINDS:
            raise ClassFileError(f"{path}, row {number}, column 'kind': {kind!r} is not a kind of problem "
                                 f"({', '.join(KINDS)})")
        problem = draw(kind, seed_for(sid))
        if cell("seed") and cell("seed") != str(problem.seed):
            raise ClassFileError(f"{path}, row {number}, column 'seed': {cell('seed')!r}, but ID {sid!r} gives seed "
                                 f"{problem.seed}; was the ID or the seed changed after the worksheets were made?")
        lacking = [c for c in problem.columns if c not in index]
        if lacking:
            raise ClassFileError(f"{path}, row 1 (header): no column {lacking[0]!r}, which a {kind} problem asks "
                                 f"(row {number}); use the header of the {ANSWERS} template")
        verdicts = problem.verdicts({c: cell_value(row[index[c]]) if index[c] < len(row) else ... for c in problem.columns})
        score = sum(v == "correct" for v in verdicts.values())
        graded.append({"id": sid, "name": cell("name"), "kind": kind, "seed": problem.seed, "score": score,
                       "out_of": len(verdicts), **verdicts})
        columns += [c for c in problem.columns if c not in columns]
    with open(gradebook_csv, "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=["id", "name", "kind", "seed", "score", "out_of", *columns], restval="")
        out.writeheader()
        out.writerows(graded)
    return graded
