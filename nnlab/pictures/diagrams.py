"""Diagrams for the notebooks, drawn at run time with matplotlib (no image files; matplotlib is imported on
first use). Every label is computed from the arguments, in the course's notation:

- ``network(sizes)``: a fully connected network, one circle per unit, every edge between consecutive layers,
  each activation ``a⁽ˡ⁾ (n_l, m)`` under its layer and each ``w[l] (n_{l+1}, n_l)``, ``b[l] (n_{l+1}, 1)``
  between its two layers;
- ``conv_window(...)``: how a convolution's window slides over the zero-padded input, one panel per output
  position (the window on the input, its cell on the output grid), with the output size's formula filled in;
- ``rnn_cell()``: a plain RNN cell, hₜ = tanh(Wₕ [hₜ₋₁; xₜ] + bₕ);
- ``lstm_cell()``: an LSTM cell in the classic layout, the cell state along the top and the four gates below.

Each function returns the matplotlib Figure, which a notebook shows when it is a cell's last value (pyplot
does not keep it, so it is shown once). Given ``ax=``, a function draws its panel into that Axes instead and
returns the Axes' figure.
"""
from __future__ import annotations

import operator

import numpy as np

from ..answers.nb06_cnn import convolution

INK = "#2b2b2b"                                   # arrows, outlines and text
MUTED = "#6b7280"                                 # secondary text: indices, roles, shapes
WINDOW = "#d9480f"                                # the convolution window and its output cell
WINDOW_FILL = "#ffe3d3"
PADDING_FILL = "#d4d4d4"
CELL_FACE, CELL_EDGE = "#eef3fa", "#9fb1c9"       # the recurrent cell's frame
GATE_FACE, GATE_EDGE = "#fde9a9", "#b8860b"       # the LSTM's gate layers
OP_FACE, OP_EDGE = "#f8ccd5", "#b03a52"           # pointwise operations (×, +, tanh)
SUPERSCRIPT = str.maketrans("()0123456789", "⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹")


def _new_figure(width, height):
    """A figure of ``width × height`` inches whose one Axes fills it, data units being inches. Pyplot does not
    keep it (see the module's docstring)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, height))
    plt.close(fig)
    return fig, fig.add_axes((0, 0, 1, 1))


def _fit_text(ax, xlim, ylim, first=0):
    """Shrink the texts drawn into a given Axes (from ``ax.texts[first]`` on) by as much as the Axes is smaller
    than the picture's natural size, one data unit an inch, so that they keep their places among the shapes."""
    fig = ax.figure
    box = ax.get_position().transformed(fig.transFigure).transformed(fig.dpi_scale_trans.inverted())
    scale = min(1.0, box.width / (xlim[1] - xlim[0]), box.height / (abs(ylim[1] - ylim[0])))
    for text in ax.texts[first:]:
        text.set_fontsize(text.get_fontsize() * scale)


def _frame(ax, xlim, ylim):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _whole(value, name, minimum, caller):
    """``value`` as an int ≥ ``minimum``, or a ValueError naming ``name``."""
    try:
        number = operator.index(value)
    except TypeError:
        number = None
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            number = int(value)
    if number is None or number < minimum:
        raise ValueError(f"{caller}: {name} must be a whole number ≥ {minimum}, got {value!r}")
    return number


def _number(value) -> str:
    """A cell's value as short text: whole numbers without a decimal point, others to two decimals."""
    return np.format_float_positional(float(value) + 0.0, precision=2, trim="-")


