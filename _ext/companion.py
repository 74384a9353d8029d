"""The book's own changes to what Sphinx, the theme and myst-nb write: one entry, one module per job.

Loaded through ``sphinx.local_extensions`` in _config.yml; it only sets up the modules beside it,
each of which says in its docstring why it does what it does:

- ``markup_fixes.py``: myst-nb's hidden-cell toggles named by the prompt they show, the
  bibliography's entries as list items, output images linked to their full size, companion.js
  loaded once (deferred);
- ``api_docstrings.py``: the API page's docstrings (literal blocks, no NamedTuple field aliases);
- ``katex_math.py``: every formula typeset by KaTeX when the site is built (HTML beside MathML),
  no math script on any page, KaTeX's fonts cut down to the glyphs the formulas draw
  (``font_subset.py``, which icon_subset.py uses too);
- ``unused_files.py``: no Thebe, no ipywidgets state, no source maps, no translation catalogues,
  sphinx-design's assets only on a page that uses its components;
- ``icon_subset.py``: only the Font Awesome icons and glyphs the site shows;
- ``lighter_figures.py``: figures in 256 colours (palette PNG or lossless WebP), and the
  downloadable notebooks without widget state and with those figures;
- ``picture_files.py``: pictures written into a page as data URLs (the players' frames) served
  as files of their own;
- ``deferred_scripts.py``: a page's scripts run once it has been parsed and drawn, so none holds
  up its text or formulas;
- ``unused_css.py``: the theme's stylesheet without the rules that can apply to no page.

One entry rather than nine lines in _config.yml: the site's own files (companion.css,
companion.js, make_fontawesome_subset.py) point here for why they are as they are.
"""
PARTS = ("markup_fixes", "api_docstrings", "katex_math", "unused_files", "icon_subset",
         "lighter_figures", "picture_files", "deferred_scripts", "unused_css")


def setup(app):
    for name in PARTS:
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
