"""Font Awesome: only the icons the site shows.

The theme loads its whole icon set on every page (``scripts/fontawesome.js``, 1.45 MB, 540 KB
gzipped) to draw about twenty icons; ``_ext/fontawesome-subset.js`` (written by
``_ext/make_fontawesome_subset.py``) takes its place. The theme's stylesheet still draws a few
icons with Font Awesome's fonts (the admonitions' icons): the fonts keep only the glyphs the
stylesheets name outside Font Awesome's own icon classes (fontTools, WOFF2), and companion.css
keeps ``<i class="fa-...">`` from drawing a glyph before the script swaps it for its SVG; Font
Awesome's two thousand ``.fa-NAME:before`` rules leave the theme's stylesheet. The TrueType
copies are not served: browsers read the WOFF2 copies listed first.
"""
import re
import shutil
from pathlib import Path

from font_subset import keep_glyphs

FA_CLASS_RULE = re.compile(r"(?:(?<=\})|^)\s*(?:\.fa-[a-z0-9-]+:{1,2}before\s*,?\s*)+\{[^{}]*\}")
ICON_CHAR = re.compile(r"[\ue000-\uf8ff]|\\([ef][0-9a-f]{3})")


def serve_used_icons(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    shutil.copy2(Path(__file__).with_name("fontawesome-subset.js"), static / "scripts" / "fontawesome.js")
    for path in (static / "vendor").rglob("*.ttf"):
        path.unlink()
    subset_icon_fonts(static)


def subset_icon_fonts(static):
    """Drop Font Awesome's per-icon rules from the stylesheets (the icons are inline SVG) and
    keep in its fonts only the glyphs the stylesheets still use."""
    used = set()
    for css in static.rglob("*.css"):
        original = css.read_text(encoding="utf-8", errors="replace")
        text = FA_CLASS_RULE.sub("", original)
        if text != original:
            css.write_text(text, encoding="utf-8")
        for m in ICON_CHAR.finditer(text):
            used.add(int(m.group(1), 16) if m.group(1) else ord(m.group(0)))
    for font in (static / "vendor").rglob("*.woff2"):
        keep_glyphs(font, used)


def setup(app):
    # after unused_files.py (510) has stripped the source-map comments: fontawesome-subset.js has none
    app.connect("build-finished", serve_used_icons, priority=520)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