# ------------------------------------------------------------------------------------------------ network
def network(sizes=(2, 3, 1), ax=None):
    """Draw a fully connected network with layer sizes ``sizes`` (input first) and return the Figure.

    Each unit is a circle, columns from the input on the left to the output on the right, with every edge
    between consecutive layers drawn thin. Under layer l its activation and shape, layers counted from 0:
    ``a⁽⁰⁾ = x  (n_0, m)``, ``a⁽ˡ⁾  (n_l, m)``, ``a⁽ᴸ⁾ = ŷ  (n_L, m)``; between layers l and l+1 the weights
    ``w[l]  (n_{l+1}, n_l)`` and biases ``b[l]  (n_{l+1}, 1)``; on top the number of parameters. A layer of
    more than 10 units is drawn as 8 circles and a "⋮" that says how many more there are.
    """
    sizes = tuple(_whole(n, "every layer size", 1, "network") for n in sizes)
    if len(sizes) < 2:
        raise ValueError(f"network: sizes needs at least an input and an output layer, got {sizes}")
    shown = [n if n <= 10 else 8 for n in sizes]
    last = len(sizes) - 1
    dx = 2.0 if last <= 4 else max(1.45, 8.0 / last)          # inches between columns
    dy, radius = 0.42, 0.15
    height = max((s - 1) * dy + (1.5 * dy if s < n else 0) for s, n in zip(shown, sizes))
    top, bottom = height / 2 + radius, -height / 2 - radius
    xlim, ylim = (-0.95, last * dx + 0.95), (bottom - 0.85, top + 1.25)
    given, first = ax is not None, 0 if ax is None else len(ax.texts)
    if ax is None:
        _, ax = _new_figure(xlim[1] - xlim[0], ylim[1] - ylim[0])
    _frame(ax, xlim, ylim)
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    centres = []
    for l, (n, s) in enumerate(zip(sizes, shown)):
        y0 = ((s - 1) * dy + (1.5 * dy if s < n else 0)) / 2
        centres.append([(l * dx, y0 - k * dy) for k in range(s)])
        if s < n:
            x, y = l * dx, y0 - (s - 1) * dy - 0.75 * dy
            ax.text(x, y + 0.05, "⋮", ha="center", va="center", fontsize=13, color=INK)
            ax.text(x + 0.16, y + 0.02, f"{n - s} more", ha="left", va="center", fontsize=8, color=MUTED,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"), zorder=4)
    edges = [(a, b) for l in range(last) for a in centres[l] for b in centres[l + 1]]
    ax.add_collection(LineCollection(edges, colors="#a3acb9", linewidths=0.6, zorder=1))
    faces = ["#dbeafe"] + ["#f1f3f5"] * (last - 1) + ["#d3f2dc"]
    for l, column in enumerate(centres):
        for xy in column:
            ax.add_patch(Circle(xy, radius, facecolor=faces[l], edgecolor=INK, linewidth=1.0, zorder=2))

    for l, n in enumerate(sizes):
        name = "a" + f"({l})".translate(SUPERSCRIPT)
        name += " = x" if l == 0 else " = ŷ" if l == last else ""
        ax.text(l * dx, bottom - 0.2, f"{name}  ({n}, m)", ha="center", va="top", fontsize=10, color=INK)
        role = "input" if l == 0 else "output" if l == last else "hidden"
        ax.text(l * dx, bottom - 0.5, f"layer {l} ({role})", ha="center", va="top", fontsize=8, color=MUTED)
    for l in range(last):
        n_in, n_out = sizes[l], sizes[l + 1]
        ax.text((l + 0.5) * dx, top + 0.5, f"w[{l}]  ({n_out}, {n_in})", ha="center", va="bottom", fontsize=10,
                color=INK)
        ax.text((l + 0.5) * dx, top + 0.2, f"b[{l}]  ({n_out}, 1)", ha="center", va="bottom", fontsize=10,
                color=INK)
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    biases = sum(sizes[1:])
    ax.text(sum(xlim) / 2, ylim[1] - 0.12, f"sizes {sizes}: {weights} weights + {biases} biases = "
            f"{weights + biases} parameters", ha="center", va="top", fontsize=10, color=MUTED)
    if given:
        _fit_text(ax, xlim, ylim, first)
    return ax.figure


# ------------------------------------------------------------------------------------------- conv_window
def conv_window(image=None, kernel=None, H=5, W=5, k=3, stride=1, padding=0, positions=((0, 0), (0, 1)),
                ax=None):
    """Draw how a convolution's window slides over the input and return the Figure.

    One panel per output position ``(i, j)`` in ``positions``. On the left the padded input grid: padding
    cells grey and marked 0, the ``H × W`` input cells white, with row and column indices of the padded grid.
    The ``kh × kw`` window of that output position is a thick coloured rectangle whose top-left cell is row
    ``i·stride``, column ``j·stride`` of the padded grid. On the right the ``H_out × W_out`` output grid, with
    that output cell in the same colour. Each panel's title says which rows and columns the window covers;
    one line for the figure gives H_out = ⌊(H + 2p − kh)/s⌋ + 1 and W_out the same way, numbers filled in.

    ``image`` (2-D), when given, sets H and W and its values are written in the cells; ``kernel`` (2-D), when
    given, sets kh × kw (else k × k) and its values are written small in the corner of each window cell. With
    both, every output value is written in the output grid: Σ window ⊙ kernel (notebook 06's ``convolution``;
    in the student kit, yours once it passes its check). ``ax`` is one Axes for a single position, or one Axes
    per position. Impossible geometry is refused with a ValueError: a kernel larger than the padded input, a
    stride below 1, a position outside the output.
    """
    caller = "conv_window"
    if image is not None:
        image = np.array(image, dtype=float)
        if image.ndim != 2:
            raise ValueError(f"{caller}: image must be 2-D (H, W), got shape {image.shape}")
        H, W = image.shape
    if kernel is not None:
        kernel = np.array(kernel, dtype=float)
        if kernel.ndim != 2:
            raise ValueError(f"{caller}: kernel must be 2-D (kh, kw), got shape {kernel.shape}")
        kh, kw = kernel.shape
    else:
        kh = kw = _whole(k, "k", 1, caller)
    H, W = _whole(H, "H", 1, caller), _whole(W, "W", 1, caller)
    if kh < 1 or kw < 1:
        raise ValueError(f"{caller}: the kernel must have at least one row and one column, got {kh}×{kw}")
    stride = _whole(stride, "stride", 1, caller)
    padding = _whole(padding, "padding", 0, caller)
    Hp, Wp = H + 2 * padding, W + 2 * padding
    if kh > Hp or kw > Wp:
        raise ValueError(f"{caller}: the kernel ({kh}×{kw}) is larger than the padded input ({Hp}×{Wp}: "
                         f"{H}×{W} with padding {padding})")
    H_out, W_out = (Hp - kh) // stride + 1, (Wp - kw) // stride + 1
    positions = [tuple(p) for p in positions]
    if not positions:
        raise ValueError(f"{caller}: positions is empty; give at least one output position (i, j)")
    for p in positions:
        if len(p) != 2 or not all(isinstance(v, (int, np.integer)) for v in p) \
                or not (0 <= p[0] < H_out and 0 <= p[1] < W_out):
            raise ValueError(f"{caller}: position {p} is outside the output, whose positions are (i, j) with "
                             f"0 ≤ i < {H_out} and 0 ≤ j < {W_out}")

    values, note = None, ""
    if image is not None and kernel is not None:
        from ..yours import FinishFirst

        try:
            values = np.asarray(convolution(image, kernel, stride, padding), dtype=float)
        except FinishFirst:
            note = "   (the output values appear once your convolution passes its check)"
    formula = (f"H_out = ⌊({H} + 2·{padding} − {kh})/{stride}⌋ + 1 = {H_out}        "
               f"W_out = ⌊({W} + 2·{padding} − {kw})/{stride}⌋ + 1 = {W_out}") + note

    gap = 2.0                                                     # cells between the input and output grids
    panel_w, panel_h = Wp + gap + W_out + 1.0, max(Hp, H_out) + 1.9
    if ax is None:
        import matplotlib.pyplot as plt

        ncols = 1 if len(positions) == 1 or Wp + W_out > 16 else 2
        nrows = -(-len(positions) // ncols)
        cell = min(0.4, 9.6 / (ncols * panel_w))                  # inches per grid cell
        fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * panel_w * cell, nrows * (panel_h * cell + 0.35)
                                                        + 0.45), squeeze=False, layout="constrained")
        plt.close(fig)
        axes = list(axes.ravel())
        for extra in axes[len(positions):]:
            extra.set_axis_off()
        fig.suptitle(formula, fontsize=11)
    else:
        axes = [ax] if not isinstance(ax, (list, tuple, np.ndarray)) else list(np.ravel(ax))
        if len(axes) != len(positions):
            raise ValueError(f"{caller}: got {len(axes)} Axes for {len(positions)} positions; pass one Axes "
                             f"per position (or positions=((i, j),) with a single Axes)")
        fig = axes[0].figure
        box = axes[0].get_window_extent().transformed(fig.dpi_scale_trans.inverted())
        cell = min(box.width / panel_w, box.height / panel_h)
    font = float(np.clip(26 * cell, 6, 11))
    for panel, (i, j) in zip(axes, positions):
        _conv_panel(panel, image, kernel, values, (H, W, kh, kw, stride, padding, H_out, W_out), (i, j), font)
    if ax is not None:
        last = axes[-1]
        last.text(0.5, -0.02, formula, transform=last.transAxes, ha="center", va="top", fontsize=font)
    return fig


