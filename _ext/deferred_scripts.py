"""No script holds up a page: its scripts run once the page has been parsed and drawn.

Sphinx, the theme and its extensions put ten scripts in every page's head without ``defer``
(doctools.js, searchtools.js, copybutton.js, togglebutton.js...), and the theme two more,
deferred, at the end of its body (bootstrap.js, pydata-sphinx-theme.js). A browser stops
reading the page at each script without ``defer`` until it has downloaded and run it, and it
runs the deferred ones as soon as the page is parsed, before it draws the page's end: on a
phone, the formulas of a long chapter waited up to half a second more for 60 KB (gzipped) of
scripts that only wire up buttons, icons and search (issue 20; ``benchmarks/site_mobile.py``
measures it). When the build has finished, each page is rewritten:

- its scripts (all but ``documentation_options.js``) leave the markup, with the theme's
  ``<link rel="preload">`` of two of them (which fetched them ahead of the stylesheets and
  fonts), and one inline script at the end of the body adds them again, in their order, once
  the page is parsed (``DOMContentLoaded``) and its next frame drawn. Every one of them starts
  its work whether the page is still loading or not (each checks ``document.readyState``), and
  the promise ``window.bpScriptsRan`` resolves once the last has run;
- ``documentation_options.js`` gets ``defer``, and the inline scripts that set
  ``DOCUMENTATION_OPTIONS`` become ``type="module"``: a module script is deferred too, and runs in
  its place in that same order, before the scripts added later read the options. The other
  inline scripts (the colour mode, togglebutton's settings) need no script before them and
  still run at once.
"""
import html
import json
import re
from pathlib import Path

SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)></script>\n?")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
SCRIPT_PRELOAD = re.compile(r'<link rel="preload" as="script"[^>]*>\n?')
NEEDS_OPTIONS = re.compile(r"<script>(?=\s*DOCUMENTATION_OPTIONS\b)")
# The next frame's callbacks run before it is drawn; a task queued from them runs after. The
# promise window.bpScriptsRan resolves once the last script has run (scripts/build_pdf.py and the
# browser tests wait for it).
LOADER = """<script>
window.bpScriptsRan = new Promise((ran) => document.addEventListener("DOMContentLoaded", () =>
  requestAnimationFrame(() => setTimeout(() => {
    let script;
    for (const attributes of SCRIPTS) {
      script = document.createElement("script");
      script.async = false;  // run in the order listed
      for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
      document.head.append(script);
    }
    script.addEventListener("load", ran);
    script.addEventListener("error", ran);
  }))));
</script>
"""


def run_after_drawing(text):
    """``text`` (a page) with its scripts added back once it has been parsed and drawn."""
    later = []

    def take(match):
        attributes = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(match["attributes"])
                      if name not in ("defer", "async")}
        src = attributes.get("src", "")
        if not src or attributes.get("type", "text/javascript") != "text/javascript":
            return match.group(0)
        if "documentation_options" in src:
            return f'<script defer src="{html.escape(src)}"></script>\n'
        later.append(attributes)
        return ""

    text = NEEDS_OPTIONS.sub('<script type="module">', SCRIPT.sub(take, text))
    if not later:
        return text
    text = SCRIPT_PRELOAD.sub("", text)
    listed = json.dumps(later).replace("</", "<\\/")
    return text.replace("</body>", LOADER.replace("SCRIPTS", listed) + "</body>", 1)


def defer_scripts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        rewritten = run_after_drawing(text)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def setup(app):
    app.connect("build-finished", defer_scripts, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
