"""Forward / backward pairs on JAX, as in ``nnlab.ops``."""
