"""The network toolkit on JAX, as in ``nnlab.network``: initialisers, layers, ``Sequential``, optimisers, the
training loops and gradient checking."""
