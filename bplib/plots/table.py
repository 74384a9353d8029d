"""Tables of numbers that read as tables wherever a notebook is opened (chapter 9).

A printed table is fixed-width text: it cannot wrap, and on a phone its right-hand columns are
cut off. ``Table`` holds the same rows and lets each front end choose how to show them:

- ``_repr_html_``: a real ``<table>`` (a caption, ``<th scope="col">`` column headers, the first
  column as row headers, numbers right-aligned), inside a box that scrolls sideways when the
  table is wider than the page. JupyterLab, Colab, VS Code, GitHub and the book's site show it.
  The table has pandas' class ``dataframe``, which the book's theme and JupyterLab style in
  light and dark mode; the site's stylesheet adds edge shadows where there is more to scroll to.
- ``_repr_markdown_``: the same table in Markdown, for front ends that render Markdown only.
- ``str(table)`` and the plain-text repr: aligned columns for a terminal, as ``print`` shows them.

In a notebook, show one with ``display(table)`` (or make it a cell's last expression).
"""
import re
from html import escape

NUMBER = re.compile(r"^[+\-\u2212]?(\d[\d,]*)?(\.\d+)?(e[+\-]?\d+)?%?$", re.IGNORECASE)


def _cells(name, values):
    """``values`` as a tuple of strings (each cell through ``str``); a string is not a row."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of cells (strings or numbers); received "
                        f"{type(values).__name__} {values!r:.80}")
    return tuple(str(v) for v in values)


class Table:
    """Rows of cells under column headers, shown as a table (see the module docstring).

    Parameters
    ----------
    headers : sequence of str
        One header per column (at least one).
    rows : sequence of sequences
        The rows, each with one cell per header; a cell is shown as ``str(cell)``, so format
        numbers (``f"{x:.5f}"``) before passing them.
    caption : str, optional
        A caption shown above the table (and the name screen readers give its scroll box).

    ``str(table)`` is the table as aligned plain text (what ``print(table)`` shows).
    """

    def __init__(self, headers, rows, caption=None):
        self.headers = _cells("headers", headers)
        if not self.headers:
            raise ValueError("headers must name at least one column; received an empty sequence")
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
            raise TypeError(f"rows must be a sequence of rows; received {type(rows).__name__} {rows!r:.80}")
        self.rows = tuple(_cells(f"rows[{i}]", row) for i, row in enumerate(rows))
        for i, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ValueError(f"rows[{i}] has {len(row)} cells for {len(self.headers)} headers; "
                                 "give one cell per header")
        if caption is not None and not isinstance(caption, str):
            raise TypeError(f"caption must be a string or None; received {type(caption).__name__} {caption!r:.80}")
        self.caption = caption or None

    # plain text ----------------------------------------------------------------------------
    def __str__(self):
        """The rows as aligned columns under a rule (no caption: what ``print`` has always shown)."""
        cells = [self.headers, *self.rows]
        widths = [max(len(row[k]) for row in cells) for k in range(len(self.headers))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def __repr__(self):
        return "\n\n".join(([self.caption] if self.caption else []) + [str(self)])

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))

    # Markdown ------------------------------------------------------------------------------
    def _repr_markdown_(self):
        def row(cells):
            return "| " + " | ".join(c.replace("\\", "\\\\").replace("|", "\\|") for c in cells) + " |"

        align = ["---:" if self._numeric(k) else ":---" for k in range(len(self.headers))]
        lines = [row(self.headers), "| " + " | ".join(align) + " |", *(row(r) for r in self.rows)]
        return "\n".join(([f"**{self.caption}**", ""] if self.caption else []) + lines)

    # HTML ----------------------------------------------------------------------------------
    def _numeric(self, k):
        """True if every cell of column k is a number (right-aligned, so the digits line up)."""
        return bool(self.rows) and all(NUMBER.match(row[k].strip()) for row in self.rows)

    def _repr_html_(self):
        right = ' style="text-align:right"'
        numeric = [self._numeric(k) for k in range(len(self.headers))]
        head = "".join(f'<th scope="col"{right if numeric[k] else ""}>{escape(h)}</th>'
                       for k, h in enumerate(self.headers))
        body = []
        for row in self.rows:
            cells = [f'<th scope="row">{escape(row[0])}</th>' if not numeric[0] else
                     f"<td{right}>{escape(row[0])}</td>"]
            cells += [f"<td{right if numeric[k] else ''}>{escape(c)}</td>" for k, c in enumerate(row) if k]
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{escape(self.caption)}</caption>" if self.caption else ""
        name = self.caption or "Table: " + ", ".join(self.headers)
        return (f'<div class="bp-table" role="region" aria-label="{escape(name)}" tabindex="0" '
                f'style="overflow-x:auto;max-width:100%">'
                f'<table class="dataframe bp-table" style="font-variant-numeric:tabular-nums">{caption}<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>')
