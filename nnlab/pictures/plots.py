"""Plots for the notebooks: loss curves and decision boundaries (matplotlib is imported on first use)."""
from __future__ import annotations

import numpy as np


def plot_loss(errors, ax=None, label=None, title="Cost per epoch", logy=False):
    """Draw one loss curve (``errors[i]`` = cost after epoch i) and return the matplotlib Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    errors = np.asarray(errors, dtype=float)
    ax.plot(np.arange(1, errors.size + 1), errors, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    ax.set_title(title)
    if logy:
        ax.set_yscale("log")
    if label is not None:
        ax.legend()
    return ax


def plot_losses(curves: dict, ax=None, title="Cost per epoch", logy=True):
    """Several labelled loss curves on one Axes, e.g. ``{"lr=0.1": errors, "lr=5": errors2}``."""
    for label, errors in curves.items():
        ax = plot_loss(errors, ax=ax, label=label, title=title, logy=logy)
    return ax


def plot_decision_boundary(predict_fn, X, y, ax=None, resolution=200, title=None):
    """Shade ``predict_fn(points (k, 2)) -> (k, 1) or (k,)`` over the plane and scatter rows ``X (m, 2)``."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    X = np.asarray(X, dtype=float)
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, resolution)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, resolution)
    gx, gy = np.meshgrid(xs, ys)
    z = np.asarray(predict_fn(np.column_stack([gx.ravel(), gy.ravel()])), dtype=float).reshape(gx.shape)
    ax.contourf(gx, gy, z, levels=20, cmap="RdBu_r", alpha=0.6)
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y).ravel(), cmap="RdBu_r", edgecolors="k")
    if title:
        ax.set_title(title)
    return ax
