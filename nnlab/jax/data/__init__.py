"""Preprocessing on JAX, as in ``nnlab.data``."""