def _conv_panel(ax, image, kernel, values, geometry, position, font):
    """One output position: the padded input with the window, the output grid with its cell."""
    from matplotlib.patches import Rectangle

    H, W, kh, kw, stride, padding, H_out, W_out = geometry
    Hp, Wp = H + 2 * padding, W + 2 * padding
    i, j = position
    r0, c0 = i * stride, j * stride
    ox, oy = Wp + 2.0, (Hp - H_out) / 2                              # the output grid's top-left corner
    small = max(6.0, 0.62 * font)

    for r in range(Hp):
        for c in range(Wp):
            inside = padding <= r < padding + H and padding <= c < padding + W
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor="white" if inside else PADDING_FILL, edgecolor="#8a8a8a",
                                   linewidth=0.8, gid="input-cell" if inside else "padding-cell"))
            if not inside:
                ax.text(c + 0.5, r + 0.5, "0", ha="center", va="center", fontsize=font, color=MUTED)
            elif image is not None:
                ax.text(c + 0.5, r + 0.5, _number(image[r - padding, c - padding]), ha="center", va="center",
                        fontsize=font, color=INK)
    for r in range(Hp):
        ax.text(-0.2, r + 0.5, str(r), ha="right", va="center", fontsize=small, color=MUTED)
    for c in range(Wp):
        ax.text(c + 0.5, -0.15, str(c), ha="center", va="bottom", fontsize=small, color=MUTED)
    ax.add_patch(Rectangle((c0, r0), kw, kh, facecolor=WINDOW_FILL, alpha=0.35, edgecolor="none", zorder=2))
    ax.add_patch(Rectangle((c0, r0), kw, kh, fill=False, edgecolor=WINDOW, linewidth=3.0, zorder=4,
                           gid="window"))
    if kernel is not None:
        for a in range(kh):
            for b in range(kw):
                ax.text(c0 + b + 0.95, r0 + a + 0.95, f"×{_number(kernel[a, b])}", ha="right", va="bottom",
                        fontsize=small, color=WINDOW, zorder=5)

    for r in range(H_out):
        for c in range(W_out):
            here = (r, c) == (i, j)
            ax.add_patch(Rectangle((ox + c, oy + r), 1, 1, facecolor=WINDOW_FILL if here else "white",
                                   edgecolor="#8a8a8a", linewidth=0.8, gid="output-cell"))
            if values is not None:
                ax.text(ox + c + 0.5, oy + r + 0.5, _number(values[r, c]), ha="center", va="center",
                        fontsize=font, color=INK, fontweight="bold" if here else "normal")
    ax.add_patch(Rectangle((ox + j, oy + i), 1, 1, fill=False, edgecolor=WINDOW, linewidth=3.0, zorder=4,
                           gid="output-window"))
    for r in range(H_out):
        ax.text(ox - 0.2, oy + r + 0.5, str(r), ha="right", va="center", fontsize=small, color=MUTED)
    for c in range(W_out):
        ax.text(ox + c + 0.5, oy - 0.15, str(c), ha="center", va="bottom", fontsize=small, color=MUTED)

    size = f"input {H}×{W}" + (f", padding {padding}" if padding else "") + (f", stride {stride}" if stride > 1 else "")
    ax.text(Wp / 2, Hp + 0.35, size, ha="center", va="top", fontsize=font, color=INK)
    ax.text(ox + W_out / 2, oy + H_out + 0.35, f"output {H_out}×{W_out}", ha="center", va="top", fontsize=font,
            color=INK)
    ax.set_title(f"output ({i}, {j}): window at rows {r0}–{r0 + kh - 1}, columns {c0}–{c0 + kw - 1}",
                 fontsize=font + 0.5, color=INK)
    _frame(ax, (-0.9, ox + W_out + 0.3), (max(Hp, oy + H_out) + 1.2, -0.75))


