"""A WOFF2 font cut down to the glyphs the site draws with it (fontTools; WOFF2 needs brotli).

Used by icon_subset.py (Font Awesome's icon fonts) and katex_math.py (KaTeX's fonts).
"""
from fontTools import subset


def keep_glyphs(path, codepoints):
    """Rewrite the WOFF2 font at ``path`` with only the glyphs of ``codepoints`` (a space if
    there are none) and the glyphs those need."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints) or [0x20])
    subsetter.subset(font)
    subset.save_font(font, str(path), options)
