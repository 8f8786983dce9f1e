"""Widgets for playing with the ideas in JupyterLab (ipywidgets + matplotlib), one per notebook topic.

- ``lr_explorer`` (notebook 03): a learning-rate slider → the loss curve and the path on a 2-D cost surface;
- ``playground`` (notebooks 01, 05): hidden units, layers, activation, lr → a live decision boundary;
- ``conv_explorer`` (notebook 06): a 3×3 kernel or a preset → the filtered digit and the pooled map;
- ``lstm_viewer`` (notebook 07): step through a sequence and watch the gates f, i, o, the cell C and h.

Each function displays its widget in a kernel; the classes behind them (``LRExplorer``, ``Playground``,
``ConvExplorer``, ``LSTMViewer``) build the same widget without displaying it, with its ``.widget``,
``.controls``, ``.image`` and ``.update()`` at hand (a script or a test can drive them).

A widget that needs one of your functions uses it once it passes its check, and nnlab's reference until
then, and says which one it shows. In headless mode (``NNLAB_HEADLESS=1``, set by the grader, or outside a
kernel) each function prints one line saying what it would show instead.
"""
from .conv_explorer import ConvExplorer, conv_explorer
from .lr_explorer import LRExplorer, lr_explorer
from .lstm_viewer import LSTMViewer, lstm_viewer
from .playground import Playground, playground

__all__ = ["ConvExplorer", "LRExplorer", "LSTMViewer", "Playground", "conv_explorer", "lr_explorer",
           "lstm_viewer", "playground"]