# --------------------------------------------------------------------------------------- recurrent cells
def _arrow(ax, points, head=True, lw=1.6, color=INK, zorder=3):
    """A line through ``points`` (data coordinates), with an arrowhead at the end when ``head``."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    arrow = FancyArrowPatch(path=Path(np.asarray(points, dtype=float)), arrowstyle="-|>" if head else "-",
                            mutation_scale=13, linewidth=lw, color=color, zorder=zorder, capstyle="butt",
                            joinstyle="miter")
    ax.add_patch(arrow)
    return arrow


def _box(ax, centre, width, height, text, face, edge, fontsize=12, role=None):
    """A rounded box with ``text`` (and its ``role`` in small type under it)."""
    from matplotlib.patches import FancyBboxPatch

    x, y = centre
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, facecolor=face, edgecolor=edge,
                                boxstyle="round,pad=0,rounding_size=0.08", linewidth=1.3, zorder=4))
    if role is None:
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=INK, zorder=5)
    else:
        ax.text(x, y + 0.09, text, ha="center", va="center", fontsize=fontsize, color=INK, zorder=5)
        ax.text(x, y - 0.17, role, ha="center", va="center", fontsize=8, color=MUTED, style="italic", zorder=5)


def _op(ax, centre, text, radius=0.19):
    """A pointwise operation: a small pink circle with ``text`` ("×" or "+")."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle(centre, radius, facecolor=OP_FACE, edgecolor=OP_EDGE, linewidth=1.3, zorder=4))
    ax.text(centre[0], centre[1] - 0.01, text, ha="center", va="center", fontsize=14, color=INK, zorder=5)


