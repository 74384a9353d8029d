"""The book's own Sphinx extension: what the site serves, and two fixes to the theme's markup.

Loaded through ``sphinx.local_extensions`` in _config.yml.

- MathJax 3 is served by the site from the ``sphinx-mathjax-offline`` package's copy, as that
  package's own extension does, but only the part a page can load: ``tex-chtml.js``, its
  CommonHTML fonts, the TeX extensions it autoloads, and the accessibility components its menu
  loads on request (with English speech rules and Nemeth Braille only; the menu itself is part
  of ``tex-chtml.js``, which declares ``ui/menu`` loaded, so ``ui/`` is not served). The other combined builds
  (SVG output, MathML input, ...) are never loaded and are not copied: 3.2 MB instead of 24 MB.
- MathJax's menu is kept (right click on a formula) but out of the keyboard's tab order, where
  it would put every formula of a page between the reader and the next link.
- Font Awesome: the theme loads its whole icon set on every page (``scripts/fontawesome.js``,
  1.45 MB, 540 KB gzipped) to draw about twenty icons; ``_ext/fontawesome-subset.js`` (written
  by ``_ext/make_fontawesome_subset.py``) takes its place. The theme's stylesheet still draws
  a few icons with Font Awesome's fonts (the admonitions' icons): the fonts keep only the glyphs
  the stylesheets name outside Font Awesome's own icon classes (fontTools, WOFF2), and
  companion.css keeps ``<i class="fa-...">`` from drawing a glyph before the script swaps it for
  its SVG; Font Awesome's two thousand ``.fa-NAME:before`` rules leave the theme's stylesheet. The TrueType copies are not served: browsers read the WOFF2 copies listed first.
- Figures (``_images/*.png``) are reduced to 256 colours (matplotlib's figures have few colours,
  and the pages that show many of them weighed over a megabyte) and stored in the smaller of
  two lossless encodings of those pixels: a palette PNG, or WebP (lossless), which is about a
  quarter smaller for most figures (every browser since 2020 shows it); the pages' links to
  a figure are rewritten to the file kept.
- Source maps (``*.map``) of the theme's scripts and stylesheets are not served (only a browser's
  developer tools read them), nor the theme's translation catalogues (``_static/locales``, read
  by Sphinx at build time).
- No Thebe: the book turns its "Live code" button off (``launch_buttons.thebe``), but
  sphinx-thebe, which Jupyter Book always loads, still adds its configuration script (twice: a
  "THEBE_JS_URL has already been declared" error on every page), its loader and its stylesheet.
  They are taken off every page, and so is the ipywidgets state that myst-nb copies from a
  notebook's metadata (100 KB on chapter 4): no page shows a live widget, nothing reads it.
  The notebooks offered for download (``_sources``) lose it too; JupyterLab rebuilds it when
  the notebook runs. Their figures are stored in the site's 256 colours (1.8 MB less).
- Output images link to their full size, so a phone that shows a figure narrower than it was
  drawn lets the reader open it at full size: each image gets Sphinx's scaled-image link (it
  also declares the image's width and height, so the page does not jump while it loads).
- The API page: bplib's docstrings are written to read as plain text, where an indented block
  after a line ending in ":" is preformatted (the equations in ``bplib.backprop``'s). In
  reStructuredText that block is a quotation and its lines run together into one paragraph, so
  such a line's ":" becomes "::" (a literal block) before the docstring is parsed. The fields of
  NamedTuples, whose only docstring is Python's "Alias for field number N", are left out (the
  class's signature names them, its docstring says what they are).
- The bibliography: docutils marks the list of citations ``role="list"`` and each entry
  ``role="doc-biblioentry"``, a role ARIA 1.2 deprecated, so assistive technology (and axe-core)
  sees a list without items. Each entry becomes a ``listitem``.
- Hidden code cells: myst-nb's toggle (``<summary>``, showing "Show code cell source" or "Hide
  code cell source") carried ``aria-label="Toggle hidden content"``, a name that does not contain
  what it shows (WCAG 2.5.3 label in name; axe-core: label-content-name-mismatch), so a
  speech-input user who said what they saw could not press it. Its HTML is written as myst-nb
  writes it, without that label: the summary is named by the prompt it shows, and a screen
  reader hears it with its expanded or collapsed state.
"""
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_KEEP = [
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "input/mml.js",  # the explorer's semantic enrichment reads MathJax's MathML
    "a11y",
    "sre/mathmaps/base.json",
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
]
MAP_COMMENT = re.compile(rb"\n?(//|/\*)# sourceMappingURL=[^\s*]+(\s*\*/)?\s*$")


