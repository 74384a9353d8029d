"""One look for every figure in the book: a colour-blind-safe palette and small defaults."""
import matplotlib

import matplotlib.pyplot as plt

# Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000", "grey": "#777777",
}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
# Sequential and diverging colour maps that stay readable in grey scale and for colour-blind readers.
SEQUENTIAL = "viridis"
DIVERGING = "PuOr"

# Widths in inches at 100 dpi. The book's column is 672 px wide on a desktop screen; a figure
# drawn wider than FIGURE_MAX_WIDTH would be shown at less than three quarters of its size, with
# its text too small to read. On a phone (a 358 px column) every static figure links to its full
# size; the scrubbable players cannot, so they are drawn at most PLAYER_MAX_WIDTH wide.
FIGURE_MAX_WIDTH = 8.4  # 840 px: shown at 80% in the 672 px column (the inline backend's tight box may add a little)
PLAYER_MAX_WIDTH = 4.7

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.4, 4.0),
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 11,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL,
}


def use():
    """Apply the book's style to every figure drawn after this call."""
    plt.rcParams.update(RC)


def new_figure(ncols=1, nrows=1, width=6.4, height=4.0, **kwargs):
    """``plt.subplots`` in the book's style; returns ``(fig, axes)``.

    A figure asked for wider than ``FIGURE_MAX_WIDTH`` inches is drawn that wide, with its height
    scaled alike: the text keeps its size in points, so it stays readable where the page shows
    the figure (a wider one would be shrunk to the column, its text with it).
    """
    use()
    if width > FIGURE_MAX_WIDTH:
        width, height = FIGURE_MAX_WIDTH, height * max(FIGURE_MAX_WIDTH / width, 0.75)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    return fig, axes
