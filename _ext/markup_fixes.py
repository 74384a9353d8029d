"""Fixes to the markup that the theme and myst-nb write, for readers and assistive technology.

- Hidden code cells: myst-nb's toggle (``<summary>``, showing "Show code cell source" or "Hide
  code cell source") carried ``aria-label="Toggle hidden content"``, a name that does not contain
  what it shows (WCAG 2.5.3 label in name; axe-core: label-content-name-mismatch), so a
  speech-input user who said what they saw could not press it. Its HTML is written as myst-nb
  writes it, without that label: the summary is named by the prompt it shows, and a screen
  reader hears it with its expanded or collapsed state.
- The bibliography: docutils marks the list of citations ``role="list"`` and each entry
  ``role="doc-biblioentry"``, a role ARIA 1.2 deprecated, so assistive technology (and axe-core)
  sees a list without items. Each entry becomes a ``listitem``.
- Output images link to their full size, so a phone that shows a figure narrower than it was
  drawn lets the reader open it at full size: each image gets Sphinx's scaled-image link (it
  also declares the image's width and height, so the page does not jump while it loads).
- Images load lazily (``loading="lazy"``): a phone fetches a figure as the reader nears it, and
  the figures further down no longer share the connection with the text, its stylesheets and
  fonts (issue 20).
- ``_static/companion.js`` is loaded once, deferred: Jupyter Book adds every script of
  ``_static/`` to every page by itself, without ``defer``; that copy is taken off.
"""
from docutils import nodes


def label_hidden_cells_by_their_prompt(app):
    """myst-nb's writer for hidden code cells, without the summary's aria-label. Registered once
    every extension is set up (builder-inited), so that it replaces myst-nb's."""
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


def bibliography_entries_as_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def companion_js_once(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [f for f in context["script_files"] if not _undeferred_companion_js(f)]


def _undeferred_companion_js(asset):
    name = getattr(asset, "filename", None) or str(asset)
    attributes = getattr(asset, "attributes", None) or {}
    return name.split("?")[0].endswith("companion.js") and "defer" not in attributes


def link_images_to_full_size(app, doctree, docname):
    """Mark every image without a size so that Sphinx links it to its full-size file."""
    for node in doctree.findall(nodes.image):
        if isinstance(node.parent, nodes.reference) or any(k in node for k in ("scale", "width", "height")):
            continue
        if str(node.get("uri", "")).lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            node["scale"] = 100


def load_images_lazily(app, doctree, docname):
    for node in doctree.findall(nodes.image):
        node["loading"] = "lazy"  # docutils' image option (:loading: lazy), written as the attribute


def setup(app):
    app.connect("builder-inited", label_hidden_cells_by_their_prompt, priority=900)
    app.connect("html-page-context", bibliography_entries_as_list_items, priority=900)
    app.connect("html-page-context", companion_js_once, priority=900)
    app.connect("doctree-resolved", link_images_to_full_size)
    app.connect("doctree-resolved", load_images_lazily)
    app.add_js_file("companion.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
