"""A TensorFlow-Playground-style widget (notebooks 01 and 05): how many hidden units does XOR need?

Pick a 2-D data set, the hidden layers, units per layer, activation and learning rate, press Train: an
``nnlab.Sequential`` (softmax over two classes, Adam, mini-batches of 16) trains while the decision boundary
and the loss curve redraw every few epochs.

Training needs backpropagation (notebook 04) and softmax and the dense layer's passes (notebook 05). In a student kit built while
either is open, the model trains on the student's own versions (``nnlab.from_yours``, ``nnlab.yours``); until
those are ready, the playground replays runs recorded when the kit was built (``RECORDED``: two data sets,
1–8 units, tanh or ReLU, one hidden layer) and says that live training comes with notebook 04.
"""
from __future__ import annotations

import html
import lzma
import pickle
from pathlib import Path

import numpy as np

from ...data.toy import PLAYGROUND_DATA, toy_data
from ...network.layers import Dense
from ...network.optimizers import Adam
from ...network.sequential import Sequential
from ..live import figure
from ._common import announce, image_widget, render, show

ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
RECORDED = {"data": ("xor", "circles"), "units": (1, 2, 3, 4, 8), "activation": ("tanh", "relu"),
            "layers": 1, "lr": 0.03, "epochs": 150}
RECORDING = Path(__file__).with_name("playground_runs.pkl.xz")  # only in a kit built while 04 or 05 is open
GRID = 90                                                        # points per side of the decision-boundary grid
LIVE_LATER = ("Live training comes with notebook 04 (backpropagation) and notebook 05 (softmax and the dense "
              "layer): until your versions pass their checks, the playground replays runs recorded for these "
              "choices. Not ready yet: {why}")


def build_model(layers, units, activation, lr, seed=0):
    """``layers`` hidden Dense layers of ``units`` units and a softmax over two classes, compiled with Adam(lr)."""
    hidden = [Dense(int(units), activation) for _ in range(int(layers))]
    return Sequential(hidden + [Dense(2, "softmax")], input_shape=(2,), seed=seed).compile(Adam(lr))


def train_run(X, y, layers, units, activation, lr, epochs, seed=0, progress=None):
    """Train a fresh model on rows ``X (m, 2)``, labels ``y (m,)``; returns ``(model, losses)`` with ``losses``
    ``[(epoch, cross-entropy)]`` every 5 epochs. ``progress(epoch, model, losses)``, if given, after each epoch."""
    model = build_model(layers, units, activation, lr, seed)
    losses, rng = [], np.random.default_rng(seed)
    for epoch in range(1, int(epochs) + 1):
        model.train_epoch(X, y, 16, rng)
        if epoch % 5 == 0 or epoch == epochs:
            losses.append((epoch, model.evaluate(X, y)[0]))
        if progress is not None:
            progress(epoch, model, losses)
    return model, losses


def boundary_grid(X):
    """The decision-boundary plot's grid around rows ``X (m, 2)``: ``(gx, gy)``, each ``(GRID, GRID)``."""
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    return np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))


def record_runs(seed=0) -> dict:
    """Every ``RECORDED`` choice trained once: ``{(data, units, activation): run}``, each run a dict with the
    loss curve, the final accuracy, the parameter count and P(class 1) on the grid in 1/255 steps."""
    runs = {}
    for data in RECORDED["data"]:
        X, y = toy_data(data, m=240, noise=0.12, seed=seed)
        gx, gy = boundary_grid(X)
        for units in RECORDED["units"]:
            for activation in RECORDED["activation"]:
                model, losses = train_run(X, y, RECORDED["layers"], units, activation, RECORDED["lr"],
                                          RECORDED["epochs"], seed)
                p = model.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1].reshape(gx.shape)
                runs[(data, units, activation)] = {
                    "losses": [(e, float(v)) for e, v in losses], "accuracy": float(model.evaluate(X, y)[1]),
                    "params": model.count_params(), "grid": np.round(p * 255).astype(np.uint8)}
    return runs


def _recorded_runs() -> tuple[dict | None, str]:
    """``(runs, why)``: the runs recorded into this kit and why live training cannot work yet; ``(None, "")``
    where it can (the full library, or your functions are ready)."""
    if not RECORDING.is_file():
        return None, ""
    from ...yours import FinishFirst
    try:
        train_run(np.eye(2), np.array([0, 1]), 1, 1, "tanh", 0.1, 1)
    except FinishFirst as error:
        return pickle.loads(lzma.decompress(RECORDING.read_bytes()))["runs"], str(error)
    return None, ""


