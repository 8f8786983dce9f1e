"""The trust boundary: the sandbox every student kernel runs in, and the out-of-kernel check that judges the
student's functions again from outside it (``verify`` asks, ``replay`` answers inside the sandbox, ``wire``
carries only plain data between them)."""
