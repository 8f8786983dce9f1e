"""Pictures for the notebooks: static plots (``plots``), live training curves (``live``) and the widgets
(``widgets``, imported on first use: it needs ipywidgets)."""
