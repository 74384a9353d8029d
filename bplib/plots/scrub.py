"""Scrubbable figures for the static site: a slider that needs no kernel.

matplotlib's ``FuncAnimation.to_jshtml`` writes every frame into one HTML snippet with a small
player (play, step, and a scrub bar) in plain JavaScript, so the site shows it with no server
and no third-party script. Frames are PNGs inside the page: keep them few and small.
"""
import hashlib
import re
from html import escape

import matplotlib.pyplot as plt
from IPython.display import HTML
from matplotlib.animation import FuncAnimation

from .style import use

DEFAULT_ALT = "An animation; use the player's buttons or its slider to step through the frames."

# The player draws its buttons with Font Awesome from a CDN; the site must not depend on one,
# so the icons become plain characters, which need no font (each button keeps its aria-label).
ICONS = {
    "fa fa-minus": "\u2212", "fa fa-plus": "+", "fa fa-fast-backward": "\u23ee", "fa fa-fast-forward": "\u23ed",
    "fa fa-step-backward": "\u25c1", "fa fa-step-forward": "\u25b7", "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-play": "\u25b6", "fa fa-pause": "\u23f8",
}


def _self_contained(html):
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\s*', "", html)
    for icon, text in ICONS.items():
        html = html.replace(f'<i class="{icon}"></i>', f'<span aria-hidden="true">{text}</span>')
    return html


def scrubbable(fig, draw_frame, n_frames, *, alt=DEFAULT_ALT, element_id=None, interval=400):
    """HTML player stepping through ``draw_frame(i)`` for i in 0..n_frames-1 on ``fig``.

    ``draw_frame`` redraws the figure's artists for frame i. ``alt`` describes the animation
    for readers who cannot see it. matplotlib names the player's elements with a random id;
    it is replaced by ``element_id`` (by default one derived from ``alt``), so the same code
    gives the same HTML on every run and nbval can compare it. Use a different id (or alt)
    for each player on a page. The player loads nothing from the network. The figure is
    closed so it is not also shown as a still.
    """
    use()
    animation = FuncAnimation(fig, draw_frame, frames=n_frames, interval=interval, repeat=False)
    html = animation.to_jshtml(default_mode="once", embed_frames=True)
    plt.close(fig)
    element_id = element_id or hashlib.sha1(f"{alt}|{n_frames}".encode()).hexdigest()[:12]
    for random_id in set(re.findall(r"_anim_img([0-9a-f]{32})", html)):
        html = html.replace(random_id, element_id)
    html = html.replace(f'<img id="_anim_img{element_id}"', f'<img id="_anim_img{element_id}" alt="{escape(alt)}"', 1)
    return HTML(_self_contained(html))
