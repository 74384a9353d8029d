"""Every notebook's Markdown reads right in a renderer that knows no MyST (Colab, GitHub, VS Code).

Each Markdown cell of every chapter, exercise and blank copy is parsed with markdown-it-py's plain
CommonMark preset (with inline HTML, as Jupyter renders it), and the test fails on MyST syntax
that such a renderer shows as raw text or turns into a code block, hiding what it stands for:

- roles: ``{glue:text}`x```, ``{ref}`...```, ``{cite}```, ``{numref}```, ``{doc}```, ``{eval}``` and any other
  ``{name}`` written just before an inline code span;
- directives: a fence whose info string is ``{name}`` (```` ```{exercise} ````, ```` ```{figure} ````), and
  colon fences ``:::{name}``;
- target lines ``(label)=`` and MyST comment lines starting with ``%``.

HTML comments (``<!-- ... -->``), links and plain Markdown are fine: every renderer hides or shows
them the same way, with one exception that a second test checks: a line that *starts* with an
HTML comment and goes on with text (``<!--key:.2f-->1.11<!--/--> for John's), as ...``) starts an HTML
block (CommonMark's type 2, which may interrupt a paragraph), so the paragraph breaks there and
the rest of that line is passed through as raw HTML, its Markdown (emphasis, links, code) not
rendered. JupyterLab, GitHub and markdown-it all do this. Math (``$...$``) is left alone. Fast: no
kernel, no browser.
"""
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for folder in ("chapters", "exercises", "exercises/blank") for p in sorted((ROOT / folder).glob("*.ipynb"))]
ROLE_BEFORE_CODE = re.compile(r"\{([A-Za-z][\w:.-]*)\}$")
LABEL = re.compile(r"^\s*\(([^()\s]+)\)=\s*$")
COLON_FENCE = re.compile(r"^\s*:{3,}\s*\{[\w:.-]+\}")
COMMENT = re.compile(r"^%")
PARSER = MarkdownIt("commonmark", {"html": True})


def markdown_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            yield index, "".join(source) if isinstance(source, list) else source


def comment_led_lines(markdown):
    """Lines that start with an HTML comment followed by text: [(line, text)]. CommonMark makes
    each an HTML block, which breaks the paragraph and shows the rest of the line unrendered."""
    found = []
    for token in PARSER.parse(markdown):
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            first = token.content.split("\n", 1)[0]
            if re.sub(r"<!--.*?-->", "", first).strip():
                found.append((token.map[0] + 1 if token.map else 0, first.strip()))
    return found


def myst_syntax(markdown):
    """Every piece of MyST syntax in ``markdown`` that CommonMark would show raw: [(line, what, text)]."""
    found = []
    for token in PARSER.parse(markdown):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "fence" and token.info.strip().startswith("{"):
            found.append((line, "directive", f"```{token.info.strip()}"))
        if token.type != "inline":
            continue
        children = token.children or []
        for i, child in enumerate(children):
            if child.type == "text" and i + 1 < len(children) and children[i + 1].type == "code_inline":
                match = ROLE_BEFORE_CODE.search(child.content)
                if match:
                    found.append((line, "role", f"{{{match.group(1)}}}`{children[i + 1].content}`"))
        for offset, text in enumerate(token.content.splitlines()):
            if LABEL.match(text):
                found.append((line + offset, "target", text.strip()))
            elif COLON_FENCE.match(text):
                found.append((line + offset, "directive", text.strip()))
            elif COMMENT.match(text):
                found.append((line + offset, "comment", text.strip()))
    return found


def test_the_check_finds_each_kind_of_myst_syntax():
    """The detector is live: each construct the docstring lists is found, plain Markdown is not."""
    sample = "\n\n".join([
        "The item is x = {glue:text}`ch4_x1:.1f`, see {ref}`ch-cost` and {cite}`ngo2025lecture`.",
        "(ch-weight-space)=",
        "# Weight space",
        "% a MyST comment",
        "```{exercise}\n:label: ex-1\nWhat is $\\sigma'(0)$?\n```",
        ":::{note}\nA note.\n:::",
    ])
    kinds = [(what, text) for _, what, text in myst_syntax(sample)]
    assert ("role", "{glue:text}`ch4_x1:.1f`") in kinds and ("role", "{ref}`ch-cost`") in kinds, kinds
    assert ("role", "{cite}`ngo2025lecture`") in kinds, kinds
    assert ("target", "(ch-weight-space)=") in kinds and ("comment", "% a MyST comment") in kinds, kinds
    assert ("directive", "```{exercise}") in kinds and ("directive", ":::{note}") in kinds, kinds
    plain = ("The item is x = 0.5 (see [the cost chapter](02_cost_functions.ipynb)); `code`, {braces} and 50% "
             "are fine.\n\n<!-- prose: ch4_x1 = 0.5 -->\n\n```python\n(a)=\n% not Markdown\n```\n\n$$E = 1/2$$")
    assert myst_syntax(plain) == [], myst_syntax(plain)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_markdown_has_no_myst_syntax(path):
    problems = [f"cell {index}, line {line}: {what} {text}"
                for index, source in markdown_cells(path) for line, what, text in myst_syntax(source)]
    assert not problems, (f"{path.relative_to(ROOT)}: {len(problems)} piece(s) of MyST syntax that Colab, GitHub "
                          f"and VS Code show as raw text:\n  " + "\n  ".join(problems[:25]))


def test_the_check_finds_a_paragraph_broken_by_a_leading_comment():
    broken = "The weight is\n<!--w:.2f-->1.11<!--/--> for *John*, as intended."
    assert comment_led_lines(broken) == [(2, "<!--w:.2f-->1.11<!--/--> for *John*, as intended.")]
    fine = ("The weight is <!--w:.2f-->1.11<!--/--> for *John*,\nas intended.\n\n<!-- tip -->\n"
            "**Note**\n\n<!-- /tip -->\n\n<details>\n<summary>Show the answer</summary>\n\nYes.\n\n</details>")
    assert comment_led_lines(fine) == [], comment_led_lines(fine)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_no_line_starts_with_a_comment_followed_by_text(path):
    """Rewrap such a line so the comment is not its first thing (or give the comment its own
    paragraph); otherwise the paragraph breaks in every renderer and the line's Markdown is lost."""
    problems = [f"cell {index}, line {line}: {text[:90]}"
                for index, source in markdown_cells(path) for line, text in comment_led_lines(source)]
    assert not problems, (f"{path.relative_to(ROOT)}: {len(problems)} line(s) start with an HTML comment and go on "
                          f"with text; the paragraph breaks there and the line's Markdown is not rendered:\n  "
                          + "\n  ".join(problems[:25]))
