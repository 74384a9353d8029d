"""The book as a PDF (scripts/build_pdf.py), printed from the site this test session built.

The PDF is made as the README's command makes it, ``scripts/build_pdf.py``, given the session's
strict build (the ``build`` fixture in conftest.py) with ``--html`` so that the book is not built a
second time. Then it is read with pypdf, which shares no code with Chromium: its outline names
every part, page, chapter and exercise of ``_toc.yml`` (titles read from the notebooks and
Markdown files themselves); no raw TeX and no widget or site-chrome text is left in it; every page
after the title page and the contents carries its number; the contents give the page each entry
starts on; every player shows its first and last frames; and its length is in a range set by the
site's own text and figures.

Needs Chromium at ``BPLIB_CHROMIUM`` (default ``/usr/bin/chromium``) and skips without it, as the
browser tests do (``.ci/run`` sets ``BPLIB_REQUIRE_BROWSER=1``: then a missing browser fails).
"""
import functools
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf  # noqa: E402

CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("BPLIB_REQUIRE_BROWSER") == "1"
pytestmark = [pytest.mark.site,
              pytest.mark.skipif(not Path(CHROMIUM).is_file() and not REQUIRED,
                                 reason=f"no Chromium at {CHROMIUM}: install Debian's chromium "
                                        "(apt-get install chromium) or set BPLIB_CHROMIUM")]

# What TeX looks like when nothing typeset it: commands, environments and the delimiters of
# Markdown and Sphinx math.
RAW_TEX = re.compile(r"\\(frac|begin\{|end\{|sum|partial|sigma|eta|delta|mathrm|text\{|left|right|cdot)"
                     r"|\$\$|\\\(|\\\)|\\\[|\\\]")
# What a widget prints where no widget manager runs, and the site's chrome: buttons and links
# that mean something only on screen.
DEBRIS = ["Loading", "Widget", "Skip to main content", "Back to top", "Ctrl+K", "Show code cell",
          "Hide code cell", "Print to PDF", "Copy to clipboard", "Toggle navigation"]
FRONT_PAGES = 2  # the title page and the contents: no page number


def source_title(docname):
    """The first level-1 heading of a page's source: a notebook's first Markdown cell, or a Markdown file."""
    path = ROOT / f"{docname}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    assert match, f"{docname} has no level-1 heading"
    return match.group(1).strip()


def squash(text):
    """A title without its spaces (Chromium drops the space where a heading wraps) and with plain
    quotes (the site prints typographic ones)."""
    return "".join(text.split()).translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


class ArticleCounter(HTMLParser):
    """Characters of text, pictures and players in a built page's article."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.skip = 0
        self.chars = self.pictures = self.players = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "article" and "bd-article" in classes:
            self.inside = True
        if not self.inside:
            return
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "img":
            self.pictures += 1
        elif "bp-player" in classes:
            self.players += 1

    def handle_endtag(self, tag):
        if self.inside and tag in ("script", "style"):
            self.skip -= 1
        elif tag == "article":
            self.inside = False

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.chars += len(" ".join(data.split()))


@pytest.fixture(scope="module")
def pdf(build, tmp_path_factory):
    """The PDF made from the session's site by the documented command: (pypdf reader, each page's text,
    each page's text outside code, the site's folder, the PDF's path)."""
    from pypdf import PdfReader

    _, _, html, _ = build
    # a build with warnings (test_site.py fails on them) has still written its pages
    assert (html / "intro.html").is_file(), f"the site build wrote no pages into {html}; see test_site.py"
    output = tmp_path_factory.mktemp("pdf") / "backprop-companion.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pdf.py"), "--html", str(html),
                             "--output", str(output)], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert result.returncode == 0, f"scripts/build_pdf.py failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    print(result.stdout)
    reader = PdfReader(output)
    texts, prose = [], []
    for page in reader.pages:
        runs = []
        texts.append(page.extract_text(visitor_text=functools.partial(keep_prose, runs)) or "")
        prose.append("".join(runs))
    return reader, texts, prose, html, output


def keep_prose(runs, text, cm, tm, font, size):
    """Collects the text outside code: what is not set in a monospace font (code may hold TeX, as a
    matplotlib label does)."""
    name = str((font or {}).get("/BaseFont", ""))
    if "Mono" not in name and "Courier" not in name:
        runs.append(text)


