"""The site: a strict build with no warnings, and pages that need nothing from a third party.

The build (``jupyter-book build . -W -n --keep-going``, which executes every notebook) runs once
per test session into a temporary folder (the ``build`` fixture in conftest.py). The tests that
need it are marked ``site``; ``python -m pytest -m "not site"`` skips them. Then every
built page is read: no script, stylesheet, font or image comes from another host (plain ``<a>``
links may point anywhere), every image has alt text, every formula was typeset by KaTeX when the
site was built (no math script, no KaTeX error, no raw TeX left in the text), every glue
reference was filled in, and the blank exercises can be downloaded.
"""
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf  # noqa: E402  (its reading of _toc.yml)
site = pytest.mark.site

# Printed by every notebook's kernel (ipykernel) on start-up, not by Sphinx: the kernel runs on
# this machine and its messages never leave it. Any other line with WARNING fails the test.
KERNEL_TRANSPORT_NOTICE = "[IPKernelApp] WARNING | Kernel is running over TCP without encryption."
# ipykernel 7.4.0, asked to shut down once its notebook has run, can flush stdout through its IO
# thread's pipe just after closing it, and logs the traceback to the build's stderr; the outputs
# are already in. ipykernel#1518 caught the same race on another path (_really_send), not this one.
KERNEL_SHUTDOWN_RACE = ("ERROR:tornado.general:Uncaught exception in ZMQStream callback",
                        "in process_control", "zmq.error.ZMQError: Socket operation on non-socket")
PROBLEM = re.compile(r"WARNING|\b(ERROR|CRITICAL|SEVERE)\b")
# (tag, attribute) pairs whose URL the browser fetches while showing the page
FETCHED = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
           ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
           ("embed", "src"), ("object", "data"), ("input", "src"), ("track", "src")}
CSS_URL = re.compile(r"""(?:@import\s+|url\()\s*['"]?\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)


def toc_files():
    """Every file named in _toc.yml (the root first), without suffix, relative to the root."""
    return [f for _, files in build_pdf.toc_parts(ROOT, left_out=()) for f in files]


def is_external(url):
    url = url.strip()
    return bool(urlparse(url).scheme in ("http", "https") or url.startswith("//"))


class Page(HTMLParser):
    """Tags and attributes of one HTML page, inline <script>/<style> text, and visible text."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.tags = []          # (tag, attrs dict)
        self.inline = []        # (tag, text) of <script>/<style> without src
        self.text = []          # visible text
        self._open = None
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._open = (tag, [])

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.inline.append((tag, "".join(self._open[1])))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def pages(build):
    html = build[2]
    found = sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts)
    assert found, f"no HTML pages were built in {html}"
    return {p.relative_to(html).as_posix(): Page(p) for p in found}


def without_kernel_shutdown_race(lines):
    """``lines`` without each traceback of KERNEL_SHUTDOWN_RACE (from its first line to its last,
    passing through ipykernel's process_control); any other traceback stays."""
    first, through, last = KERNEL_SHUTDOWN_RACE
    kept, i = [], 0
    while i < len(lines):
        end = next((j for j in range(i + 1, min(i + 40, len(lines))) if lines[j].startswith("zmq.error.")), None)
        if (lines[i] == first and end is not None and lines[end] == last
                and any(through in line for line in lines[i:end])):
            i = end + 1
        else:
            kept.append(lines[i])
            i += 1
    return kept


def test_only_the_known_kernel_shutdown_race_is_left_out_of_the_build_log():
    race = [KERNEL_SHUTDOWN_RACE[0], "Traceback (most recent call last):",
            '  File "ipykernel/kernelbase.py", line 372, in dispatch_control',
            '  File "ipykernel/kernelbase.py", line 406, in process_control', "    sys.stdout.flush()",
            KERNEL_SHUTDOWN_RACE[2]]
    other = [KERNEL_SHUTDOWN_RACE[0], "Traceback (most recent call last):",
             '  File "ipykernel/kernelbase.py", line 500, in execute_request',
             "zmq.error.ZMQError: Socket operation on non-socket"]
    assert without_kernel_shutdown_race(["a", *race, "b"]) == ["a", "b"]
    assert without_kernel_shutdown_race(["a", *other, "b"]) == ["a", *other, "b"]
    assert without_kernel_shutdown_race(race[:-1] + ["zmq.error.ZMQError: Address in use"]) == \
        race[:-1] + ["zmq.error.ZMQError: Address in use"]


