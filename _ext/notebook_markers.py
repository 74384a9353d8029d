"""Give the site its boxes from the notebooks' plain Markdown.

The notebooks' Markdown is plain CommonMark so that it reads right in every renderer (JupyterLab,
Colab, GitHub, VS Code). Where the site should show a box, HTML comments, which every renderer
hides, mark where it starts and ends; this extension turns them into MyST directives when Sphinx
reads a notebook:

    <!-- exercise: ex2-task -->       ::::{exercise} One training step by hand
    **One training step by hand**     :nonumber:
    ...question...                    :label: ex2-task
    <!-- /exercise -->                ...question...
                                      ::::

``<!-- tip -->`` and ``<!-- note -->`` (with a bold title line under them) become admonitions,
and a cell that starts with ``<!-- solution-start: LABEL -->`` or ``<!-- solution-end -->``
becomes sphinx-exercise's gated, collapsed solution around the cells between them. A link to a
blank exercise (``[blank copy](blank/ex2_example2.ipynb)``) becomes a download link: the blank
copies are files for students, not pages. On a solved exercise's page, the launch buttons (Binder,
Colab) open the blank copy, where the student works; the page itself shows the solution.
"""
import json
import re

_OPEN = re.compile(r"^<!-- (?P<kind>exercise|tip|note)(?:: (?P<label>[\w-]+))? -->[ \t]*\n(?:\*\*(?P<title>[^\n]+?)\*\*[ \t]*\n)?",
                   re.M)
_CLOSE = re.compile(r"^<!-- /(exercise|tip|note) -->[ \t]*$", re.M)
_SOLUTION_START = re.compile(r"\A<!-- solution-start: (?P<label>[\w-]+) -->")
_SOLUTION_END = re.compile(r"\A<!-- solution-end -->")
# the blank exercises are files to download, not pages of the site
_BLANK_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<path>(?:[\w.-]+/)*blank/[\w.-]+\.ipynb)\)")


def _open(m):
    title = m["title"] or ""
    if m["kind"] == "exercise":
        return f"::::{{exercise}} {title}\n:nonumber:\n:label: {m['label']}\n\n".replace("} \n", "}\n")
    return f"::::{{admonition}} {title or m['kind'].title()}\n:class: {m['kind']}\n\n"


def markdown_for_site(source):
    """The MyST Markdown the site renders for one cell's plain Markdown ``source``."""
    start = _SOLUTION_START.match(source)
    if start:
        return f":::{{solution-start}} {start['label']}\n:class: dropdown\n:::"
    if _SOLUTION_END.match(source):
        return ":::{solution-end}\n:::"
    source = _BLANK_LINK.sub(lambda m: f"{{download}}`{m['text']} <{m['path']}>`", source)
    return _CLOSE.sub("::::", _OPEN.sub(_open, source))


def _on_source_read(app, docname, content):
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    nb = json.loads(content[0])
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            cell["source"] = markdown_for_site(source)
    content[0] = json.dumps(nb)


def _launch_blank_copies(app, pagename, templatename, context, doctree):
    """On a solved exercise's page, the Binder and Colab buttons open the student's blank copy."""
    if not pagename.startswith("exercises/ex"):
        return
    solved = pagename + ".ipynb"
    blank = solved.replace("exercises/", "exercises/blank/", 1)
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            for button in group.get("buttons", []):
                if "url" in button:
                    button["url"] = button["url"].replace(solved, blank)


def setup(app):
    app.connect("source-read", _on_source_read)
    # after sphinx-book-theme's add_launch_buttons (priority 501) has made the buttons
    app.connect("html-page-context", _launch_blank_copies, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
