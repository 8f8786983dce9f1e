"""The grading kernel's entry point inside the sandbox: ipykernel's own launcher, without its debugger.

ipykernel imports debugpy at start-up wherever it is installed, for JupyterLab's debugger panel: a kernel had
used 0.375 CPU s when it was ready with debugpy and 0.33 s without (``getrusage`` in the kernel, medians of
five starts each way). Nobody attaches a debugger to a grading kernel (its kernelspec says ``"debugger":
false``), so this makes ``import debugpy`` fail and then runs ``ipykernel_launcher`` as ``python -m`` would;
ipykernel then runs as it does where debugpy is not installed."""
import runpy
import sys

if __name__ == "__main__":
    sys.modules["debugpy"] = None                       # import debugpy → ImportError: no debugger
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