@site
def test_build_succeeds_without_warnings(build):
    returncode, lines = build[:2]
    if lines is None:
        pytest.skip("BPLIB_SITE_HTML names a site built earlier: its build log is not checked here")
    problems = [line for line in without_kernel_shutdown_race(lines)
                if PROBLEM.search(line) and KERNEL_TRANSPORT_NOTICE not in line]
    assert not problems, f"{len(problems)} warning/error line(s) in the build:\n" + "\n".join(problems)
    assert returncode == 0, "jupyter-book build failed:\n" + "\n".join(lines[-40:])


@site
def test_every_notebook_was_executed_by_this_build(build):
    """The build runs every notebook (_ext/parallel_execution.py, or myst-nb itself when a run
    failed): none is rendered from its stored outputs or from an earlier build's cache."""
    lines = build[1]
    if lines is None:
        pytest.skip("BPLIB_SITE_HTML names a site built earlier: its build log is not checked here")
    log = "\n".join(lines)
    notebooks = [f for f in toc_files() if (ROOT / f"{f}.ipynb").is_file()]
    assert notebooks, "no notebook in _toc.yml"
    missing = [f for f in notebooks
               if not re.search(rf"^\s*{re.escape(f)}: executed in \d", log, re.MULTILINE)
               and f"{ROOT / f}.ipynb: Executed notebook in" not in log]
    assert not missing, f"notebooks the build did not execute: {missing}"
    cached = re.findall(r"(\S+\.ipynb): Using cached notebook", log)
    assert len(cached) <= len(notebooks), cached


@site
def test_every_page_of_the_toc_is_built(build):
    html = build[2]
    missing = [f for f in toc_files() if not (html / f"{f}.html").is_file()]
    assert not missing, f"pages in _toc.yml with no HTML: {missing}"
    assert not (html / "exercises" / "blank").exists(), "blank exercises must not be built as pages"


@site
def test_nothing_is_fetched_from_another_host(pages):
    offending = []
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr, value in attrs.items():
                if (tag, attr) in FETCHED and value:
                    urls = [u.split()[0] for u in value.split(",")] if attr == "srcset" else [value]
                    offending += [f"{name}: <{tag} {attr}={u}>" for u in urls if is_external(u)]
            style = attrs.get("style") or ""
            offending += [f"{name}: <{tag} style=...{u}>" for u in CSS_URL.findall(style)]
        for tag, text in page.inline:
            if tag == "style":
                offending += [f"{name}: <style> {u}" for u in CSS_URL.findall(text)]
    assert not offending, "resources from another host:\n" + "\n".join(sorted(set(offending)))