def mathjax_source():
    import sysconfig

    for base in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        folder = Path(base) / "sphinx-mathjax-offline" / "static" / "mathjax"
        if folder.is_dir():
            return folder
    raise FileNotFoundError("the sphinx-mathjax-offline package (requirements.txt) is not installed")


def configure_mathjax(app):
    config = dict(app.config.mathjax3_config or {})
    options = dict(config.get("options") or {})
    menu = dict(options.get("menuOptions") or {})
    menu["settings"] = {**(menu.get("settings") or {}), "inTabOrder": False}
    options["menuOptions"] = menu
    config["options"] = options
    app.config.mathjax3_config = config


def label_hidden_cells_by_their_prompt(app):
    """myst-nb's writer for hidden code cells, without the summary's aria-label (see the
    docstring). Registered once every extension is set up, so that it replaces myst-nb's."""
    from html import escape

    from myst_nb.sphinx_ import HideCodeCellNode

    def visit(self, node):
        classes = " ".join(node["classes"])
        self.body.append(f'<details class="admonition hide {classes}">\n')
        self.body.append("<summary>\n")
        self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
        self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
        self.body.append("</summary>\n")

    def depart(self, node):
        self.body.append("</details>\n")

    app.add_node(HideCodeCellNode, override=True, html=(visit, depart))


def page_fixes(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [f for f in context[key] if not _dropped(f)]


def _dropped(asset):
    """Thebe's assets, the saved state of ipywidgets (no page shows a live widget), and the copy
    of companion.js that Jupyter Book adds by itself (every script in _static/); setup() adds it
    once, deferred."""
    name = getattr(asset, "filename", None) or str(asset)
    attributes = getattr(asset, "attributes", None) or {}
    body = attributes.get("body") or ""
    return ("thebe" in name or "THEBE_JS_URL" in body
            or attributes.get("type") == "application/vnd.jupyter.widget-state+json"
            or (name.split("?")[0].endswith("companion.js") and "defer" not in attributes))


def literal_blocks(app, what, name, obj, options, lines):
    """Make an indented block after a line ending in ':' a literal block (see the docstring)."""
    for i, line in enumerate(lines[:-2]):
        text = line.rstrip()
        if not text.endswith(":") or text.endswith("::") or lines[i + 1].strip():
            continue
        following = next((l for l in lines[i + 2:] if l.strip()), "")
        if len(following) - len(following.lstrip()) > len(line) - len(line.lstrip()):
            lines[i] = text + ":"


def skip_namedtuple_aliases(app, what, name, obj, skip, options):
    doc = getattr(obj, "__doc__", None) or ""
    if not callable(obj) and doc.startswith("Alias for field number"):
        return True
    return None


def link_images_to_full_size(app, doctree, docname):
    """Mark every image without a size so that Sphinx links it to its full-size file."""
    for node in doctree.findall(nodes.image):
        if isinstance(node.parent, nodes.reference) or any(k in node for k in ("scale", "width", "height")):
            continue
        if str(node.get("uri", "")).lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            node["scale"] = 100


def serve_what_is_used(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import time

    started = time.perf_counter()
    # the figures and the downloadable notebooks, one file per task, in worker processes on
    # every core, while this process trims the static files
    notebooks = sorted((Path(app.outdir) / "_sources").rglob("*.ipynb"))
    images = sorted((Path(app.outdir) / "_images").glob("*.png"))
    pool = _pool()
    lightened = [pool.submit(lighten_notebook, path) for path in notebooks]
    compacted = [pool.submit(compact_image, path) for path in images]
    static = Path(app.outdir) / "_static"
    source = mathjax_source()
    target = static / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    for item in MATHJAX_KEEP:
        src, dst = source / item, target / item
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    for path in static.rglob("*.map"):
        path.unlink()
    for path in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        data = path.read_bytes()
        stripped = MAP_COMMENT.sub(b"\n", data)
        if stripped != data:
            path.write_bytes(stripped)
    shutil.rmtree(static / "locales", ignore_errors=True)
    shutil.copy2(Path(__file__).with_name("fontawesome-subset.js"), static / "scripts" / "fontawesome.js")
    for path in (static / "vendor").rglob("*.ttf"):
        path.unlink()
    subset_icon_fonts(static)
    for name in ("sphinx-thebe.js", "sphinx-thebe.css"):  # no page loads them (page_fixes)
        (static / name).unlink(missing_ok=True)
    kept = [future.result() for future in compacted]
    for future in lightened:
        future.result()
    pool.shutdown()
    renamed = {f"_images/{path.name}": f"_images/{new.name}" for path, new in zip(images, kept) if new != path}
    if renamed:
        link = re.compile("|".join(re.escape(old) for old in renamed))
        for page in Path(app.outdir).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            new_text = link.sub(lambda m: renamed[m.group(0)], text)
            if new_text != text:
                page.write_text(new_text, encoding="utf-8")
    logger.info(f"static files trimmed, {len(images)} figures and {len(notebooks)} notebooks lightened "
                f"in {time.perf_counter() - started:.1f} s")


FA_CLASS_RULE = re.compile(r"(?:(?<=\})|^)\s*(?:\.fa-[a-z0-9-]+:{1,2}before\s*,?\s*)+\{[^{}]*\}")
ICON_CHAR = re.compile(r"[\ue000-\uf8ff]|\\([ef][0-9a-f]{3})")


def subset_icon_fonts(static):
    """Drop Font Awesome's per-icon rules from the stylesheets (the icons are inline SVG) and
    keep in its fonts only the glyphs the stylesheets still use."""
    from fontTools import subset

    used = set()
    for css in static.rglob("*.css"):
        original = css.read_text(encoding="utf-8", errors="replace")
        text = FA_CLASS_RULE.sub("", original)
        if text != original:
            css.write_text(text, encoding="utf-8")
        for m in ICON_CHAR.finditer(text):
            used.add(int(m.group(1), 16) if m.group(1) else ord(m.group(0)))
    for font in (static / "vendor").rglob("*.woff2"):
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        loaded = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(used) or [0x20])
        subsetter.subset(loaded)
        subset.save_font(loaded, str(font), options)


def _pool():
    import concurrent.futures
    import multiprocessing
    import os

    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # fork: the workers need nothing but PIL and start at once (this process runs no threads now)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return concurrent.futures.ProcessPoolExecutor(max_workers=max(1, workers),
                                                  mp_context=multiprocessing.get_context(method))