def test_outline_has_every_part_chapter_and_exercise(pdf):
    entries, _ = build_pdf.outline_pages(pdf[4].read_bytes())
    tops = [squash(title) for level, title, _ in entries if level == 0]
    pages = [squash(title) for level, title, _ in entries if level == 1]
    parts = build_pdf.toc_parts()
    for caption, files in parts:
        if caption:
            assert any(t.startswith(squash(caption)) for t in tops), f"no part {caption!r} in the outline: {tops}"
        for docname in files:
            title = build_pdf.ROOT_TITLE if caption is None else source_title(docname)
            level = tops if caption is None else pages
            assert any(t.startswith(squash(title)) for t in level), f"{docname}: no {title!r} in the outline"
    toc_names = [f for _, files in parts for f in files]
    assert any(f.startswith("chapters/") for f in toc_names) and any(f.startswith("exercises/") for f in toc_names)
    # sections too: every chapter's own entry has entries below it
    assert sum(1 for level, _, _ in entries if level == 2) > len(toc_names), "the outline has no sections"


def test_no_raw_tex_or_debris(pdf):
    _, texts, proses, _, _ = pdf
    for number, (text, prose) in enumerate(zip(texts, proses), start=1):
        tex = RAW_TEX.search(prose)
        assert not tex, f"page {number}: raw TeX {tex.group(0)!r} in {prose[max(0, tex.start() - 80):tex.end() + 80]!r}"
        for word in DEBRIS:
            assert word not in text, f"page {number}: {word!r} in the printed text"


def test_every_page_after_the_front_matter_is_numbered(pdf):
    _, texts, _, _, _ = pdf
    unnumbered = [n for n, text in enumerate(texts, start=1)
                  if n > FRONT_PAGES and str(n) not in [line.strip() for line in text.splitlines()]]
    assert not unnumbered, f"pages without their number: {unnumbered}"


def test_contents_give_the_page_each_entry_starts_on(pdf):
    reader, texts, _, _, pdf_file = pdf
    starts = [(squash(title), page) for level, title, page in build_pdf.outline_pages(pdf_file.read_bytes())[0]
              if level <= 1]
    contents = "\n".join(texts[1:FRONT_PAGES])
    lines = re.findall(r"^(.+?) (\d+)$", contents, re.M)
    assert len(lines) >= sum(len(files) for _, files in build_pdf.toc_parts()), f"contents: {contents!r}"
    for title, page in lines:
        match = [p for t, p in starts if t.startswith(squash(title))]
        assert match and int(page) in match, f"contents: {title!r} on page {page}, the outline says {match}"


def test_players_show_their_first_and_last_frames(pdf):
    _, texts, _, html, _ = pdf
    players = 0
    for _, files in build_pdf.toc_parts():
        for docname in files:
            counter = ArticleCounter()
            counter.feed((html / f"{docname}.html").read_text(encoding="utf-8"))
            players += counter.players
    text = "\n".join(texts)
    assert players > 0
    assert len(re.findall(r"First frame \(1 of (\d+)\)", text)) == players
    assert len(re.findall(r"Last frame \((\d+) of \1\)", text)) == players


def test_page_count_fits_the_sites_text_and_figures(pdf):
    """Each page of the site starts a new page, and so do the title page, the contents and each part.
    An A4 page with the print stylesheet's margins (17 mm at the sides, 18-20 mm top and bottom)
    holds at most about 60 lines of 100 characters (code, the densest text), so the text alone
    needs at least chars / 6000 pages; a page with less than 1200 characters of text and no
    picture would be less than a third full, and each picture takes at most a page (a player, two
    frames), so more than chars / 1200 + pictures + forced starts pages means pages are wasted."""
    reader, _, _, html, _ = pdf
    chars = pictures = 0
    parts = build_pdf.toc_parts()
    for _, files in parts:
        for docname in files:
            counter = ArticleCounter()
            counter.feed((html / f"{docname}.html").read_text(encoding="utf-8"))
            chars, pictures = chars + counter.chars, pictures + counter.pictures + counter.players
    starts = 2 + sum(1 for caption, _ in parts if caption) + sum(len(files) for _, files in parts) + 2
    low, high = starts + chars // 6000, starts + chars // 1200 + pictures
    assert low <= len(reader.pages) <= high, f"{len(reader.pages)} pages; expected {low} to {high}"


def test_the_site_links_to_the_pdf_and_the_workflow_publishes_it():
    """The landing page links to backprop-companion.pdf next to itself, and the publishing workflow
    builds the PDF into the published folder under that name, after the site."""
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    assert 'href="backprop-companion.pdf"' in intro
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    site = next(i for i, run in enumerate(runs) if "jupyter-book build" in run)
    pdf = next(i for i, run in enumerate(runs) if "scripts/build_pdf.py" in run)
    assert site < pdf, "the PDF is printed from the site: build the site first"
    assert "--output _build/html/backprop-companion.pdf" in runs[pdf]
    upload = next(i for i, step in enumerate(steps) if "upload-pages-artifact" in step.get("uses", ""))
    assert pdf < upload
