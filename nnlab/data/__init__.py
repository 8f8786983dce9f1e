"""Data: the built-in toy sets (``toy``), loaders of real data sets that work offline (``loaders``, public as
``nnlab.datasets``) and preprocessing (``preprocessing``)."""
