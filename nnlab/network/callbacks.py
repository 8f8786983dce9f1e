"""The training-callback protocol of ``GD``, ``minibatch_gd`` and ``Sequential.fit`` (both backends).

A callback is any ``callback(epoch, metrics)``: ``fit`` passes its ``History``, ``GD`` the cost after the step.
An object may also have ``on_train_begin(total, unit)`` and ``on_train_end()``; ``nnlab.LivePlot`` does.
"""
from __future__ import annotations


def train_begin(callback, total: int, unit: str):
    """Tell a callback object training starts (plain functions have nothing to be told)."""
    if callback is not None and hasattr(callback, "on_train_begin"):
        callback.on_train_begin(total, unit)


def train_end(callback):
    """Tell a callback object training is over."""
    if callback is not None and hasattr(callback, "on_train_end"):
        callback.on_train_end()