def _dot(ax, centre):
    from matplotlib.patches import Circle

    ax.add_patch(Circle(centre, 0.05, facecolor=INK, edgecolor="none", zorder=5))


def _cell_frame(ax, x0, y0, x1, y1, name):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.25",
                                facecolor=CELL_FACE, edgecolor=CELL_EDGE, linewidth=1.5, zorder=0))
    ax.text(x0 + 0.15, y1 - 0.12, name, ha="left", va="top", fontsize=9, color=MUTED, style="italic")


def rnn_cell(ax=None):
    """Draw a plain RNN cell at step t and return the Figure.

    hₜ₋₁ comes in from the left (the previous step) and xₜ from below; they are stacked into [hₜ₋₁; xₜ] (h on
    top), which goes through one layer, tanh(Wₕ [hₜ₋₁; xₜ] + bₕ). The new state hₜ leaves to the right (to the
    next step) and up (to the output). The caption gives the equation and the shapes.
    """
    xlim, ylim = (-0.1, 8.95), (-1.05, 3.95)
    given, first = ax is not None, 0 if ax is None else len(ax.texts)
    if ax is None:
        _, ax = _new_figure(xlim[1] - xlim[0], ylim[1] - ylim[0])
    _frame(ax, xlim, ylim)
    y, join, box_x, box_w, split = 1.5, 2.2, 4.75, 2.7, 7.0
    _cell_frame(ax, 1.45, 0.7, 7.6, 2.95, "RNN cell, step t")
    _arrow(ax, [(0.75, y), (join, y)], head=False)
    ax.text(0.7, y, "hₜ₋₁", ha="right", va="center", fontsize=13, color=INK)
    ax.text(0.12, y - 0.32, "from step t−1", ha="left", va="center", fontsize=8, color=MUTED)
    _arrow(ax, [(join, 0.15), (join, y)], head=False)
    ax.text(join, 0.1, "xₜ", ha="center", va="top", fontsize=13, color=INK)
    _dot(ax, (join, y))
    _arrow(ax, [(join, y), (box_x - box_w / 2, y)])
    ax.text((join + box_x - box_w / 2) / 2, y + 0.12, "[hₜ₋₁; xₜ]", ha="center", va="bottom", fontsize=10,
            color=INK)
    _box(ax, (box_x, y), box_w, 0.62, "tanh(Wₕ [hₜ₋₁; xₜ] + bₕ)", GATE_FACE, GATE_EDGE, fontsize=12)
    _arrow(ax, [(box_x + box_w / 2, y), (split, y)], head=False)
    _dot(ax, (split, y))
    _arrow(ax, [(split, y), (8.05, y)])
    ax.text(8.1, y, "hₜ", ha="left", va="center", fontsize=13, color=INK)
    ax.text(8.1, y - 0.32, "to step t+1", ha="left", va="center", fontsize=8, color=MUTED)
    _arrow(ax, [(split, y), (split, 3.35)])
    ax.text(split, 3.42, "hₜ", ha="center", va="bottom", fontsize=13, color=INK)
    ax.text(split + 0.12, 3.1, "output", ha="left", va="center", fontsize=8, color=MUTED)
    ax.text(4.3, -0.45, "hₜ = tanh(Wₕ [hₜ₋₁; xₜ] + bₕ)", ha="center", va="center", fontsize=13, color=INK)
    ax.text(4.3, -0.85, "hₜ₋₁, hₜ (nₕ, m)    xₜ (nₓ, m)    Wₕ (nₕ, nₕ + nₓ)    bₕ (nₕ, 1)", ha="center",
            va="center", fontsize=9, color=MUTED)
    if given:
        _fit_text(ax, xlim, ylim, first)
    return ax.figure


