"""A slider that steps through one backward pass on a drawn network (chapter 7).

No maths here: the frames come from ``bplib.plots.stepthrough.backward_pass_frames`` and each is
drawn by ``bplib.plots.stepthrough.draw_frame``, the functions the static figure and the
scrubbable player use, so all three show the same numbers.

The picture is an ``ipywidgets.Image`` redrawn from PNG bytes, not an ``Output`` widget: cells
whose widgets capture output (``interact``, ``interactive_output``) now and then stall
nbclient until its cell timeout (jupyter/nbclient issue 312), and this one is executed by nbval
and the book build.
"""
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plots.stepthrough import backward_pass_frames, draw_frame
from ..plots.style import use


def backward_stepper(net, X, T, *, eta=None, step=0, names=None, decimals=3, width=7.0, height=4.0):
    """A Play button and a ``step`` slider over the frames of the backward pass of ``net`` on X, T.

    Step 0 is the forward pass; each further step reveals one layer's deltas, from the output
    back to the first hidden layer; the last steps show the gradients (and, with ``eta``, the
    updated weights). ``step`` is where the slider starts: the frame that a static copy of the
    figure shows (``bplib.plots.stepthrough.draw_backward_step`` with the same arguments).
    Returns an ipywidgets ``VBox``; display it in a notebook with a kernel.
    """
    frames, record = backward_pass_frames(net, X, T, eta)
    if not 0 <= step < len(frames):
        raise ValueError(f"step must be between 0 and {len(frames) - 1}; received {step}")
    use()
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.01)

    def png(i):
        draw_frame(net, record.ys, frames[i], ax, names, decimals)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    image = widgets.Image(value=png(step), format="png", layout=widgets.Layout(max_width="100%"))
    slider = widgets.IntSlider(value=step, min=0, max=len(frames) - 1, description="step")
    play = widgets.Play(value=step, min=0, max=len(frames) - 1, interval=1500, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    slider.observe(lambda change: setattr(image, "value", png(change["new"])), names="value")
    return widgets.VBox([widgets.HBox([play, slider]), image])