class Playground:
    """Controls: data, layers, units, activation, lr, epochs and a Train button."""

    def __init__(self, data="xor", layers=1, units=2, activation="tanh", lr=0.03, epochs=150, seed=0,
                 redraw_every=25):
        import ipywidgets as widgets

        if data not in PLAYGROUND_DATA:
            raise ValueError(f"playground: data must be one of {', '.join(PLAYGROUND_DATA)}, got {data!r}")
        self.seed, self.redraw_every = seed, int(redraw_every)
        self.recorded, why = _recorded_runs() if seed == 0 else (None, "")
        options = RECORDED if self.recorded else {"data": PLAYGROUND_DATA, "activation": ACTIVATIONS}
        if self.recorded:                         # the nearest recorded choice; layers, lr and epochs are fixed
            data = data if data in options["data"] else options["data"][0]
            units = min(options["units"], key=lambda u: (abs(u - units), u))
            activation = activation if activation in options["activation"] else options["activation"][0]
            layers, lr, epochs = RECORDED["layers"], RECORDED["lr"], RECORDED["epochs"]
        self.controls = {
            "data": widgets.Dropdown(options=options["data"], value=data, description="data"),
            "layers": widgets.IntSlider(value=layers, min=0, max=4, description="hidden layers"),
            "units": (widgets.SelectionSlider(options=options["units"], value=units, description="units / layer")
                      if self.recorded else widgets.IntSlider(value=units, min=1, max=16, description="units / layer")),
            "activation": widgets.Dropdown(options=options["activation"], value=activation, description="activation"),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.25, description="lr",
                                         readout_format=".3g"),
            "epochs": widgets.IntSlider(value=epochs, min=25, max=1000, step=25, description="epochs"),
        }
        style = {"description_width": "initial"}
        for name, control in self.controls.items():
            control.style = style
            control.disabled = bool(self.recorded) and name in ("layers", "lr", "epochs")
        self.button = widgets.Button(description="Replay" if self.recorded else "Train", button_style="primary",
                                     icon="play")
        self.button.on_click(lambda _: self.train())
        self.controls["data"].observe(lambda _: self.reset(), names="value")
        self.image = image_widget()
        self.status = widgets.HTML()
        self.note = widgets.HTML(LIVE_LATER.format(why=html.escape(why)) if self.recorded else "")
        c = self.controls
        self.widget = widgets.VBox([self.note, widgets.HBox([c["data"], c["activation"], self.button]),
                                    widgets.HBox([c["layers"], c["units"]]), widgets.HBox([c["lr"], c["epochs"]]),
                                    self.status, self.image])
        self.reset()

    def reset(self):
        """New data (the untrained view): the points and an empty loss plot."""
        self.X, self.y = toy_data(self.controls["data"].value, m=240, noise=0.12, seed=self.seed)
        self.model, self.grid, self.losses = None, None, []
        self.status.value = f"Press <b>{self.button.description}</b>."
        self._draw()

    def train(self):
        """Train a fresh model with the current settings, redrawing as it goes (or show the recorded run of
        these choices); returns the final accuracy."""
        c = {k: v.value for k, v in self.controls.items()}
        if self.recorded:
            run = self.recorded[(c["data"], c["units"], c["activation"])]
            self.model, self.grid, self.losses = None, run["grid"] / 255, run["losses"]
            self._draw()
            self.status.value = (f"recorded run, epoch {c['epochs']}/{c['epochs']}: training accuracy "
                                 f"{run['accuracy']:.1%} with {run['params']} parameters")
            return run["accuracy"]

        def progress(epoch, model, losses):
            if epoch % self.redraw_every == 0 or epoch == c["epochs"]:
                self.model, self.losses = model, losses
                self._draw()                                   # the picture first, then the status naming it
                self.status.value = (f"epoch {epoch}/{c['epochs']}: training accuracy "
                                     f"{model.evaluate(self.X, self.y)[1]:.1%} with {model.count_params()} parameters")

        from ...yours import FinishFirst
        try:
            self.model, self.losses = train_run(self.X, self.y, c["layers"], c["units"], c["activation"], c["lr"],
                                                c["epochs"], self.seed, progress)
        except FinishFirst as error:                           # a function of yours this model needs is not ready
            self.status.value = f"{type(error).__name__}: {error}"
            return None
        return self.model.evaluate(self.X, self.y)[1]

    def _draw(self):
        fig, (plane, curve) = figure(9, 3.8, 2)
        gx, gy = boundary_grid(self.X)
        if self.model is not None:
            self.grid = self.model.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1].reshape(gx.shape)
        if self.grid is not None:
            plane.contourf(gx, gy, self.grid, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.7)
        colours = np.where(self.y == 1, "#d6604d", "#4393c3")    # class 1 red, class 0 blue, as the shading
        plane.scatter(self.X[:, 0], self.X[:, 1], c=colours, edgecolors="k", linewidths=0.5, s=16)
        plane.set(xlim=(gx.min(), gx.max()), ylim=(gy.min(), gy.max()), title="decision boundary (P(class 1))")
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
