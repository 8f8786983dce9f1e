"""The grading kernel's entry point inside the sandbox: ipykernel's own launcher, without its debugger.

ipykernel imports debugpy at start-up wherever it is installed, for JupyterLab's debugger panel: about 0.05 CPU s
of every kernel's 0.33–0.38 s start (measured with ``getrusage`` in the kernel once it was ready, five starts
each way). Nobody attaches a debugger to a grading kernel (its kernelspec says ``"debugger": false``), so this
launcher makes ``import debugpy`` fail before ipykernel tries it; ipykernel then runs as it does where debugpy
is not installed. Everything else is ``ipykernel_launcher``'s: the kernel's folder leaves ``sys.path`` while
ipykernel loads, and the shell puts it back."""
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.modules["debugpy"] = None                       # import debugpy → ImportError: no debugger
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]

    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
