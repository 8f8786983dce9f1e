"""Where JAX runs: ``gpu_available()`` and a one-line description for notebooks and benchmarks."""
from __future__ import annotations

import jax


def gpu_available() -> bool:
    """True when JAX's default backend is a GPU."""
    return jax.default_backend() == "gpu"


def describe_devices() -> str:
    """E.g. ``"JAX 0.10.2 on gpu: NVIDIA H100"`` or a CPU line that says how to get a GPU."""
    devices = jax.devices()
    kinds = ", ".join(sorted({getattr(d, "device_kind", d.platform) for d in devices}))
    line = f"JAX {jax.__version__} on {jax.default_backend()}: {len(devices)} × {kinds}"
    if not gpu_available():
        line += (" — no GPU visible, so everything runs on the CPU (on a machine with an NVIDIA GPU, "
                 "pip install 'jax[cuda12]' makes JAX use it)")
    return line
