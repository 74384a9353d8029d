"""Scrubbable figures for the static site: a slider that needs no kernel.

``scrubbable`` draws every frame of a figure once, stores the frames as small PNGs inside one
HTML snippet, and adds a player in plain JavaScript: first, previous, play/pause, next and last
buttons and a slider, so the site shows it with no server and no third-party script or font.

What a reader gets, whatever they read it with:

- the buttons are drawn with inline SVG (no icon font, no emoji) and named for screen readers;
- the slider is named ("Frame") and says "frame 3 of 12" as it moves; arrow keys move it;
- the picture's alt text describes the frame on show, and changes with it;
- the player is as wide as its figure and never wider than the page: on a phone its controls
  wrap and the slider shrinks;
- on the site the frames are files of their own (``_ext/picture_files.py``), fetched all at once
  when the reader first uses the player; in a notebook they are data URLs inside the output;
- frames have 64 colours (the book's figures have a few flat colours and their anti-aliased
  edges), each stored as the smaller of a palette PNG and a lossless WebP of the same pixels
  (WebP is about a fifth smaller; every browser since 2020 shows it): about 5 KB for a
  400 x 300 figure.
"""
import base64
import hashlib
import io
import json
from html import escape

import matplotlib.pyplot as plt
from IPython.display import HTML
from PIL import Image

from .style import use

DEFAULT_ALT = "An animation; use the player's buttons or its slider to step through the frames."

# 20 x 20 icons, drawn with the text colour
_ICONS = {
    "first": '<path d="M4 3h2.5v14H4zM16 3v14L7 10z"/>',
    "prev": '<path d="M15 3v14L5 10z"/>',
    "play": '<path d="M5 3v14l11-7z"/>',
    "pause": '<path d="M4.5 3h4v14h-4zM11.5 3h4v14h-4z"/>',
    "next": '<path d="M5 3v14l10-7z"/>',
    "last": '<path d="M13.5 3H16v14h-2.5zM4 3v14l9-7z"/>',
}
_LABELS = {"first": "First frame", "prev": "Previous frame", "play": "Play", "next": "Next frame",
           "last": "Last frame"}

_STYLE = """<style>
.bp-player{margin:1em auto;max-width:100%;text-align:center}
.bp-player img{display:block;margin:0 auto;max-width:100%;height:auto;background:#fff}
.bp-player-controls{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:.3em;
  margin:.4em auto 0;max-width:100%}
.bp-player button{display:inline-flex;align-items:center;justify-content:center;width:2.4em;height:2.4em;
  padding:0;border:1px solid currentColor;border-radius:.3em;background:transparent;color:inherit;cursor:pointer}
.bp-player button svg{width:1.1em;height:1.1em;fill:currentColor}
.bp-player input[type=range]{flex:1 1 8em;min-width:6em;max-width:22em;margin:0 .3em}
.bp-player-count{min-width:4.5em;font-variant-numeric:tabular-nums}
</style>"""

