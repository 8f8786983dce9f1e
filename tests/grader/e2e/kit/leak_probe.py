"""The untrusted half of the kit's leak test: run inside a virtual environment that holds only a student kit,
it calls every callable reachable in the kit's ``nnlab`` on the cases of every open graded function and writes
what came back. The comparison happens in the test (tests/grader/e2e/test_kit.py) with the full library's checks.

    python leak_probe.py CASES.pkl OUT.pkl
"""
import importlib
import importlib.util
import inspect
import io
import contextlib
import pickle
import pkgutil
import signal
import sys
import warnings

CALL_SECONDS = 10


class Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise Timeout()


def reachable():
    """(label, callable) for everything callable that the kit's package holds: module attributes, classes and
    their methods, instances of nnlab classes and their bound methods, entries of dicts, lists and tuples
    (one level down, e.g. ACTIVATIONS' (f, f') pairs) and those containers' own lookup methods."""
    import nnlab
    modules = {"nnlab": nnlab}
    for info in pkgutil.walk_packages(nnlab.__path__, "nnlab."):
        try:
            modules[info.name] = importlib.import_module(info.name)
        except Exception as exc:                                  # reported, not fatal
            print(f"cannot import {info.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    found, seen = [], set()

    def add(label, obj):
        if callable(obj) and id(obj) not in seen:
            seen.add(id(obj))
            found.append((label, obj))

    def visit(label, value, depth=0):
        if inspect.ismodule(value):
            return
        add(label, value)
        if inspect.isclass(value) and value.__module__.startswith("nnlab"):
            for attr, member in vars(value).items():
                member = getattr(member, "__func__", member)          # staticmethod / classmethod
                add(f"{label}.{attr}", member)
        elif type(value).__module__.startswith("nnlab") and not inspect.isfunction(value):
            for attr in dir(value):
                if not attr.startswith("__"):
                    try:
                        add(f"{label}.{attr}", getattr(value, attr))
                    except Exception:
                        pass
        if isinstance(value, dict) and depth < 2:
            add(f"{label}.get", value.get)
            add(f"{label}.__getitem__", value.__getitem__)
            for k, v in list(value.items()):
                visit(f"{label}[{k!r}]", v, depth + 1)
        elif isinstance(value, (list, tuple)) and depth < 2:
            add(f"{label}.__getitem__", value.__getitem__)
            for i, v in enumerate(value):
                visit(f"{label}[{i}]", v, depth + 1)

    for name, module in sorted(modules.items()):
        for attr, value in list(vars(module).items()):
            if attr.startswith("__") or (inspect.ismodule(value)):
                continue
            if getattr(value, "__module__", "nnlab").split(".")[0] not in ("nnlab", "builtins") and \
                    not isinstance(value, (dict, list, tuple)) and not inspect.isclass(value):
                continue                                              # numpy, jax, … imported by name
            visit(f"{name}.{attr}", value)
    return found


def _compiles(fn, args, kwargs) -> bool:
    """Whether ``fn`` also runs under ``jax.jit``, as the JAX checks demand."""
    import jax
    signal.alarm(CALL_SECONDS * 3)
    try:
        jax.block_until_ready(jax.jit(fn)(*args, **kwargs))
        return True
    except (Exception, Timeout):
        return False
    finally:
        signal.alarm(0)


def main():
    cases_file, out_file = sys.argv[1], sys.argv[2]
    cases, jitted = pickle.loads(open(cases_file, "rb").read())
    import nnlab
    kit = nnlab.__file__
    grader = importlib.util.find_spec("autograder")               # the kit alone: no grader, no solutions
    found = reachable()
    signal.signal(signal.SIGALRM, _alarm)
    results, calls_made = {}, 0
    for label, fn in found:
        for name, calls in cases.items():
            try:
                inspect.signature(fn).bind(*calls[0][0], **calls[0][1])
            except TypeError:
                continue
            except Exception:
                pass                                                  # no signature to read: try it
            outputs = []
            for args, kwargs in calls:
                calls_made += 1
                signal.alarm(CALL_SECONDS)
                try:
                    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                            contextlib.redirect_stderr(io.StringIO()):
                        warnings.simplefilter("ignore")
                        value = fn(*pickle.loads(pickle.dumps(args)), **pickle.loads(pickle.dumps(kwargs)))
                    value = pickle.loads(pickle.dumps(value))         # plain data only crosses back
                except (Exception, Timeout, SystemExit):
                    value = None
                    outputs = None
                finally:
                    signal.alarm(0)
                if outputs is None:
                    break
                outputs.append(value)
            if outputs is not None and name in jitted:
                outputs = (outputs, _compiles(fn, *calls[0]))
            results[(label, name)] = outputs
    with open(out_file, "wb") as f:
        pickle.dump({"kit": kit, "grader": grader is not None, "callables": len(found), "calls": calls_made,
                     "results": results}, f)


if __name__ == "__main__":
    main()
