"""nbgrader and nbclient as nnlab uses them: the configuration every course shares, the crash-safe ``Execute``,
the extra preprocessors, the offline feedback page, and the patches of their internals."""
