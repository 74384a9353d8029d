"""The theme's stylesheet keeps only the rules that can apply to a page of the site.

pydata-sphinx-theme.css carries all of Bootstrap and every component the theme offers; every
page waits for it before it shows anything, and a phone matches every element against its
rules. When the build has finished, a rule is kept if one of its selectors can match: every
class and id it names is a word of some page or script of the built site. (The arguments of
``:not()``, ``:is()``, ``:has()``... are not looked at: a selector with them is kept if the rest
of it can match.) Scripts add classes too, so their words count (``show``,
``dropdown-menu-dark``); Bootstrap builds a few from parts (``bs-popover-auto``), so every class
with one of those prefixes stays. @media, @supports, @layer and @container blocks are
purged inside; every other at-rule is kept as it is. Chapter 6 then waits for 18.8 KB of it
instead of 44.9 KB (gzipped); it is 108 KB as text instead of 310 KB.

``tests/test_site_browser.py`` checks the premise on four pages, in light and dark mode, at 1280
and 390 px, as loaded, scrolled and with the search dialog, the sidebar, a menu, a tooltip and a
hidden cell opened: no class or id the pages use then is one that the purge took rules away for.
A selector matches only if every class and id it names is there, so those pages are styled
exactly as with the theme's own stylesheet (issue 20; ``benchmarks/site_mobile.py`` measures
what a phone waits for).
"""
import re
from pathlib import Path

import tinycss2

STYLESHEET = Path("_static") / "styles" / "pydata-sphinx-theme.css"
WORD = re.compile(r"[A-Za-z_][\w-]*")
BUILT_FROM_PARTS = re.compile(r"^(bs-|popover|tooltip)")
NESTED = ("media", "supports", "layer", "container")


def names(selector):
    """The classes and ids a selector names, leaving out functional pseudo-classes' arguments."""
    found, previous = [], None
    for token in selector:
        if token.type == "hash":
            found.append(token.value)
        elif token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            found.append(token.value)
        previous = token
    return found


def selectors(prelude):
    """A rule's selector list, split at its top-level commas."""
    parts = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def inside(rule):
    """The rules inside an @media, @supports... block; None for any other rule."""
    if rule.type == "at-rule" and rule.lower_at_keyword in NESTED and rule.content is not None:
        return tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
    return None


def kept(name, words):
    """Whether the rules naming this class or id are kept."""
    return name in words or bool(BUILT_FROM_PARTS.match(name))


def purge(rules, words):
    """The CSS text of ``rules`` with only the selectors whose every class and id is ``kept``."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            alive = [tinycss2.serialize(s).strip() for s in selectors(rule.prelude)
                     if all(kept(n, words) for n in names(s))]
            if alive:
                out.append(",".join(alive) + "{" + tinycss2.serialize(rule.content) + "}")
        elif inside(rule) is not None:
            inner = purge(inside(rule), words)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return "".join(out)


def named(rules):
    """Every class and id that a selector of ``rules`` names, in @media blocks and the like too."""
    found = set()
    for rule in rules:
        if rule.type == "qualified-rule":
            found.update(n for s in selectors(rule.prelude) for n in names(s))
        elif inside(rule) is not None:
            found |= named(inside(rule))
    return found


def site_words(outdir):
    """Every word of the built site's pages and scripts."""
    words = set()
    for path in Path(outdir).rglob("*"):
        if path.suffix in (".html", ".js"):
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def purge_theme_stylesheet(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / STYLESHEET
    rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
    path.write_text(purge(rules, site_words(app.outdir)), encoding="utf-8")


def setup(app):
    # last, once every page and script is in its final form (deferred_scripts.py is at 950)
    app.connect("build-finished", purge_theme_stylesheet, priority=960)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
