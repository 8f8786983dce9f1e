"""A TensorFlow-Playground-style widget (notebooks 01 and 05): how many hidden units does XOR need?

Pick a 2-D data set, the hidden layers, units per layer, activation and learning rate, press Train: an
``nnlab.Sequential`` (softmax over two classes, Adam, mini-batches of 16) trains while the decision boundary
and the loss curve redraw every few epochs. Nothing here needs your functions: it is the reference model.
"""
from __future__ import annotations

import numpy as np

from ...data.toy import PLAYGROUND_DATA, toy_data
from ...network.layers import Dense
from ...network.optimizers import Adam
from ...network.sequential import Sequential
from ..live import figure
from ._common import announce, image_widget, render, show

ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")


def build_model(layers, units, activation, lr, seed=0):
    """``layers`` hidden Dense layers of ``units`` units and a softmax over two classes, compiled with Adam(lr)."""
    hidden = [Dense(int(units), activation) for _ in range(int(layers))]
    return Sequential(hidden + [Dense(2, "softmax")], input_shape=(2,), seed=seed).compile(Adam(lr))


class Playground:
    """Controls: data, layers, units, activation, lr, epochs and a Train button."""

    def __init__(self, data="xor", layers=1, units=2, activation="tanh", lr=0.03, epochs=150, seed=0,
                 redraw_every=25):
        import ipywidgets as widgets

        if data not in PLAYGROUND_DATA:
            raise ValueError(f"playground: data must be one of {', '.join(PLAYGROUND_DATA)}, got {data!r}")
        self.seed, self.redraw_every = seed, int(redraw_every)
        self.controls = {
            "data": widgets.Dropdown(options=PLAYGROUND_DATA, value=data, description="data"),
            "layers": widgets.IntSlider(value=layers, min=0, max=4, description="hidden layers"),
            "units": widgets.IntSlider(value=units, min=1, max=16, description="units / layer"),
            "activation": widgets.Dropdown(options=ACTIVATIONS, value=activation, description="activation"),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.25, description="lr",
                                         readout_format=".3g"),
            "epochs": widgets.IntSlider(value=epochs, min=25, max=1000, step=25, description="epochs"),
        }
        style = {"description_width": "initial"}
        for control in self.controls.values():
            control.style = style
        self.button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.button.on_click(lambda _: self.train())
        self.controls["data"].observe(lambda _: self.reset(), names="value")
        self.image = image_widget()
        self.status = widgets.HTML()
        c = self.controls
        self.widget = widgets.VBox([widgets.HBox([c["data"], c["activation"], self.button]),
                                    widgets.HBox([c["layers"], c["units"]]), widgets.HBox([c["lr"], c["epochs"]]),
                                    self.status, self.image])
        self.reset()

    def reset(self):
        """New data (the untrained view): the points and an empty loss plot."""
        self.X, self.y = toy_data(self.controls["data"].value, m=240, noise=0.12, seed=self.seed)
        self.model, self.losses = None, []
        self.status.value = "Press <b>Train</b>."
        self._draw()

    def train(self):
        """Train a fresh model with the current settings, redrawing as it goes; returns the final accuracy."""
        c = {k: v.value for k, v in self.controls.items()}
        self.model = build_model(c["layers"], c["units"], c["activation"], c["lr"], self.seed)
        self.losses = []
        rng = np.random.default_rng(self.seed)
        for epoch in range(1, c["epochs"] + 1):
            self.model.train_epoch(self.X, self.y, 16, rng)
            if epoch % 5 == 0 or epoch == c["epochs"]:
                self.losses.append((epoch, self.model.evaluate(self.X, self.y)[0]))
            if epoch % self.redraw_every == 0 or epoch == c["epochs"]:
                accuracy = self.model.evaluate(self.X, self.y)[1]
                self._draw()                                   # the picture first, then the status naming it
                self.status.value = (f"epoch {epoch}/{c['epochs']}: training accuracy {accuracy:.1%} with "
                                     f"{self.model.count_params()} parameters")
        return accuracy

    def _draw(self):
        fig, (plane, curve) = figure(9, 3.8, 2)
        lo, hi = self.X.min(axis=0) - 0.3, self.X.max(axis=0) + 0.3
        if self.model is not None:
            gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 120), np.linspace(lo[1], hi[1], 120))
            p = self.model.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1].reshape(gx.shape)
            plane.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.7)
        colours = np.where(self.y == 1, "#d6604d", "#4393c3")    # class 1 red, class 0 blue, as the shading
        plane.scatter(self.X[:, 0], self.X[:, 1], c=colours, edgecolors="k", linewidths=0.5, s=16)
        plane.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), title="decision boundary (P(class 1))")
        if self.losses:
            epochs, losses = zip(*self.losses)
            curve.plot(epochs, losses)
        curve.set(xlabel="epoch", ylabel="cross-entropy", title="training loss")
        render(self.image, fig)


def playground(data="xor", layers=1, units=2, activation="tanh", lr=0.03, epochs=150, seed=0):
    """Display the playground (see the module docstring)."""
    if announce(f"playground: a {layers}-hidden-layer, {units}-unit {activation} network learning the "
                f"{data!r} data, its decision boundary and loss curve"):
        return
    show(Playground(data, layers, units, activation, lr, epochs, seed))
