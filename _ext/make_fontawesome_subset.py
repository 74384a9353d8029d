"""Write _ext/fontawesome-subset.js: the few Font Awesome icons the site shows, as inline SVG.

The book's theme (pydata-sphinx-theme, through sphinx-book-theme) loads Font Awesome's whole
icon set on every page (_static/scripts/fontawesome.js, 1.45 MB, 540 KB gzipped) to draw about
twenty icons. When the site is built, _ext/icon_subset.py puts this file in the theme's file's
place (_static/scripts/fontawesome.js). This script writes it from the theme's copy, keeping only the icons named
in ICONS, and a small script that turns ``<i class="fa-solid fa-sun">`` into an inline
``<svg aria-hidden="true">`` as Font Awesome's own script does (icons added later, by the theme's
scripts, are converted too). Run it again after upgrading the theme, or to add an icon:

    .venv/bin/python _ext/make_fontawesome_subset.py

Icons: Font Awesome Free 6 by Fonticons, Inc., CC BY 4.0 (https://fontawesome.com/license/free).
"""
import json
import re
from pathlib import Path

import pydata_sphinx_theme

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"
TARGET = ROOT / "_ext" / "fontawesome-subset.js"
# every icon the theme's templates and scripts name (found with grep over a built site), and a few
# the theme's scripts may switch to (compress after expand, xmark for closing a drawer)
ICONS = {
    "fas": ["magnifying-glass", "bars", "sun", "moon", "circle-half-stroke", "lightbulb", "expand", "compress",
            "arrow-up", "list", "file-pdf", "file", "download", "outdent", "indent", "angle-right", "angle-left",
            "angle-down", "angle-up", "chevron-right", "chevron-left", "chevron-down", "chevron-up", "play",
            "rocket", "xmark", "copy", "check", "link", "house", "ellipsis", "ellipsis-vertical",
            "circle-info", "triangle-exclamation", "pen-to-square", "square-plus", "square-minus"],
    "fab": ["github", "square-github", "gitlab", "python"],
}
PACKS = {"fab": "fab", "far": "far", "fas": "fas"}
ENTRY = re.compile(r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*","(M[^"]+)"\]')

RUNTIME = r"""/* A subset of Font Awesome Free 6 (Fonticons, Inc., CC BY 4.0, https://fontawesome.com/license/free):
   only the icons this site shows. Written by _ext/make_fontawesome_subset.py; do not edit by hand. */
(() => {
  const ICONS = %s;
  const PACK = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far", "fa-brands": "fab", "fab": "fab"};
  const style = document.createElement("style");
  style.textContent = ".svg-inline--fa{display:var(--fa-display,inline-block);height:1em;overflow:visible;" +
    "vertical-align:-.125em;box-sizing:content-box}.svg-inline--fa.fa-lg{vertical-align:-.2em}" +
    ".svg-inline--fa.fa-flip-horizontal{transform:scale(-1,1)}";
  document.head.appendChild(style);
  const SVG = "http://www.w3.org/2000/svg";
  function draw(el) {
    const classes = [...el.classList];
    let pack = "fas";
    for (const c of classes) if (PACK[c]) pack = PACK[c];
    const name = classes.map((c) => c.slice(3)).find((n) => ICONS[pack] && ICONS[pack][n]);
    if (!name) return;
    const [w, h, d] = ICONS[pack][name];
    const svg = document.createElementNS(SVG, "svg");
    for (const a of el.attributes) if (a.name !== "class" && a.name !== "title") svg.setAttribute(a.name, a.value);
    svg.setAttribute("class", ["svg-inline--fa", ...classes.filter((c) => !PACK[c])].join(" "));
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", d);
    svg.appendChild(path);
    el.replaceWith(svg);
  }
  const SELECTOR = "i[class*='fa-'], span[class*='fa-']";
  const all = (root) => root.querySelectorAll && root.querySelectorAll(SELECTOR).forEach(draw);
  const start = () => {
    all(document);
    new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
      if (n.nodeType !== 1) return;
      if (n.matches(SELECTOR)) draw(n); else all(n);
    }))).observe(document.body, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


def packs(source):
    """{pack: {name: (width, height, path)}} from the theme's fontawesome.js."""
    found = {}
    for m in re.finditer(r'var p=\{(.*?)\};.*?\(function\(\)\{d\("(fa[bsr])",p\)', source, re.DOTALL):
        body, pack = m.group(1), m.group(2)
        found[pack] = {(e.group(1) or e.group(2)): (int(e.group(3)), int(e.group(4)), e.group(5))
                       for e in ENTRY.finditer(body)}
    return found


def main():
    available = packs(SOURCE.read_text(encoding="utf-8"))
    subset = {}
    for pack, names in ICONS.items():
        missing = [n for n in names if n not in available.get(pack, {})]
        if missing:
            raise SystemExit(f"icons not in the theme's Font Awesome ({pack}): {missing}")
        subset[pack] = {n: available[pack][n] for n in names}
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(RUNTIME % json.dumps(subset, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {sum(map(len, subset.values()))} icons, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
