"""Build the whole book as one PDF: ``_build/pdf/backprop-companion.pdf``.

    .venv/bin/python scripts/build_pdf.py                      # builds the site, then the PDF
    .venv/bin/python scripts/build_pdf.py --html _build/html   # prints a site built earlier

The PDF is printed by the Chromium the browser tests use (``BPLIB_CHROMIUM``, default Debian's
``/usr/bin/chromium``, driven by Playwright's Python package; no browser is downloaded) from the
HTML pages of the book's own build, in the order of ``_toc.yml``. It prints the pages the site
publishes, so the PDF shows what the site shows (the same executed outputs, figure and equation
numbers), and it needs no second build: the tests print the site their session has built
(Jupyter Book's ``singlehtml`` builder would build the book again, executing every notebook, and
its one page is not the page the site's tests check). ``scripts/pdf_book.js`` puts every page
into one document (links between pages become links inside the PDF); one document, printed once,
gives one run of page numbers (``_static/print.css`` puts them in the footer) and Chromium's
outline (bookmarks) of parts, pages and sections, named here from the printed headings. The
contents page gets its page numbers from a first print's outline, then the book is printed again
with them.

What is printed: the landing page (as "About this book"), every page of ``_toc.yml`` except the
API reference (docstrings of the code, read beside the code on the site), and an appendix
"Answers and solutions": the chapters' self-check answers and the exercises' solutions are
collapsed on the site, and on paper a solution read by accident before trying spoils the
exercise, so they are moved to the back, each with a line at its place pointing there.
"""
import argparse
import contextlib
import datetime
import logging
import re
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import site_mobile  # noqa: E402  (the site server and Chromium's settings, kept in one place)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "_build" / "pdf" / "backprop-companion.pdf"
ASSEMBLE = Path(__file__).with_name("pdf_book.js")
LEFT_OUT = {"api"}
ROOT_TITLE = "About this book"
CHROMIUM = site_mobile.CHROMIUM
# pypdf reports that Chromium's trailer undercounts the PDF's objects; it reads the file all the same
logging.getLogger("pypdf").setLevel(logging.ERROR)
# A4 less the side margins of _static/print.css (17 mm each): the width the pages are laid out at
PAGE_FORMAT = "A4"
CONTENT_WIDTH_PX = round((210 - 2 * 17) / 25.4 * 96)
SUBTITLE = "An executable companion to Lesson 08 of CSC4007 Advanced Machine Learning: Backpropagation"


def toc_parts(root=ROOT, left_out=LEFT_OUT):
    """The book's pages in reading order, less ``left_out``: [(part caption or None, [docname, ...]), ...]."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = [(None, [toc["root"]])]
    for part in toc.get("parts", []):
        files = [entry["file"] for entry in part.get("chapters", [])]
        parts.append((part.get("caption"), [f for f in files if f not in left_out]))
    return [(caption, files) for caption, files in parts if files]


def published_site(root=ROOT):
    """The GitHub Pages address of the repository named in _config.yml (links to what the PDF leaves out)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+)", url)
    if not match:
        raise ValueError(f"_config.yml repository.url: expected https://github.com/OWNER/NAME, received {url!r}")
    owner, name = match.groups()
    return f"https://{owner.lower()}.github.io/{name}/", config["title"], config.get("author", "")


def outline_pages(pdf_bytes):
    """([(level, title, page number from 1), ...] of the PDF's outline in reading order, its page count)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, " ".join(item.title.split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found, len(reader.pages)


def retitle_outline(pdf_bytes, titles):
    """The PDF with its bookmarks named ``titles``, in order. Chromium names a bookmark from the
    heading's printed lines: it drops the space where a heading wraps, leaves formulas out and, for
    some headings, repeats the first line. The bookmarks are the printed headings in document order,
    so the titles read from the page replace them one for one."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    items = []

    def walk(node):
        child = node.get("/First")
        while child is not None:
            child = child.get_object()
            items.append(child)
            walk(child)
            child = child.get("/Next")

    outlines = writer.root_object.get("/Outlines")
    if outlines is not None:
        walk(outlines.get_object())
    if len(items) != len(titles):
        raise RuntimeError(f"the PDF has {len(items)} bookmarks for {len(titles)} printed headings")
    for item, title in zip(items, titles):
        item[NameObject("/Title")] = TextStringObject(title)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def contents_numbers(contents, outline):
    """Each contents entry's page: the outline entries are matched in order, by title.

    Titles are compared without their spaces: Chromium drops the space where a heading wraps.
    """
    numbers, start = {}, 0
    for entry in contents:
        title = "".join(entry["title"].split())
        for i in range(start, len(outline)):
            if "".join(outline[i][1].split()).startswith(title):
                numbers[entry["id"]] = outline[i][2]
                start = i + 1
                break
        else:
            raise RuntimeError(f"the PDF's outline has no entry {title!r} (after entry {start})")
    return numbers


