"""The grading kernel's entry point inside the sandbox: ipykernel's own launcher, without its debugger.

ipykernel imports debugpy at start-up wherever it is installed, for JupyterLab's debugger panel: a kernel had
used 0.375 CPU s when it was ready with debugpy and 0.33 s without (``getrusage`` in the kernel, medians of five
starts each way). Nobody attaches a debugger to a grading kernel (its kernelspec says ``"debugger": false``),
so this launcher makes ``import debugpy`` fail before ipykernel tries it; ipykernel then runs as it does where
debugpy is not installed. Everything else is ``ipykernel_launcher``'s: the kernel's folder leaves ``sys.path`` while
ipykernel loads, and the shell puts it back."""
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.modules["debugpy"] = None                       # import debugpy → ImportError: no debugger
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]

    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
