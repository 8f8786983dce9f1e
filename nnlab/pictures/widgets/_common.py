"""What every widget shares: your function or the reference, the headless line, and the image output."""
from __future__ import annotations

from ..live import headless, png


def pick(name: str, yours, reference):
    """``(function, label)``: ``yours`` once it passes the check ``name``, else ``reference``, with the reason."""
    if yours is None or yours is reference:
        return reference, f"showing nnlab's reference {name}"
    from ...checks import get_spec, run_check

    try:
        result = run_check(get_spec(name), yours)
    except NotImplementedError:
        return reference, f"showing nnlab's reference {name}: yours is not written yet"
    except Exception as error:                       # a crash in the student's code must not break the widget
        return reference, f"showing nnlab's reference {name}: yours raised {type(error).__name__}"
    if not result.passed:
        first = result.messages[0] if result.messages else "see its test cell"
        return reference, f"showing nnlab's reference {name}: yours does not pass its check yet ({first})"
    return yours, f"showing your {name} (it passes its check)"


def announce(what: str) -> bool:
    """In headless mode print the one line saying what the widget would show and return True."""
    if headless():
        print(f"[nnlab widget, headless] {what} — open the notebook in JupyterLab to use it")
        return True
    return False


def image_widget():
    import ipywidgets as widgets

    return widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))


def render(image, fig):
    """Put the figure into the widget ``image`` (PNG bytes)."""
    image.value = png(fig)


def show(explorer) -> None:
    """Display the explorer's widget (the functions return nothing, so no repr is echoed below it)."""
    from IPython.display import display

    display(explorer.widget)
