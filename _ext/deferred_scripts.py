"""No script holds up a page's text: every script in a page's head runs after the page is parsed.

Sphinx, the theme and its extensions put ten scripts in every page's head without ``defer``
(doctools.js, searchtools.js, copybutton.js, togglebutton.js...). A browser stops reading the
page at each one until it has downloaded and run it, so on a phone's connection the text and
its formulas waited for 26 KB (gzipped) of scripts that only wire up buttons and search
(issue 20; ``benchmarks/site_mobile.py`` measures it). When the build has finished, every such script gets
``defer``: it still runs, in the same order, once the page is parsed and before
``DOMContentLoaded``, which is when these scripts start their work.

Inline scripts that set ``DOCUMENTATION_OPTIONS`` (defined by documentation_options.js, now
deferred) become ``type="module"``: a module script is deferred too, and runs in its place in
that same order. The other inline scripts (the colour mode, togglebutton's settings) need no
script before them and still run at once.
"""
import re
from pathlib import Path

EXTERNAL = re.compile(r"<script(?![^>]*\b(?:defer|async|type=)[^>]*>)(?=[^>]*\bsrc=)")
NEEDS_OPTIONS = re.compile(r"<script>(?=\s*DOCUMENTATION_OPTIONS\b)")


def defer_head(text):
    """``text`` (a page) with its head's scripts deferred."""
    end = text.find("</head>")
    if end < 0:
        return text
    head = NEEDS_OPTIONS.sub('<script type="module">', EXTERNAL.sub("<script defer", text[:end]))
    return head + text[end:]


def defer_scripts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        deferred = defer_head(text)
        if deferred != text:
            page.write_text(deferred, encoding="utf-8")


def setup(app):
    app.connect("build-finished", defer_scripts, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
