"""Convolution explorer (notebook 06): edit a 3×3 kernel, or pick a preset, and see what it finds in a digit.

The digit (from scikit-learn's digits, 8×8, enlarged 3× to 24×24) is filtered with ``convolution`` and the
map is pooled with ``pooling`` — yours once they pass their checks, nnlab's reference until then.
"""
from __future__ import annotations

import functools

import numpy as np

from ...answers.nb06_cnn import convolution as reference_convolution
from ...answers.nb06_cnn import pooling as reference_pooling
from ..live import figure
from ._common import announce, image_widget, pick, render, show

PRESETS = {
    "deck 000 (X pattern)": [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
    "vertical edges": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal edges": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}


@functools.cache
def _digits() -> np.ndarray:
    from ...data.loaders import load_digits

    return load_digits()[0][:100].reshape(-1, 8, 8) / 16.0


def digit_image(index=0) -> np.ndarray:
    """Digit number ``index`` (0–99) of scikit-learn's digits, scaled to [0, 1] and enlarged to ``(24, 24)``."""
    return np.kron(_digits()[int(index)], np.ones((3, 3)))


class ConvExplorer:
    """Nine kernel entries, a preset menu, the digit, the pooling mode and stride."""

    def __init__(self, convolution=None, pooling=None, preset="vertical edges", digit=0):
        import ipywidgets as widgets

        self.conv, conv_source = pick("convolution", convolution, reference_convolution)
        self.pool, pool_source = pick("pooling", pooling, reference_pooling)
        self.source = f"{conv_source}; {pool_source}"
        self.cells = [widgets.FloatText(value=0.0, step=0.5, layout=widgets.Layout(width="70px"))
                      for _ in range(9)]
        self.controls = {
            "preset": widgets.Dropdown(options=[*PRESETS, "custom"], value=preset, description="kernel"),
            "digit": widgets.IntSlider(value=digit, min=0, max=99, description="digit", continuous_update=False),
            "mode": widgets.ToggleButtons(options=["max", "avg"], value="max", description="pooling"),
            "stride": widgets.IntSlider(value=1, min=1, max=3, description="conv stride", continuous_update=False),
        }
        self._setting = False
        self._set_kernel(PRESETS[preset])
        self.controls["preset"].observe(self._preset_changed, names="value")
        for name in ("digit", "mode", "stride"):
            self.controls[name].observe(lambda _: self.update(), names="value")
        for cell in self.cells:
            cell.observe(self._cell_changed, names="value")
        self.image = image_widget()
        self.status = widgets.HTML()
        grid = widgets.GridBox(self.cells, layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
        c = self.controls
        self.widget = widgets.VBox([widgets.HBox([grid, widgets.VBox([c["preset"], c["digit"], c["stride"],
                                                                      c["mode"]])]), self.status, self.image])
        self.update()

    @property
    def kernel(self) -> np.ndarray:
        return np.array([cell.value for cell in self.cells], dtype=float).reshape(3, 3)

    def _set_kernel(self, values):
        self._setting = True
        for cell, v in zip(self.cells, np.ravel(values)):
            cell.value = round(float(v), 4)
        self._setting = False

    def _preset_changed(self, change):
        if change["new"] in PRESETS:
            self._set_kernel(PRESETS[change["new"]])
            self.update()

    def _cell_changed(self, _):
        if not self._setting:
            self._setting = True
            self.controls["preset"].value = "custom"
            self._setting = False
            self.update()

    def update(self):
        c = {k: v.value for k, v in self.controls.items()}
        image = digit_image(c["digit"])
        filtered = np.asarray(self.conv(image, self.kernel, stride=c["stride"], padding=0), dtype=float)
        pooled = np.asarray(self.pool(filtered, size=2, stride=2, mode=c["mode"]), dtype=float)
        fig, axes = figure(10, 3.4, 4)
        axes[0].imshow(image, cmap="gray_r")
        axes[0].set_title(f"digit {c['digit']} {image.shape}")
        axes[1].imshow(self.kernel, cmap="RdBu_r", vmin=-np.abs(self.kernel).max() or -1,
                       vmax=np.abs(self.kernel).max() or 1)
        for (i, j), v in np.ndenumerate(self.kernel):
            axes[1].text(j, i, f"{v:.2g}", ha="center", va="center")
        axes[1].set_title("kernel")
        axes[2].imshow(filtered, cmap="magma")
        axes[2].set_title(f"convolution {filtered.shape}")
        axes[3].imshow(pooled, cmap="magma")
        axes[3].set_title(f"{c['mode']}-pool 2×2 {pooled.shape}")
        for ax in axes:
            ax.set_xticks([]), ax.set_yticks([])
        render(self.image, fig)
        self.status.value = f"<i>{self.source}</i>"
        self.last = {"filtered": filtered, "pooled": pooled}


def conv_explorer(convolution=None, pooling=None, preset="vertical edges", digit=0):
    """Display the convolution explorer; pass your ``convolution`` and ``pooling`` to see them at work."""
    if announce(f"convolution explorer: digit {digit} filtered with the {preset!r} kernel, then max-pooled"):
        return
    show(ConvExplorer(convolution, pooling, preset, digit))
