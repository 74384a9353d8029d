"""Pictures written into a page as data URLs are served as files of their own.

A player (``bplib.plots.scrub``) carries its frames inside its HTML, as ``data:`` URLs, because a
notebook's output has to hold everything it shows. On the site that put 80-90 KB of base64 into
the pages of chapters 4, 7 and 10, ahead of the text: a phone downloaded every frame before it
could show the page (issue 20; ``benchmarks/site_mobile.py`` measures it). When the build has
finished, each such picture becomes a file in ``_images/`` named by its content's SHA-256 (a
frame that two pages show is stored once), and the page links to it. The player needs no change:
it shows a frame by setting the picture's ``src`` to whatever its list holds, and the browser
fetches a frame when it is first shown.
"""
import base64
import hashlib
import os
import re
from pathlib import Path

DATA_URL = re.compile(r"data:image/(png|webp|jpeg|gif);base64,([A-Za-z0-9+/=]+)")


def to_files(text, page, images):
    """``text`` (the page at ``page``) with each data URL replaced by a link to a file written in
    ``images``."""
    def file_for(match):
        data = base64.b64decode(match.group(2))
        path = images / f"{hashlib.sha256(data).hexdigest()[:32]}.{match.group(1)}"
        if not path.exists():
            path.write_bytes(data)
        return Path(os.path.relpath(path, page.parent)).as_posix()

    return DATA_URL.sub(file_for, text)


def pictures_to_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    images = Path(app.outdir) / "_images"
    images.mkdir(exist_ok=True)
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data:image/" in text:
            page.write_text(to_files(text, page, images), encoding="utf-8")


def setup(app):
    app.connect("build-finished", pictures_to_files, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