def lighten_notebook(path):
    """The downloadable copy of a notebook without its saved ipywidgets state (no live widgets),
    its figures in the site's 256 colours (palette PNGs: half the file, the pixels the site shows)."""
    import base64
    import io
    import json

    from PIL import Image

    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = notebook.get("metadata", {}).pop("widgets", None) is not None
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            raw = base64.b64decode("".join(data["image/png"]))
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
            if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
                image = image.convert("RGB")
            if image.mode != "RGB":
                continue
            out = io.BytesIO()
            image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "png", optimize=True)
            if len(out.getvalue()) < len(raw):
                data["image/png"] = base64.b64encode(out.getvalue()).decode("ascii")
                changed = True
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def compact_image(path):
    """Store the figure at ``path`` in 256 colours, as the smallest of: the original, a palette
    PNG, a lossless WebP of the palette PNG's pixels (``.webp`` beside it). Returns the path kept."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
    if image.mode not in ("RGB", "RGBA", "P"):
        return path
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")
    if image.mode != "P":
        method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
        image = image.quantize(256, method=method, dither=Image.Dither.NONE)
        out = path.with_suffix(".tmp.png")
        image.save(out, format="png", optimize=True)
        if out.stat().st_size < path.stat().st_size:
            out.replace(path)
        else:
            out.unlink()
    webp = path.with_suffix(".webp")
    alpha = "transparency" in image.info or (image.palette is not None and image.palette.mode == "RGBA")
    pixels = image.convert("RGBA" if alpha else "RGB")
    pixels.save(webp, format="webp", lossless=True, quality=100, method=4)  # method 6: 100x slower, 1% smaller
    if webp.stat().st_size < path.stat().st_size:
        path.unlink()
        return webp
    webp.unlink()
    return path


def setup(app):
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("builder-inited", configure_mathjax, priority=900)
    app.connect("builder-inited", label_hidden_cells_by_their_prompt, priority=900)
    app.connect("html-page-context", page_fixes, priority=900)
    app.connect("doctree-resolved", link_images_to_full_size)
    app.connect("autodoc-process-docstring", literal_blocks, priority=400)
    app.connect("autodoc-skip-member", skip_namedtuple_aliases)
    app.add_js_file("companion.js", loading_method="defer")
    app.connect("build-finished", serve_what_is_used)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