@site
def test_stylesheets_and_fonts_are_local(build):
    html = build[2]
    offending = [f"{css.relative_to(html)}: {url}" for css in html.rglob("*.css")
                 for url in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace"))]
    assert not offending, "stylesheets that import or load fonts from another host:\n" + "\n".join(offending)


@site
def test_no_widget_manager_or_thebe_is_loaded_with_the_page(pages):
    """No require.js / html-manager (no page shows a live widget) and no Thebe (it needs a CDN)."""
    loaded = [f"{name}: {attrs['src']}" for name, page in pages.items() for tag, attrs in page.tags
              if tag == "script" and re.search(r"require|html-manager|embed-amd|thebe",
                                               attrs.get("src") or "")]
    assert not loaded, "scripts that must not load with the page:\n" + "\n".join(loaded)
    views = [name for name, page in pages.items()
             if any("application/vnd.jupyter.widget-view+json" in text for _, text in page.inline)]
    assert not views, f"pages with a live widget view (tag the interact cell remove-output): {views}"


@site
def test_sphinx_design_is_loaded_only_where_it_is_used(pages):
    """sphinx-design's stylesheet holds up a page's first paint: only a page with one of its
    components (an ``sd-`` class) loads it or its tab script (_ext/unused_files.py)."""
    loaded = [name for name, page in pages.items()
              if any(re.search(r"sphinx-design|design-tabs", attrs.get("href") or attrs.get("src") or "")
                     for tag, attrs in page.tags if tag in ("link", "script"))
              and not any(c.startswith("sd-") for _, attrs in page.tags for c in (attrs.get("class") or "").split())]
    assert not loaded, f"pages that load sphinx-design without using it: {loaded}"


@site
def test_no_page_loads_a_script_or_stylesheet_twice(pages):
    for name, page in pages.items():
        sources = [attrs["src"].split("?")[0] for tag, attrs in page.tags if tag == "script" and attrs.get("src")]
        sources += [attrs["href"].split("?")[0] for tag, attrs in page.tags
                    if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href")]
        twice = sorted({s for s in sources if sources.count(s) > 1})
        assert not twice, f"{name} loads {twice} more than once"


@site
def test_no_script_holds_up_the_text(pages):
    """_ext/deferred_scripts.py: a script without ``defer`` stops the browser reading the page until
    it has arrived and run (on a phone the text waited for about 26 KB gzipped of them), and a
    deferred one runs before the browser draws the page's end (the formulas of a long chapter
    waited up to half a second more, issue 20). The one script element with a ``src`` left in a
    page is documentation_options.js, deferred (the inline settings of DOCUMENTATION_OPTIONS need
    it); the others are added by the page once it is drawn, and no page preloads them."""
    found = sorted({f"{name}: {attrs.get('src') or attrs.get('href')}".split("?")[0]
                    for name, page in pages.items() for tag, attrs in page.tags
                    if (tag == "script" and attrs.get("src")
                        and not ("documentation_options.js" in attrs["src"] and "defer" in attrs))
                    or (tag == "link" and attrs.get("rel") == "preload" and attrs.get("as") == "script")})
    assert not found, "scripts fetched or run before the page is drawn:\n" + "\n".join(found[:40])


@site
def test_pictures_are_files_not_data_urls(pages):
    """_ext/picture_files.py: the players' frames, written into the notebooks' output as data URLs,
    are files on the site, so a phone does not download every frame before the page's text."""
    inlined = {name: n for name, page in pages.items()
               if (n := sum(text.count("data:image/") for _, text in page.inline)
                   + sum(str(attrs.get("src", "")).startswith("data:image/") for _, attrs in page.tags))}
    assert not inlined, f"pages that carry pictures as data URLs (page: how many): {inlined}"


@site
def test_inline_scripts_name_no_other_host(pages):
    """An inline script could inject a third-party script (as sphinx-thebe's did)."""
    offending = []
    for name, page in pages.items():
        for tag, text in page.inline:
            if tag != "script":
                continue
            for url in re.findall(r"https?://[^\s\"'<>)]+", text):
                if not re.match(r"https?://(www\.)?w3\.org/", url):
                    offending.append(f"{name}: {url}")
    assert not offending, "inline scripts that name another host:\n" + "\n".join(sorted(set(offending)))


@site
def test_the_site_weighs_at_most_12_mb(build):
    """Everything a reader could download, on disk; the heaviest page is weighed in a browser."""
    html = build[2]
    files = [p for p in html.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    folders = {}
    for p in files:
        top = p.relative_to(html).parts[0] if len(p.relative_to(html).parts) > 1 else "(pages at the root)"
        folders[top] = folders.get(top, 0) + p.stat().st_size
    print(f"site: {total / 2**20:.1f} MB")
    assert total <= 12 * 2**20, (f"the site is {total / 2**20:.1f} MB (at most 12 MB); by folder: "
                                 + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in sorted(folders.items(), key=lambda x: -x[1])))
    maps = [str(p.relative_to(html)) for p in files if p.suffix == ".map"]
    assert not maps, f"source maps are served: {maps[:5]}"


@site
def test_every_image_has_alt_text(pages):
    missing = [f"{name}: <img src={attrs.get('src', '')[:80]!r}>" for name, page in pages.items()
               for tag, attrs in page.tags if tag == "img" and not (attrs.get("alt") or "").strip()]
    assert not missing, f"{len(missing)} image(s) without alt text:\n" + "\n".join(missing)


class ProseText(HTMLParser):
    """The text a reader sees on a page outside code: no <script>, <style>, <pre>, <code>, <kbd>,
    <samp> or <textarea>, no signature of the API page (``dt.sig``: Python, whose defaults may be
    matplotlib labels such as '$x_1$'), and no MathML (whose <annotation> keeps each formula's
    TeX for a screen reader)."""

    SKIP = {"script", "style", "pre", "code", "kbd", "samp", "textarea", "math"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, skipped) of every element not yet closed
        self.text = []
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.open.append((tag, tag in self.SKIP or (tag == "dt" and "sig" in classes)))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if not any(skipped for _, skipped in self.open):
            self.text.append(data)


RAW_TEX = re.compile(r"\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\end\{|\\(?:frac|partial|delta|eta|sum|mathrm|text)\b")


def math_classes(attrs):
    return (attrs.get("class") or "").split()


@site
def test_formulas_are_typeset_when_the_site_is_built(build, pages):
    """Every formula (``span.math``, ``div.math``) holds KaTeX's rendering, no page loads a math
    script, pages with formulas link the site's own KaTeX stylesheet, and every font that
    stylesheet names is served (WOFF2 only)."""
    html = build[2]
    with_math = {}
    for name, page in pages.items():
        formulas = sum(1 for tag, attrs in page.tags if tag in ("span", "div") and "math" in math_classes(attrs))
        rendered = sum(1 for tag, attrs in page.tags if tag == "span" and "katex" in math_classes(attrs))
        errors = sum(1 for tag, attrs in page.tags if "katex-error" in math_classes(attrs))
        scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script" and attrs.get("src")]
        math_scripts = [s for s in scripts if re.search(r"mathjax|katex", s, re.IGNORECASE)]
        math_scripts += [name for tag, text in page.inline if tag == "script" and "MathJax" in text]
        assert not math_scripts, f"{name} loads a math script: {math_scripts}"
        assert not errors, f"{name} has {errors} formula(s) KaTeX could not render (.katex-error)"
        assert rendered == formulas, f"{name}: {formulas} formulas, {rendered} typeset by KaTeX"
        if formulas:
            with_math[name] = formulas
    assert with_math.get("notation.html", 0) > 50, f"the notation page should be full of formulas: {with_math}"
    assert with_math.get("chapters/06_output_layer.html", 0) > 100, with_math
    css = html / "_static" / "katex" / "katex.min.css"
    for name in with_math:
        links = [attrs["href"] for tag, attrs in pages[name].tags
                 if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and "katex" in attrs.get("href", "")]
        assert links, f"{name} has formulas but links no KaTeX stylesheet"
        for href in links:
            assert not is_external(href), f"{name} loads KaTeX's stylesheet from another host: {href}"
            assert ((html / name).parent / href.split("?")[0]).resolve() == css.resolve(), (name, href)
    fonts = re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8"))
    assert fonts and all(f.endswith(".woff2") for f in fonts), f"KaTeX's stylesheet names other fonts: {fonts}"
    missing = [f for f in fonts if not (css.parent / f).is_file()]
    assert not missing, f"fonts KaTeX's stylesheet names that are not served: {missing}"
    assert not (html / "_static" / "mathjax").exists(), "MathJax is still copied into the site"


@site
def test_no_raw_tex_is_left_in_the_text(build):
    """A formula that escaped the renderer (a ``$`` pair in a notebook's Markdown output, an HTML
    output, a docstring) shows its TeX to the reader: none may be left outside code."""
    html = build[2]
    found = []
    for path in sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts):
        text = " ".join(" ".join(ProseText(path).text).split())
        found += [f"{path.relative_to(html)}: ...{text[max(0, m.start() - 40):m.end() + 40]}..."
                  for m in RAW_TEX.finditer(text)]
    assert not found, f"{len(found)} piece(s) of raw TeX in the pages' text:\n" + "\n".join(found[:40])


@site
def test_every_glue_reference_was_filled_in(pages):
    raw = [f"{name}: {m.group(0)}" for name, page in pages.items()
           for m in re.finditer(r"\{glue(:[a-z]+)?\}`?[^\s`]*", "".join(page.text))]
    assert not raw, "glue references left as text:\n" + "\n".join(raw)


@site
def test_blank_exercises_are_downloadable(build, pages):
    html = build[2]
    exercises = [Path(f).name for f in toc_files() if f.startswith("exercises/ex")]   # practice.ipynb has no blank copy
    assert exercises, "no exercises in _toc.yml"
    downloads = {p.name for p in (html / "_downloads").rglob("*.ipynb")} if (html / "_downloads").is_dir() else set()
    links = {Path(attrs.get("href", "")).name for tag, attrs in pages["intro.html"].tags
             if tag == "a" and "_downloads/" in attrs.get("href", "")}
    for stem in exercises:
        name = f"{stem}.ipynb"
        assert (ROOT / "exercises" / "blank" / name).is_file(), f"exercises/blank/{name} does not exist"
        assert name in downloads, f"{name} is not in the site's _downloads; found {sorted(downloads)}"
        assert name in links, f"intro.html has no download link to the blank {name}; links: {sorted(links)}"


# Checks of the book's sources, fast, no build needed -------------------------------------------

def test_toc_lists_every_notebook_and_nothing_else():
    listed = set(toc_files())
    on_disk = {p.relative_to(ROOT).with_suffix("").as_posix()
               for folder in ("chapters", "exercises") for p in (ROOT / folder).glob("*.ipynb")}
    assert not on_disk - listed, f"notebooks missing from _toc.yml: {sorted(on_disk - listed)}"
    absent = [f for f in listed if not any((ROOT / f).with_suffix(s).is_file() for s in (".md", ".ipynb"))]
    assert not absent, f"_toc.yml lists files that do not exist: {absent}"


def test_api_page_documents_every_public_module():
    import pkgutil

    import bplib

    api = (ROOT / "api.md").read_text(encoding="utf-8")
    modules = [m.name for m in pkgutil.walk_packages(bplib.__path__, "bplib.")
               if not any(part.startswith("_") for part in m.name.split("."))]
    documented = set(re.findall(r"automodule::\s+(\S+)", api))
    missing = [m for m in modules if m not in documented]
    assert not missing, f"modules missing from api.md (add an automodule section): {missing}"


def test_intro_gives_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m venv .*$", readme, re.MULTILINE)
    assert len(commands) == 2, f"README.md should have the two commands; found {commands}"
    for command in commands:
        assert command in intro, f"intro.md does not give the README's command {command!r}"


def test_scrubbable_player_is_named_sized_and_self_contained():
    """The player's markup, without a browser (tests/test_site_browser.py drives it in one)."""
    import json

    import matplotlib
    matplotlib.use("Agg")
    import numpy as np

    import bplib
    from bplib.plots.scrub import scrubbable
    from bplib.plots.stepthrough import backward_pass_player
    from bplib.plots.style import PLAYER_MAX_WIDTH, new_figure

    fig, ax = new_figure(width=3.0, height=2.0)
    (line,) = ax.plot([0, 1], [0, 0])
    html = scrubbable(fig, lambda i: line.set_ydata([0, i]), 3, alt=["zero", "one", "two"]).data
    page = Page.__new__(Page)
    HTMLParser.__init__(page, convert_charrefs=True)
    page.tags, page.inline, page.text, page._open = [], [], [], None
    page.feed(html)
    tags = page.tags
    slider = [a for t, a in tags if t == "input"]
    assert len(slider) == 1 and slider[0].get("type") == "range" and slider[0].get("aria-label"), \
        f"the player should have one range input with an aria-label; found {slider}"
    labels = sorted(a.get("aria-label") for t, a in tags if t == "button")
    assert labels == sorted(["First frame", "Previous frame", "Play", "Next frame", "Last frame"]), labels
    img = [a for t, a in tags if t == "img"]
    assert len(img) == 1 and img[0]["alt"] == "zero" and img[0]["width"] == "300", img
    data = json.loads(next(text for t, text in page.inline if t == "script" and text.lstrip().startswith("{")))
    assert data["alts"] == ["zero", "one", "two"] and len(data["frames"]) == 2, {k: len(v) for k, v in data.items()
                                                                              if isinstance(v, list)}
    assert len(set(data["frames"] + [img[0]["src"]])) == 3, "the three frames should differ"
    assert not re.search(r"https?://(?!www\.w3\.org/)", html), "the player names another host"

    net = bplib.Network.random([2, 3, 2, 2], bias=False, rng=np.random.default_rng(0))
    wide = backward_pass_player(net, np.array([[0.5, -1.0]]), np.array([[1.0, 0.0]]), eta=0.5, width=7, height=3.9)
    width = int(re.search(r'<img [^>]*width="(\d+)"', wide.data).group(1))
    assert width <= PLAYER_MAX_WIDTH * 100, f"the backward-pass player is {width} px wide (phone column: 358 px)"
    alts = json.loads(re.search(r'<script type="application/json">(.*?)</script>', wide.data).group(1))["alts"]
    assert len(set(alts)) == len(alts) and all("y=" in a for a in alts), alts[:2]


def test_table_shows_the_same_cells_as_html_markdown_and_text():
    """bplib.plots.table.Table (chapter 9's comparisons): a real table with column headers in
    HTML, a Markdown table, aligned text; every cell exactly once, escaped; bad input named."""
    from bplib.plots.table import Table

    headers = ("quantity", "slide", "exact")
    rows = [("Input_Top", "0.76", 0.755), ("a|b <i>", "-1.5e-3", "n/a")]
    table = Table(headers, rows, caption="Example <2>")
    expected = [list(headers)] + [[str(c) for c in row] for row in rows]

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.rows, self.col_headers, self.caption, self._cell, self._in_caption = [], [], "", None, False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self._cell = []
                if tag == "th" and attrs.get("scope") == "col":
                    self.col_headers.append(True)
            elif tag == "caption":
                self._in_caption = True

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append("".join(self._cell))
                self._cell = None
            elif tag == "caption":
                self._in_caption = False

        def handle_data(self, data):
            if self._cell is not None:
                self._cell.append(data)
            elif self._in_caption:
                self.caption += data

    html = table._repr_html_()
    parsed = Cells()
    parsed.feed(html)
    assert parsed.rows == expected, parsed.rows
    assert len(parsed.col_headers) == len(headers), "every column header needs scope=col"
    assert parsed.caption == "Example <2>" and "<i>" not in html and "<2>" not in html, html
    assert 'tabindex="0"' in html and 'role="region"' in html, "a scroll box must be reachable by keyboard"

    lines = table._repr_markdown_().splitlines()
    assert lines[0] == "**Example <2>**" and lines[1] == ""
    split = [[c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]
    assert split[0] == expected[0] and split[2:] == expected[1:], split
    assert set("".join(split[1])) <= set(":-"), split[1]

    text = str(table).splitlines()
    assert [re.split(r"\s{2,}", line.strip()) for line in text[:1] + text[2:]] == expected, text
    assert set(text[1]) <= {"-", " "} and "Example" not in str(table)
    assert repr(table).startswith("Example <2>\n\n") and repr(table).endswith(str(table))

    with pytest.raises(ValueError, match=r"rows\[1\]"):
        Table(headers, [("a", "b", "c"), ("a", "b")])
    with pytest.raises(TypeError, match="headers"):
        Table("quantity", rows)
    with pytest.raises(TypeError, match="caption"):
        Table(headers, rows, caption=3)
    with pytest.raises(ValueError, match="headers"):
        Table((), [])


def test_katex_renderer_numbers_references_and_reports_a_bad_formula(tmp_path):
    """_ext/katex_math.py on a two-page project (no notebook run, a few seconds): a numbered
    ``$$...$$ (label)`` gets Sphinx's id and number, ``{eq}`` links to it, an amsmath environment
    and a display of several paragraphs are typeset, and a formula KaTeX cannot read is a build
    warning naming the page, the line and the formula (so the strict build fails on it)."""
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_parser', 'katex_math']\n"
        "myst_enable_extensions = ['dollarmath', 'amsmath']\nnumfig = True\n", encoding="utf-8")
    (src / "index.md").write_text(
        "# Page\n\n```{toctree}\nbad\n```\n\n$$ a^2 + b^2 = c^2 $$ (pythagoras)\n\nSee {eq}`pythagoras`.\n\n"
        "\\begin{align}\nx &= 1 \\\\\ny &= 2\n\\end{align}\n\n$$\na = b\n\nc = d \\\\ e = f\n$$\n\n"
        "Inline $\\delta_j$.\n", encoding="utf-8")
    (src / "bad.md").write_text("# Bad\n\nA broken formula $\\frac{a$ here.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "bad.md:3" in warnings[0] and "'\\\\frac{a'" in warnings[0], run.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="math notranslate nohighlight" id="equation-pythagoras">\s*<span class="eqno">\(1\)',
                     index), "the numbered equation lost its id or its number"
    assert '<a class="reference internal" href="#equation-pythagoras">(1)</a>' in index
    assert index.count('class="katex-display"') == 3 and index.count('class="katex"') == 4
    assert 'class="katex-error"' not in index
    assert not re.search(r"<script[^>]*(mathjax|katex)", index, re.IGNORECASE), "a math script is loaded"
    assert 'href="_static/katex/katex.min.css' in index
    bad = (tmp_path / "out" / "bad.html").read_text(encoding="utf-8")
    assert bad.count('class="katex-error"') == 1
