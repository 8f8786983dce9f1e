"""LSTM gate viewer (notebook 07): step through a sequence and watch what each gate lets through.

The cell runs over a sequence ``X (T, n_x, 1)`` with ``lstm_cell_forward`` (yours once it passes its check,
the reference until then). At the step chosen with the slider it shows the input so far, the gates
f (forget), i (input) and o (output), the candidate C̃, the cell state C and the output h of the first units,
computed from the same ``params`` with deck 000's equations on the stacked ``[h_{t−1}; x_t]``.
"""
from __future__ import annotations

import numpy as np

from ...answers.nb07_lstm import cell_step
from ...answers.nb07_lstm import lstm_cell_forward as reference_cell
from ...ops.lstm_params import GATES as GATE_NAMES
from ...ops.lstm_params import fuse_gates, init_lstm_params
from ..live import figure
from ._common import announce, image_widget, pick, render, show

GATES = ("f", "i", "o", "C̃", "C", "h")
CELL_KEYS = tuple(f"{p}{g}" for g in GATE_NAMES for p in ("W", "b"))


def run_cell(cell, X, params):
    """Every step's gates: a dict of ``(T, n_h)`` arrays keyed by ``GATES`` (first example of the batch)."""
    W, b, n_h = fuse_gates(params)
    h, c = np.zeros((n_h, X.shape[2])), np.zeros((n_h, X.shape[2]))
    out = {g: [] for g in GATES}
    for x_t in X:
        f, i, g, o = np.split(cell_step(W @ np.concatenate([h, x_t]) + b, c, n_h)[0], 4)  # deck 000's gates
        for name, value in (("f", f), ("i", i), ("o", o), ("C̃", g)):
            out[name].append(value[:, 0])
        h, c, _ = cell(x_t, h, c, params)
        h, c = np.asarray(h, dtype=float), np.asarray(c, dtype=float)
        out["C"].append(c[:, 0])
        out["h"].append(h[:, 0])
    return {g: np.array(v) for g, v in out.items()}


def default_sequence(T=60):
    """A sine wave with a step in it, ``X (T, 1, 1)``: something for the gates to react to."""
    t = np.arange(T)
    return (np.sin(2 * np.pi * t / 20) + (t >= T // 2)).reshape(T, 1, 1)


class LSTMViewer:
    """A step slider and a units slider over a precomputed run of the cell."""

    def __init__(self, params=None, X=None, lstm_cell_forward=None, units=4, labels=None):
        import ipywidgets as widgets

        self.X = default_sequence() if X is None else np.asarray(X, dtype=float)
        if self.X.ndim != 3:
            raise ValueError(f"lstm_viewer: X must be (T, n_x, m), got shape {self.X.shape}")
        params = init_lstm_params(self.X.shape[1], 8, seed=0) if params is None else params
        self.params = {k: params[k] for k in CELL_KEYS}       # a readout (Wy, by) beside them is left out
        self.cell, self.source = pick("lstm_cell_forward", lstm_cell_forward, reference_cell)
        self.states = run_cell(self.cell, self.X, self.params)
        self.labels = np.arange(len(self.X)) if labels is None else np.asarray(labels)
        n_h = self.params["Wf"].shape[0]
        self.controls = {
            "t": widgets.IntSlider(value=0, min=0, max=len(self.X) - 1, description="step t",
                                   continuous_update=False),
            "units": widgets.IntSlider(value=min(units, n_h), min=1, max=n_h, description="units shown",
                                       continuous_update=False),
        }
        self.play = widgets.Play(min=0, max=len(self.X) - 1, interval=300)
        widgets.jslink((self.play, "value"), (self.controls["t"], "value"))
        for control in self.controls.values():
            control.observe(lambda _: self.update(), names="value")
        self.image = image_widget()
        self.status = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.play, *self.controls.values()]), self.status, self.image])
        self.update()

    def update(self):
        t, k = self.controls["t"].value, self.controls["units"].value
        fig, axes = figure(11, 4.2, 2)
        series, bars = axes
        series.plot(self.labels, self.X[:, 0, 0], color="gray")
        series.axvline(self.labels[t], color="red")
        series.set_title(f"input x_t (first feature); t = {t} ({self.labels[t]:g})")
        width = 0.8 / len(GATES)
        for j, gate in enumerate(GATES):
            series_t = self.states[gate][t, :k]
            bars.bar(np.arange(k) + (j - len(GATES) / 2 + 0.5) * width, series_t, width, label=gate)
        bars.axhline(0, color="black", lw=0.5)
        bars.set(xticks=np.arange(k), xlabel="unit", ylim=(-1.6, 1.6),
                 title="gates f, i, o ∈ (0, 1); C̃, h ∈ (−1, 1); C unbounded")
        bars.legend(ncol=6, fontsize="small", loc="lower center")
        render(self.image, fig)
        self.status.value = (f"<i>{self.source}</i> — f = {np.round(self.states['f'][t, :k], 2)}, "
                             f"i = {np.round(self.states['i'][t, :k], 2)}, o = {np.round(self.states['o'][t, :k], 2)}")


def lstm_viewer(params=None, X=None, lstm_cell_forward=None, units=4, labels=None):
    """Display the gate viewer for ``params`` (as ``init_lstm_params`` makes them) over ``X (T, n_x, m)``."""
    T = len(default_sequence()) if X is None else len(X)
    if announce(f"LSTM gate viewer: f, i, o, C̃, C and h of the first {units} units over {T} steps"):
        return
    show(LSTMViewer(params, X, lstm_cell_forward, units, labels))
