"""The API page (api.md, autodoc): bplib's docstrings read as reStructuredText as they read as text.

- bplib's docstrings are written to read as plain text, where an indented block after a line
  ending in ":" is preformatted (the equations in ``bplib.backprop``'s). In reStructuredText that
  block is a quotation and its lines run together into one paragraph, so such a line's ":"
  becomes "::" (a literal block) before the docstring is parsed.
- The fields of NamedTuples, whose only docstring is Python's "Alias for field number N", are
  left out (the class's signature names them, its docstring says what they are).
"""


def literal_blocks(app, what, name, obj, options, lines):
    """Make an indented block after a line ending in ':' a literal block."""
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


def setup(app):
    app.connect("autodoc-process-docstring", literal_blocks, priority=400)
    app.connect("autodoc-skip-member", skip_namedtuple_aliases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