FIT_WIDE = """() => {
  // a formula, table or picture wider than the page is scaled down to fit it: paper cannot scroll
  const fitted = [];
  for (const el of document.querySelectorAll('.katex-display, mjx-container[display="true"], div.math, div.bp-table, '
                                              + '.pst-scrollable-table-container, table, .bp-pdf-frames')) {
    if (el.parentElement.closest('[data-bp-fitted]')) continue;  // its box is scaled already
    const width = el.parentElement.clientWidth;
    if (el.scrollWidth > width + 1) {
      el.dataset.bpFitted = '';
      el.style.zoom = (width / el.scrollWidth).toFixed(3);
      fitted.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
    }
  }
  return fitted;
}"""
HEADING_TITLES = """() => {
  // every heading that is printed, in order, as a bookmark's title: its text, with a formula
  // written from its MathML (KaTeX's, or MathJax's assistive copy): a fraction as 1/2, a power as y^2
  const fromMathML = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent.trim();
    const parts = [...node.children].map(fromMathML);
    const name = node.localName;
    if (name === 'annotation' || name === 'annotation-xml') return '';
    if (name === 'semantics') return parts[0] || '';
    if (name === 'mfrac') return `${parts[0]}/${parts[1]}`;
    if (name === 'msup') return `${parts[0]}^${parts[1]}`;
    return node.children.length ? parts.join('') : node.textContent.trim();
  };
  const title = (h) => {
    const copy = h.cloneNode(true);
    for (const math of copy.querySelectorAll('.katex, mjx-container')) {
      const mathml = math.querySelector('math');
      math.replaceWith(mathml ? fromMathML(mathml) : '');
    }
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((h) => h.getClientRects().length && h.textContent.trim()).map(title);
}"""
FILL_NUMBERS = """(numbers) => {
  for (const el of document.querySelectorAll('.bp-contents-page')) el.textContent = numbers[el.dataset.for] ?? '';
}"""


def print_book(html, output, chromium=CHROMIUM, root=ROOT, log=print):
    """Print the built site in ``html`` to the PDF ``output``; returns its number of pages."""
    from playwright.sync_api import sync_playwright

    html, output = Path(html).resolve(), Path(output).resolve()
    if not (html / "intro.html").is_file():
        raise FileNotFoundError(f"html: expected a built site (a folder with intro.html), received {html}")
    if not Path(chromium).is_file():
        raise FileNotFoundError(f"no Chromium at {chromium}: install Debian's chromium (apt-get install chromium) "
                                "or set BPLIB_CHROMIUM")
    published, title, author = published_site(root)
    today = datetime.date.today().isoformat()
    front = {"title": title, "subtitle": SUBTITLE,
             "credits": [author, f"Printed from the book's site on {today}; online at "
                                 f'<a href="{published}">{published}</a>']}
    # a page may fetch the other pages only from a server
    with contextlib.closing(site_mobile.SiteServer(html)) as server, sync_playwright() as pw:
        base = f"{server.origin}/"
        parts = [{"caption": caption, "pages": [{"docname": f, "url": f"{base}{f}.html"} for f in files]}
                 for caption, files in toc_parts(root)]
        browser = pw.chromium.launch(executable_path=str(chromium), args=site_mobile.LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": 1000}, color_scheme="light")
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}intro.html", wait_until="load")
            page.evaluate("() => window.bpScriptsRan")  # run once the page is drawn (_ext/deferred_scripts.py)
            page.emulate_media(media="print", color_scheme="light")
            result = page.evaluate(ASSEMBLE.read_text(encoding="utf-8"),
                                   {"parts": parts, "front": front, "published": published, "rootTitle": ROOT_TITLE})
            if result["broken"]:
                raise RuntimeError("pictures that did not load: " + ", ".join(result["broken"]))
            fitted = page.evaluate(FIT_WIDE)
            log(f"{len(fitted)} wide formulas, tables or pictures scaled to the page width")
            options = {"format": PAGE_FORMAT, "print_background": True, "outline": True, "tagged": True}
            pdf = page.pdf(**options)
            # The contents' page numbers: read from one print's outline, filled in, printed again;
            # the contents keep their length (the numbers take the place of "000"), so the numbers hold.
            for attempt in range(3):
                outline, n_pages = outline_pages(pdf)
                numbers = contents_numbers(result["contents"], outline)
                page.evaluate(FILL_NUMBERS, numbers)
                pdf = page.pdf(**options)
                outline, n_pages = outline_pages(pdf)
                if contents_numbers(result["contents"], outline) == numbers:
                    break
            else:
                raise RuntimeError("the contents' page numbers did not settle after three prints")
            pdf = retitle_outline(pdf, page.evaluate(HEADING_TITLES))
        finally:
            browser.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    log(f"{output}: {n_pages} pages, {len(pdf) / 1e6:.1f} MB")
    return n_pages


def build_site(root=ROOT):
    """The site, built as the README's first command builds it, into root/_build/html."""
    exe = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(exe), "build", str(root)], check=True, cwd=root)
    return root / "_build" / "html"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="a site built earlier (its _build/html); default: build it now")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"the PDF to write (default {OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    html = args.html if args.html else build_site()
    print_book(html, args.output)


if __name__ == "__main__":
    main()