_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%(id)s");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var img = root.querySelector("img"), slider = root.querySelector("input"), count = root.querySelector(".bp-player-count");
  var play = root.querySelector("[data-act=play]");
  var frames = [img.getAttribute("src")].concat(data.frames), n = frames.length, current = 0, timer = null;
  var fetched = null;
  function show(i) {
    // the site serves frames as files: all are asked for at the first touch, so that playing
    // and scrubbing do not wait for (or cancel) one request per frame
    fetched = fetched || frames.map(function (src) { var f = new Image(); f.src = src; return f; });
    current = Math.max(0, Math.min(n - 1, i));
    img.src = frames[current];
    img.alt = data.alts[current];
    slider.value = current;
    slider.setAttribute("aria-valuetext", "frame " + (current + 1) + " of " + n);
    count.textContent = (current + 1) + " / " + n;
  }
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    play.setAttribute("aria-label", "Play"); play.title = "Play"; play.innerHTML = data.icons.play;
  }
  function start() {
    if (current >= n - 1) show(0);
    play.setAttribute("aria-label", "Pause"); play.title = "Pause"; play.innerHTML = data.icons.pause;
    timer = setInterval(function () { if (current >= n - 1) stop(); else show(current + 1); }, data.interval);
  }
  root.querySelector("[data-act=first]").onclick = function () { stop(); show(0); };
  root.querySelector("[data-act=prev]").onclick = function () { stop(); show(current - 1); };
  root.querySelector("[data-act=next]").onclick = function () { stop(); show(current + 1); };
  root.querySelector("[data-act=last]").onclick = function () { stop(); show(n - 1); };
  play.onclick = function () { if (timer) stop(); else start(); };
  slider.oninput = function () { stop(); show(parseInt(slider.value, 10)); };
})();
</script>"""


def _svg(name):
    return (f'<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">{_ICONS[name]}</svg>')


def _png(fig):
    """The figure in 64 colours as a data URL: a palette PNG, or a lossless WebP if smaller."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB").quantize(64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    png, webp = io.BytesIO(), io.BytesIO()
    image.save(png, format="png", optimize=True)
    image.convert("RGB").save(webp, format="webp", lossless=True, quality=100, method=4)
    kind, data = min(("png", png.getvalue()), ("webp", webp.getvalue()), key=lambda item: len(item[1]))
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii"), image.size


def scrubbable(fig, draw_frame, n_frames, *, alt=DEFAULT_ALT, element_id=None, interval=400, label=None):
    """HTML player stepping through ``draw_frame(i)`` for i in 0..n_frames-1 on ``fig``.

    ``draw_frame`` redraws the figure's artists for frame i. ``alt`` describes the animation for
    readers who cannot see it: either one text, to which the player adds "Frame i of n.", or a
    list of one text per frame (the picture's alt text follows the frame on show). ``label``
    names the player as a whole for screen readers (default: the first alt text's first sentence).

    The player's id is ``element_id`` (by default one derived from the alt text), so the same
    code gives the same HTML on every run and nbval can compare it; use a different id (or alt)
    for each player on a page. The frames are drawn at the figure's dpi; the picture is shown at
    that size or narrower, never wider. The figure is closed so it is not also shown as a still.
    """
    if n_frames < 1:
        raise ValueError(f"n_frames must be at least 1; received {n_frames}")
    if isinstance(alt, str):
        alts = [f"{alt} Frame {i + 1} of {n_frames}." for i in range(n_frames)]
    else:
        alts = [str(a) for a in alt]
        if len(alts) != n_frames:
            raise ValueError(f"alt has {len(alts)} texts for {n_frames} frames; give one per frame or one text")
    use()
    frames = []
    size = None
    for i in range(n_frames):
        draw_frame(i)
        url, size = _png(fig)
        frames.append(url)
    plt.close(fig)
    element_id = element_id or hashlib.sha1(f"{alts[0]}|{n_frames}".encode()).hexdigest()[:12]
    player_id = f"bp-player-{element_id}"
    label = label or alts[0].split(". ")[0].rstrip(".")
    data = {"frames": frames[1:], "alts": alts, "interval": int(interval),
            "icons": {"play": _svg("play"), "pause": _svg("pause")}}
    buttons = "".join(
        f'<button type="button" data-act="{act}" aria-label="{_LABELS[act]}" title="{_LABELS[act]}">{_svg(act)}</button>'
        for act in ("first", "prev", "play", "next", "last"))
    payload = json.dumps(data).replace("</", "<\\/")
    html = (
        f'{_STYLE}<div class="bp-player" id="{player_id}" role="group" aria-label="{escape(label)}" '
        f'style="width:{size[0]}px">'
        f'<img src="{frames[0]}" alt="{escape(alts[0])}" width="{size[0]}" height="{size[1]}">'
        f'<div class="bp-player-controls">{buttons}'
        f'<input type="range" min="0" max="{n_frames - 1}" step="1" value="0" aria-label="Frame" '
        f'aria-valuetext="frame 1 of {n_frames}">'
        f'<span class="bp-player-count" aria-hidden="true">1 / {n_frames}</span></div>'
        f'<script type="application/json">{payload}</script></div>'
        + _SCRIPT % {"id": player_id}
    )
    return HTML(html)
