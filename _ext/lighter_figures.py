"""Lighter figures, on the pages and in the notebooks offered for download.

- Figures (``_images/*.png``) are reduced to 256 colours (matplotlib's figures have few colours,
  and the pages that show many of them weighed over a megabyte) and stored in the smaller of
  two lossless encodings of those pixels: a palette PNG, or WebP (lossless), which is about a
  quarter smaller for most figures (every browser since 2020 shows it); the pages' links to
  a figure are rewritten to the file kept.
- The notebooks offered for download (``_sources``) lose the saved ipywidgets state (no page
  shows a live widget; JupyterLab rebuilds it when the notebook runs), and their figures are
  stored in the site's 256 colours (1.8 MB less).

One file per task, in worker processes on every core; they start first when the build has
finished (``build-finished``, priority 100) and are waited for last (priority 900), so the
other extensions trim the static files meanwhile.
"""
import re
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


class Lightening:
    """The figures and notebooks of one build, and the pool that lightens them."""

    def __init__(self):
        self.pool = None

    def start(self, app, exception):
        if exception is not None or app.builder.format != "html":
            return
        self.started = time.perf_counter()
        self.notebooks = sorted((Path(app.outdir) / "_sources").rglob("*.ipynb"))
        self.images = sorted((Path(app.outdir) / "_images").glob("*.png"))
        self.pool = _pool()
        self.lightened = [self.pool.submit(lighten_notebook, path) for path in self.notebooks]
        self.compacted = [self.pool.submit(compact_image, path) for path in self.images]

    def finish(self, app, exception):
        if self.pool is None:
            return
        try:
            kept = [future.result() for future in self.compacted]
            for future in self.lightened:
                future.result()
        finally:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        renamed = {f"_images/{path.name}": f"_images/{new.name}" for path, new in zip(self.images, kept)
                   if new != path}
        if renamed:
            link = re.compile("|".join(re.escape(old) for old in renamed))
            for page in Path(app.outdir).rglob("*.html"):
                text = page.read_text(encoding="utf-8")
                new_text = link.sub(lambda m: renamed[m.group(0)], text)
                if new_text != text:
                    page.write_text(new_text, encoding="utf-8")
        logger.info(f"{len(self.images)} figures and {len(self.notebooks)} notebooks lightened "
                    f"in {time.perf_counter() - self.started:.1f} s")


def _pool():
    import concurrent.futures
    import multiprocessing
    import os

    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # fork: the workers need nothing but PIL and start at once (the notebooks' workers have ended)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return concurrent.futures.ProcessPoolExecutor(max_workers=max(1, workers),
                                                  mp_context=multiprocessing.get_context(method))


def lighten_notebook(path):
    """The downloadable copy of a notebook without its saved ipywidgets state (no live widgets),
    its figures in the site's 256 colours (palette PNGs: half the file, the pixels the site shows)."""
    import base64
    import io
    import json

    from PIL import Image

    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = notebook.get("metadata", {}).pop("widgets", None) is not None
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            raw = base64.b64decode("".join(data["image/png"]))
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
            if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
                image = image.convert("RGB")
            if image.mode != "RGB":
                continue
            out = io.BytesIO()
            image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "png", optimize=True)
            if len(out.getvalue()) < len(raw):
                data["image/png"] = base64.b64encode(out.getvalue()).decode("ascii")
                changed = True
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def compact_image(path):
    """Store the figure at ``path`` in 256 colours, as the smallest of: the original, a palette
    PNG, a lossless WebP of the palette PNG's pixels (``.webp`` beside it). Returns the path kept."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
    if image.mode not in ("RGB", "RGBA", "P"):
        return path
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")
    if image.mode != "P":
        method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
        image = image.quantize(256, method=method, dither=Image.Dither.NONE)
        out = path.with_suffix(".tmp.png")
        image.save(out, format="png", optimize=True)
        if out.stat().st_size < path.stat().st_size:
            out.replace(path)
        else:
            out.unlink()
    webp = path.with_suffix(".webp")
    alpha = "transparency" in image.info or (image.palette is not None and image.palette.mode == "RGBA")
    pixels = image.convert("RGBA" if alpha else "RGB")
    pixels.save(webp, format="webp", lossless=True, quality=100, method=4)  # method 6: 100x slower, 1% smaller
    if webp.stat().st_size < path.stat().st_size:
        path.unlink()
        return webp
    webp.unlink()
    return path


def setup(app):
    lightening = Lightening()
    app.connect("build-finished", lightening.start, priority=100)
    app.connect("build-finished", lightening.finish, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
