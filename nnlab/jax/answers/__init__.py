"""The challenges' answers on JAX, one module per notebook and named like it, as in ``nnlab.answers``: the JAX
twins of notebooks 02–07's graded functions, and notebook 08's own (the cost, its gradient, per-example costs
and a compiled step)."""
