"""Learning-rate explorer (notebook 03): how lr decides between crawling, converging, bouncing and blowing up.

The problem is the smallest bootcamp network there is, one sigmoid neuron ``w (1, 1)``, ``b (1, 1)`` fitted
to nine points, so its whole cost surface C(w, b) can be drawn. Gradient descent runs with ``one_step_gd``
(yours once it passes its check) from the same start for each lr; the left panel draws its path over the
contours of C, the right panel the cost per epoch against a fixed reference run at lr = 3.
"""
from __future__ import annotations

import numpy as np

from ...answers.nb02_forward_pass import cost_function, forward_pass, sigmoid
from ...answers.nb03_gradient_descent import one_step_gd as reference_step
from ..live import figure
from ._common import announce, image_widget, pick, render, show

START = (-2.0, 2.0)                   # (w, b) where every run starts: the neuron slopes the wrong way
W_RANGE, B_RANGE = (-4.0, 7.0), (-5.0, 4.0)


def neuron_problem():
    """Nine points on a sigmoid, ``X (9, 1)`` and ``y (9, 1)``: the best neuron is w = 3, b = −1."""
    X = np.linspace(-2, 2, 9).reshape(-1, 1)
    return X, sigmoid(3 * X - 1)


def cost_surface(X, y, n=90):
    """``(ws, bs, C)`` with ``C[j, k]`` = ``cost_function`` at w = ws[k], b = bs[j], all in one forward pass:
    the n² neurons become the n² outputs of a single layer ``w (n², 1)``, ``b (n², 1)``."""
    ws, bs = np.linspace(*W_RANGE, n), np.linspace(*B_RANGE, n)
    gw, gb = np.meshgrid(ws, bs)
    out = forward_pass(X.T, [gw.reshape(-1, 1)], [gb.reshape(-1, 1)])      # (n², m)
    return ws, bs, (np.sum((out - y.T) ** 2, axis=1) / X.shape[0]).reshape(n, n)


def descend(step, X, y, lr, epochs):
    """The path ``(epochs + 1, 2)`` of (w, b) and the cost after each epoch ``(epochs,)``."""
    w, b = [np.array([[START[0]]])], [np.array([[START[1]]])]
    path, costs = [START], []
    for _ in range(int(epochs)):
        w, b = step(X, y, w, b, lr)
        wv, bv = float(np.asarray(w[0]).ravel()[0]), float(np.asarray(b[0]).ravel()[0])
        path.append((wv, bv))
        costs.append(float(cost_function(X, y, [np.array([[wv]])], [np.array([[bv]])])))
        if not np.isfinite(costs[-1]):
            break
    return np.array(path), np.array(costs)


class LRExplorer:
    """Sliders ``lr`` (log scale) and ``epochs``; the image redraws whenever one moves."""

    def __init__(self, one_step_gd=None, lr=3.0, epochs=60):
        import ipywidgets as widgets

        self.step, self.source = pick("one_step_gd", one_step_gd, reference_step)
        self.X, self.y = neuron_problem()
        self.grid = cost_surface(self.X, self.y)
        self.baseline = descend(reference_step, self.X, self.y, 3.0, 300)[1]
        self.controls = {
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-1, max=3, step=0.1, description="lr",
                                         readout_format=".3g", continuous_update=False),
            "epochs": widgets.IntSlider(value=epochs, min=5, max=300, step=5, description="epochs",
                                        continuous_update=False),
        }
        self.image = image_widget()
        self.status = widgets.HTML()
        for control in self.controls.values():
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status, self.image])
        self.update()

    def update(self):
        lr, epochs = self.controls["lr"].value, self.controls["epochs"].value
        path, costs = descend(self.step, self.X, self.y, lr, epochs)
        verdict = _verdict(costs)
        fig, (surface, curve) = figure(10, 3.6, 2)
        ws, bs, cost = self.grid
        surface.contourf(ws, bs, cost, levels=25, cmap="viridis")
        surface.plot(path[:, 0], path[:, 1], "w.-", lw=1, ms=3)
        surface.plot(*START, "wo", ms=7)
        surface.plot(3, -1, "r*", ms=12)
        surface.set(xlim=W_RANGE, ylim=B_RANGE, xlabel="w", ylabel="b", title=f"path of GD, lr = {lr:.3g}")
        curve.plot(np.arange(1, len(self.baseline[:epochs]) + 1), self.baseline[:epochs], color="gray",
                   ls="--", label="lr = 3 (reference)")
        curve.plot(np.arange(1, len(costs) + 1), costs, label=f"lr = {lr:.3g}")
        curve.set(yscale="log", xlabel="epoch", ylabel="cost", title=verdict)
        curve.legend()
        render(self.image, fig)
        self.status.value = f"<i>{self.source}</i>"
        self.last = {"path": path, "costs": costs, "verdict": verdict}


def _verdict(costs) -> str:
    """One phrase for the curve: diverged, stuck, bouncing, crawling or converged."""
    if len(costs) == 0 or not np.all(np.isfinite(costs)):
        return "diverged (the cost overflowed)"
    if costs[-1] > 0.05 and np.ptp(costs[len(costs) // 2:]) < 1e-6:
        return "stuck on a plateau: a step overshot into saturation"
    if np.any(np.diff(costs[len(costs) // 2:]) > 0):
        return "bouncing: steps overshoot the valley"
    if costs[-1] > 0.01:
        return "crawling: lr is too small for this many epochs"
    return "converged"


def lr_explorer(one_step_gd=None, lr=3.0, epochs=60):
    """Display the learning-rate explorer; pass your ``one_step_gd`` to see it at work."""
    if announce(f"learning-rate explorer: GD on one sigmoid neuron at lr = {lr:g} for {epochs} epochs, "
                "its path on the cost surface and its loss curve"):
        return
    show(LRExplorer(one_step_gd, lr, epochs))