def lstm_cell(ax=None):
    """Draw an LSTM cell at step t in the classic layout and return the Figure.

    Along the top runs the cell state, Cₜ₋₁ → Cₜ, through a "×" (the forget gate's fₜ scales it) and a "+"
    (the input iₜ ⊙ C̃ₜ is added). Below it four gate layers read the stacked [hₜ₋₁; xₜ]: σ (fₜ, forget),
    σ (iₜ, input), tanh (C̃ₜ, candidate) and σ (oₜ, output). tanh(Cₜ) times oₜ gives hₜ, which leaves to the right
    (to the next step) and up (to the output). The caption gives the two state equations and the shapes.
    """
    xlim, ylim = (-0.15, 9.75), (-1.35, 6.05)
    given, first = ax is not None, 0 if ax is None else len(ax.texts)
    if ax is None:
        _, ax = _new_figure(xlim[1] - xlim[0], ylim[1] - ylim[0])
    _frame(ax, xlim, ylim)
    top, bus, gate_y, gate_w, gate_h = 4.5, 1.25, 2.3, 0.98, 0.66
    fx, ix, cx, ox = 2.5, 3.8, 5.0, 6.3                     # the gates' columns; the "+" sits above C̃ₜ
    mix_y, out_x, out_y, tanh_y, hx = 3.4, 7.35, 2.95, 3.75, 8.05
    r = 0.19
    _cell_frame(ax, 1.35, 0.75, 8.45, 5.05, "LSTM cell, step t")

    # the cell state along the top
    _arrow(ax, [(0.75, top), (fx - r, top)], head=False)
    ax.text(0.7, top, "Cₜ₋₁", ha="right", va="center", fontsize=13, color=INK)
    ax.text(0.05, top - 0.32, "from step t−1", ha="left", va="center", fontsize=8, color=MUTED)
    _arrow(ax, [(fx + r, top), (cx - r, top)], head=False)
    _arrow(ax, [(cx + r, top), (hx - 0.1, top)], head=False)          # a gap where hₜ crosses on its way up
    _arrow(ax, [(hx + 0.1, top), (8.95, top)])
    ax.text(9.0, top, "Cₜ", ha="left", va="center", fontsize=13, color=INK)
    _op(ax, (fx, top), "×")
    _op(ax, (cx, top), "+")

    # [hₜ₋₁; xₜ] along the bottom, feeding the four gate layers
    join = 1.9
    _arrow(ax, [(0.75, bus), (ox, bus)], head=False)
    ax.text(0.7, bus, "hₜ₋₁", ha="right", va="center", fontsize=13, color=INK)
    _arrow(ax, [(join, 0.2), (join, bus)], head=False)
    ax.text(join, 0.15, "xₜ", ha="center", va="top", fontsize=13, color=INK)
    _dot(ax, (join, bus))
    ax.text((fx + ix) / 2, bus - 0.12, "[hₜ₋₁; xₜ]", ha="center", va="top", fontsize=10, color=INK)
    gates = ((fx, "σ", "forget", "fₜ"), (ix, "σ", "input", "iₜ"), (cx, "tanh", "candidate", "C̃ₜ"),
             (ox, "σ", "output", "oₜ"))
    for x, symbol, role, name in gates:
        if x != ox:
            _dot(ax, (x, bus))
        _arrow(ax, [(x, bus), (x, gate_y - gate_h / 2)])
        _box(ax, (x, gate_y), gate_w, gate_h, symbol, GATE_FACE, GATE_EDGE, fontsize=13, role=role)

    g_top = gate_y + gate_h / 2
    _arrow(ax, [(fx, g_top), (fx, top - r)])                                        # fₜ into the ×
    ax.text(fx + 0.1, (g_top + top) / 2, "fₜ", ha="left", va="center", fontsize=12, color=INK)
    _arrow(ax, [(ix, g_top), (ix, mix_y), (cx - r, mix_y)])                         # iₜ ⊙ C̃ₜ
    ax.text(ix - 0.1, (g_top + mix_y) / 2, "iₜ", ha="right", va="center", fontsize=12, color=INK)
    _arrow(ax, [(cx, g_top), (cx, mix_y - r)])
    ax.text(cx + 0.1, (g_top + mix_y - r) / 2, "C̃ₜ", ha="left", va="center", fontsize=12, color=INK)
    _op(ax, (cx, mix_y), "×")
    _arrow(ax, [(cx, mix_y + r), (cx, top - r)])                                    # into the +
    ax.text(cx + 0.1, (mix_y + top) / 2, "iₜ ⊙ C̃ₜ", ha="left", va="center", fontsize=11, color=INK)

    # hₜ = oₜ ⊙ tanh(Cₜ)
    _dot(ax, (out_x, top))
    _arrow(ax, [(out_x, top), (out_x, tanh_y + 0.18)])
    _box(ax, (out_x, tanh_y), 0.62, 0.36, "tanh", OP_FACE, OP_EDGE, fontsize=10)
    _arrow(ax, [(out_x, tanh_y - 0.18), (out_x, out_y + r)])
    ax.text(out_x - 0.1, (tanh_y - 0.18 + out_y + r) / 2, "tanh(Cₜ)", ha="right", va="center", fontsize=10,
            color=INK)
    _arrow(ax, [(ox, g_top), (ox, out_y), (out_x - r, out_y)])
    ax.text(ox + 0.1, (g_top + out_y) / 2 - 0.02, "oₜ", ha="left", va="center", fontsize=12, color=INK)
    _op(ax, (out_x, out_y), "×")
    _arrow(ax, [(out_x + r, out_y), (hx, out_y)], head=False)
    _dot(ax, (hx, out_y))
    _arrow(ax, [(hx, out_y), (hx, bus), (8.95, bus)])
    ax.text(9.0, bus, "hₜ", ha="left", va="center", fontsize=13, color=INK)
    ax.text(9.0, bus - 0.32, "to step t+1", ha="left", va="center", fontsize=8, color=MUTED)
    _arrow(ax, [(hx, out_y), (hx, 5.55)])                                           # up, over the cell state
    ax.text(hx, 5.62, "hₜ", ha="center", va="bottom", fontsize=13, color=INK)
    ax.text(hx + 0.12, 5.3, "output", ha="left", va="center", fontsize=8, color=MUTED)

    ax.text(4.7, -0.5, "Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ          hₜ = oₜ ⊙ tanh(Cₜ)", ha="center", va="center",
            fontsize=13, color=INK)
    ax.text(4.7, -0.95, "each gate: σ or tanh of W [hₜ₋₁; xₜ] + b, its own W (nₕ, nₕ + nₓ) and b (nₕ, 1); "
            "every state (nₕ, m)", ha="center", va="center", fontsize=9, color=MUTED)
    if given:
        _fit_text(ax, xlim, ylim, first)
    return ax.figure
