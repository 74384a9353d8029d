"""The build's own extensions (_ext/): public interfaces only, and the parallel notebook runs.

The runs are checked on a small book of three notebooks built with the book's extension
(``_ext/parallel_execution.py``), so that each build takes seconds: the runs' outputs are the
ones the pages show, a notebook that fails fails the build with its cell's traceback, and the
``parallel_execution`` setting turns the runs off (myst-nb then runs each notebook itself).
"""
import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "_ext"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_no_private_name_of_another_package_is_used():
    """No ``obj._name``, ``from x import _name`` or ``import x._y`` in _ext/ (dunders are fine)."""
    def private(name):
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    found = []
    for path in sorted(EXT.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.ImportFrom):
                names = (node.module or "").split(".") + [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [part for alias in node.names for part in alias.name.split(".")]
            found += [f"{path.name}:{node.lineno}: {name}" for name in names if private(name)]
    assert not found, "private names used in _ext/:\n" + "\n".join(found)


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def build(book, notebooks, config=""):
    """Write a book of these notebooks (name -> notebook) and build it strictly; returns
    (returncode, log, html folder)."""
    book.mkdir(exist_ok=True)
    (book / "intro.md").write_text("# Intro\n", encoding="utf-8")
    for name, nb in notebooks.items():
        nbformat.write(nb, book / f"{name}.ipynb")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n"
                                   + "".join(f"  - file: {name}\n" for name in notebooks), encoding="utf-8")
    (book / "_config.yml").write_text(
        "title: Test\nexecute:\n  execute_notebooks: cache\n  raise_on_error: true\n"
        "sphinx:\n  local_extensions:\n"
        f"    parallel_execution: {EXT}\n"
        + (f"  config:\n{config}" if config else ""), encoding="utf-8")
    exe = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(exe), "build", str(book), "--path-output", str(book / "out"), "-W", "-n",
                             "--keep-going"], capture_output=True, text=True, timeout=600, cwd=book)
    return result.returncode, ANSI.sub("", result.stdout + result.stderr), book / "out" / "_build" / "html"


GOOD = {"first": notebook("x = 6", "print(x * 7)"),
        "second": notebook("print('second', sum(range(10)))")}


@pytest.mark.site
def test_the_runs_are_the_outputs_the_pages_show(tmp_path):
    returncode, log, html = build(tmp_path / "book", GOOD, "    parallel_execution_workers: 2\n")
    assert returncode == 0, log[-3000:]
    assert "executing 2 notebooks, 2 at a time" in log, log[-3000:]
    for name in GOOD:
        assert re.search(rf"^{name}: executed in \d", log, re.MULTILINE), log[-3000:]
        assert f"{name}.ipynb: Using cached notebook" in log, f"myst-nb did not use the run of {name}"
    assert "Executed notebook in" not in log, "myst-nb ran a notebook itself"
    assert "42" in (html / "first.html").read_text(encoding="utf-8")
    assert "second 45" in (html / "second.html").read_text(encoding="utf-8")


@pytest.mark.site
def test_printed_lines_show_as_the_notebook_printed_them(tmp_path):
    """A cell's prints reach the build in several stream messages when the kernel flushes between
    them; the page shows them as one block (``nb_merge_streams``, as _config.yml sets it), with
    every blank line printed at a message's end still there, as Jupyter shows them and as the stored
    outputs hold them (scripts/execute_notebooks.py). myst-nb's own merge drops those."""
    cell = ("import sys, time\n"
            "print('first block', end='\\n\\n'); sys.stdout.flush(); time.sleep(0.5)\n"
            "print('second block')")
    returncode, log, html = build(tmp_path / "book", {"prints": notebook(cell)},
                                  "    nb_merge_streams: true\n    parallel_execution_workers: 2\n")
    assert returncode == 0, log[-3000:]
    page = (html / "prints.html").read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]+>", "", page[page.index('<div class="cell_output'):])[:200]
    assert shown.lstrip().startswith("first block\n\nsecond block"), f"the page shows {shown!r}"


@pytest.mark.site
def test_a_failing_notebook_fails_the_build_with_its_traceback(tmp_path):
    notebooks = {**GOOD, "broken": notebook("x = 1", "raise ValueError('the cell that fails')")}
    returncode, log, _ = build(tmp_path / "book", notebooks)
    assert returncode != 0, log[-3000:]
    assert "broken: the parallel run failed" in log, log[-3000:]
    assert "ValueError: the cell that fails" in log, log[-3000:]  # the cell's traceback,
    assert "raise ValueError('the cell that fails')" in log, log[-3000:]  # with its code


@pytest.mark.site
def test_the_runs_can_be_turned_off(tmp_path):
    returncode, log, html = build(tmp_path / "book", GOOD, "    parallel_execution: false\n")
    assert returncode == 0, log[-3000:]
    assert not re.search(r"executing \d+ notebooks", log), log[-3000:]
    assert log.count("Executed notebook in") == len(GOOD), "myst-nb did not run every notebook itself"
    assert "second 45" in (html / "second.html").read_text(encoding="utf-8")


def test_the_theme_stylesheet_keeps_the_rules_a_page_can_use():
    """_ext/unused_css.py on a small stylesheet: a selector survives if every class and id it names
    is a word of the site (or a class Bootstrap builds from parts), whatever ``:not()`` holds; a
    rule keeps its surviving selectors; @media blocks are purged inside and dropped when empty;
    @font-face and @keyframes stay."""
    sys.path.insert(0, str(EXT))
    try:
        import tinycss2
        import unused_css
    finally:
        sys.path.remove(str(EXT))
    css = ("a{color:red}.used,.unused{margin:0}.unused{padding:0}#main>.used:not(.unused){top:0}"
           ".used .unused,#nowhere{left:0}@media (min-width:960px){.unused{x:1}.used{x:2}}"
           "@media print{.unused{y:1}}@font-face{font-family:F}@keyframes k{to{opacity:0}}"
           ".bs-popover-auto{z:1}:is(.unused) .used{w:1}")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    purged = unused_css.purge(rules, words={"used", "main"})
    assert purged == ("a{color:red}.used{margin:0}#main>.used:not(.unused){top:0}"
                      "@media (min-width:960px){.used{x:2}}@font-face{font-family:F}"
                      "@keyframes k{to{opacity:0}}.bs-popover-auto{z:1}:is(.unused) .used{w:1}")
    assert unused_css.named(rules) == {"used", "unused", "main", "nowhere", "bs-popover-auto"}
