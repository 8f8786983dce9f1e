"""The network toolkit: initialisers, threshold units, layers, ``Sequential``, optimisers, batching, the
training loops and gradient checking."""
