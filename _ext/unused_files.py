"""What no page of the site uses is neither loaded by a page nor served.

- No Thebe: the book turns its "Live code" button off (``launch_buttons.thebe``), but
  sphinx-thebe, which Jupyter Book always loads, still adds its configuration script (twice: a
  "THEBE_JS_URL has already been declared" error on every page), its loader and its stylesheet.
  They are taken off every page and their files are not served.
- sphinx-design's stylesheet and tab script (8 and 3 KB gzipped), which Jupyter Book also always
  loads, are loaded only by a page that uses one of its components (an ``sd-`` class); no page
  of the book does today, and the stylesheet held up every page's first paint.
- The ipywidgets state that myst-nb copies from a notebook's metadata into the page (100 KB on
  chapter 4) is taken off: no page shows a live widget, nothing reads it.
- Source maps (``*.map``) of the theme's scripts and stylesheets are not served (only a browser's
  developer tools read them), and the comments that name them are taken out of the files; nor
  are the theme's translation catalogues (``_static/locales``, read by Sphinx at build time).
"""
import re
import shutil
from pathlib import Path

MAP_COMMENT = re.compile(rb"\n?(//|/\*)# sourceMappingURL=[^\s*]+(\s*\*/)?\s*$")
SPHINX_DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')


def drop_unused_assets(app, pagename, templatename, context, doctree):
    design = bool(SPHINX_DESIGN_CLASS.search(context.get("body", "")))
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [f for f in context[key] if not _unused(f, design)]


def _unused(asset, design):
    """Thebe's assets, the saved state of ipywidgets, and sphinx-design's assets on a page
    without its components (``design`` False)."""
    name = getattr(asset, "filename", None) or str(asset)
    attributes = getattr(asset, "attributes", None) or {}
    body = attributes.get("body") or ""
    return ("thebe" in name or "THEBE_JS_URL" in body
            or attributes.get("type") == "application/vnd.jupyter.widget-state+json"
            or (not design and ("sphinx-design" in name or "design-tabs" in name)))


def delete_unused_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    for path in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        data = path.read_bytes()
        stripped = MAP_COMMENT.sub(b"\n", data)
        if stripped != data:
            path.write_bytes(stripped)
    shutil.rmtree(static / "locales", ignore_errors=True)
    for name in ("sphinx-thebe.js", "sphinx-thebe.css"):  # no page loads them (drop_unused_assets)
        (static / name).unlink(missing_ok=True)


def setup(app):
    app.connect("html-page-context", drop_unused_assets, priority=900)
    # after katex_math.py has copied KaTeX (500), before icon_subset.py's fonts (520)
    app.connect("build-finished", delete_unused_files, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
