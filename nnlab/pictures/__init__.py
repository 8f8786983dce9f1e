"""Pictures for the notebooks: static plots (``plots``), diagrams of networks, convolution windows and
recurrent cells (``diagrams``), live training curves (``live``) and the widgets (``widgets``, imported on first
use: it needs ipywidgets)."""
