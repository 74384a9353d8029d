"""MathJax 3 served by the site itself, only the part a page can load, its menu out of the tab order.

- MathJax is served from the ``sphinx-mathjax-offline`` package's copy (no CDN), as that
  package's own extension does, but only the part a page can load: ``tex-chtml.js``, its
  CommonHTML fonts, the TeX extensions it autoloads, and the accessibility components its menu
  loads on request (with English speech rules and Nemeth Braille only; the menu itself is part
  of ``tex-chtml.js``, which declares ``ui/menu`` loaded, so ``ui/`` is not served). The other
  combined builds (SVG output, MathML input, ...) are never loaded and are not copied: 3.2 MB
  instead of 24 MB.
- MathJax's menu is kept (right click on a formula) but out of the keyboard's tab order, where
  it would put every formula of a page between the reader and the next link.
"""
import shutil
from pathlib import Path

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


def mathjax_source():
    import sysconfig

    for base in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        folder = Path(base) / "sphinx-mathjax-offline" / "static" / "mathjax"
        if folder.is_dir():
            return folder
    raise FileNotFoundError("the sphinx-mathjax-offline package (requirements.txt) is not installed")


def menu_out_of_tab_order(app):
    config = dict(app.config.mathjax3_config or {})
    options = dict(config.get("options") or {})
    menu = dict(options.get("menuOptions") or {})
    menu["settings"] = {**(menu.get("settings") or {}), "inTabOrder": False}
    options["menuOptions"] = menu
    config["options"] = options
    app.config.mathjax3_config = config


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    for item in MATHJAX_KEEP:
        src, dst = source / item, target / item
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


def setup(app):
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("builder-inited", menu_out_of_tab_order, priority=900)
    # before unused_files.py strips the source-map comments from _static
    app.connect("build-finished", copy_mathjax, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
