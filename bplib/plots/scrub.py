"""Scrubbable figures for the static site: a slider that needs no kernel.

matplotlib's ``FuncAnimation.to_jshtml`` writes every frame into one HTML snippet with a small
player (play, step, and a scrub bar) in plain JavaScript, so the site shows it with no server
and no third-party script. Frames are PNGs inside the page: keep them few and small.
"""
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation
from IPython.display import HTML

from .style import use


def scrubbable(fig, draw_frame, n_frames, interval=400):
    """HTML player stepping through ``draw_frame(i)`` for i in 0..n_frames-1 on ``fig``.

    ``draw_frame`` redraws the figure's artists for frame i. The figure is closed afterwards so
    it is not also shown as a static image.
    """
    use()
    animation = FuncAnimation(fig, draw_frame, frames=n_frames, interval=interval, repeat=False)
    html = animation.to_jshtml(default_mode="once", embed_frames=True)
    plt.close(fig)
    return HTML(html)
