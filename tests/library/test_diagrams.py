"""nnlab.diagrams: each picture returns a Figure whose labels are computed from its arguments."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from nnlab import diagrams  # noqa: E402

DECK_IMAGE = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
DECK_KERNEL = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def patches(fig, gid):
    return [p for p in fig.findobj(Rectangle) if p.get_gid() == gid]


def test_the_module_keeps_its_public_import_path():
    import nnlab.diagrams

    assert nnlab.diagrams is diagrams is nnlab.pictures.diagrams
    assert "diagrams" in nnlab.__all__


def test_network_labels_each_layer_and_each_weight_matrix():
    fig = diagrams.network((4, 5, 2))
    assert isinstance(fig, Figure)
    labels = texts(fig)
    for label in ("a⁽⁰⁾ = x  (4, m)", "a⁽¹⁾  (5, m)", "a⁽²⁾ = ŷ  (2, m)", "w[0]  (5, 4)", "b[0]  (5, 1)",
                  "w[1]  (2, 5)", "b[1]  (2, 1)"):
        assert label in labels
    assert not any(label.startswith("w[2]") for label in labels)
    assert len(fig.findobj(Circle)) == 4 + 5 + 2
    assert "sizes (4, 5, 2): 30 weights + 7 biases = 37 parameters" in labels


def test_network_default_and_a_large_layer():
    labels = texts(diagrams.network())
    assert {"a⁽⁰⁾ = x  (2, m)", "a⁽¹⁾  (3, m)", "a⁽²⁾ = ŷ  (1, m)", "w[0]  (3, 2)", "b[0]  (3, 1)",
            "w[1]  (1, 3)"} <= set(labels)
    fig = diagrams.network((784, 10, 12, 3))
    labels = texts(fig)
    assert "a⁽⁰⁾ = x  (784, m)" in labels and "w[0]  (10, 784)" in labels and "a⁽³⁾ = ŷ  (3, m)" in labels
    assert "776 more" in labels and "4 more" in labels and labels.count("⋮") == 2
    assert len(fig.findobj(Circle)) == 8 + 10 + 8 + 3


@pytest.mark.parametrize("sizes", [(3,), (2, 0, 1), (2, 1.5)])
def test_network_refuses_impossible_sizes(sizes):
    with pytest.raises(ValueError, match="network"):
        diagrams.network(sizes)


def test_conv_window_geometry_with_padding_and_stride():
    fig = diagrams.conv_window(H=7, W=7, k=3, stride=2, padding=1, positions=((1, 2),))
    labels = texts(fig)
    assert any("H_out = ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4" in label for label in labels)
    assert any("W_out = ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4" in label for label in labels)
    assert "output (1, 2): window at rows 2–4, columns 4–6" in labels
    assert len(patches(fig, "output-cell")) == 16
    assert len(patches(fig, "input-cell")) == 49 and len(patches(fig, "padding-cell")) == 81 - 49
    (window,) = patches(fig, "window")
    assert window.get_xy() == (4, 2) and (window.get_width(), window.get_height()) == (3, 3)
    (cell,) = patches(fig, "output-window")
    padded = 7 + 2
    assert cell.get_xy() == (padded + 2.0 + 2, (padded - 4) / 2 + 1)


def test_conv_window_one_panel_per_position():
    fig = diagrams.conv_window()
    labels = texts(fig)
    assert "output (0, 0): window at rows 0–2, columns 0–2" in labels
    assert "output (0, 1): window at rows 0–2, columns 1–3" in labels
    assert [w.get_xy() for w in patches(fig, "window")] == [(0, 0), (1, 0)]
    assert len(patches(fig, "output-cell")) == 2 * 9
    assert not patches(fig, "padding-cell")


def test_conv_window_deck_example_writes_every_output_value():
    fig = diagrams.conv_window(image=DECK_IMAGE, kernel=DECK_KERNEL, positions=((1, 2),))
    cells = {(round(t.get_position()[0] - 0.5, 3), round(t.get_position()[1] - 0.5, 3)): t.get_text()
             for t in fig.findobj(Text)}
    ox, oy = 5 + 2.0, 1.0                                        # the output grid's top-left corner
    written = [[cells[(ox + c, oy + r)] for c in range(3)] for r in range(3)]
    assert written == [["4", "3", "4"], ["2", "4", "3"], ["2", "3", "4"]]
    image = [[cells[(c, r)] for c in range(5)] for r in range(5)]
    assert image == [[str(v) for v in row] for row in DECK_IMAGE]
    labels = texts(fig)
    assert labels.count("×1") == 5 and labels.count("×0") == 4         # the kernel, in the window's cells
    assert any("H_out = ⌊(5 + 2·0 − 3)/1⌋ + 1 = 3" in label for label in labels)


def test_conv_window_without_a_ready_convolution_draws_no_values(monkeypatch):
    """In the student kit, notebook 06's convolution is the student's: until it passes, the grid stays empty."""
    from nnlab.yours import FinishFirst

    def not_yet(*args, **kwargs):
        raise FinishFirst("finish convolution in 06_cnn first")

    monkeypatch.setattr(diagrams, "convolution", not_yet)
    fig = diagrams.conv_window(image=DECK_IMAGE, kernel=DECK_KERNEL, positions=((0, 0),))
    labels = texts(fig)
    assert any("once your convolution passes its check" in label for label in labels)
    centres = {tuple(np.round(t.get_position(), 3)) for t in fig.findobj(Text) if t.get_text()}
    assert not {(5 + 2.0 + c + 0.5, 1.0 + r + 0.5) for r in range(3) for c in range(3)} & centres
    assert len(patches(fig, "output-cell")) == 9


def test_conv_window_rectangular_kernel_and_image_set_the_shapes():
    image = np.arange(24.0).reshape(4, 6)
    fig = diagrams.conv_window(image=image, kernel=np.ones((2, 3)), stride=1, padding=0, positions=((2, 3),))
    labels = texts(fig)
    assert "output (2, 3): window at rows 2–3, columns 3–5" in labels
    assert any("H_out = ⌊(4 + 2·0 − 2)/1⌋ + 1 = 3" in label and "W_out = ⌊(6 + 2·0 − 3)/1⌋ + 1 = 4" in label
               for label in labels)
    (window,) = patches(fig, "window")
    assert (window.get_width(), window.get_height()) == (3, 2)
    assert str(int(image[2:4, 3:6].sum())) in labels
    assert np.array_equal(image, np.arange(24.0).reshape(4, 6))                         # not changed


@pytest.mark.parametrize("kwargs, words", [
    (dict(H=2, W=2, k=3), "larger than the padded input"),
    (dict(kernel=np.ones((4, 2)), H=3, W=5, padding=0), "larger than the padded input"),
    (dict(stride=0), "stride"),
    (dict(positions=((3, 0),)), "outside the output"),
    (dict(H=7, W=7, stride=2, padding=1, positions=((0, 4),)), "outside the output"),
    (dict(positions=()), "positions"),
])
def test_conv_window_refuses_impossible_geometry(kwargs, words):
    with pytest.raises(ValueError, match=words):
        diagrams.conv_window(**kwargs)


def test_rnn_cell_labels():
    fig = diagrams.rnn_cell()
    labels = texts(fig)
    assert "tanh(Wₕ [hₜ₋₁; xₜ] + bₕ)" in labels and "hₜ = tanh(Wₕ [hₜ₋₁; xₜ] + bₕ)" in labels
    assert {"hₜ₋₁", "xₜ", "[hₜ₋₁; xₜ]"} <= set(labels) and labels.count("hₜ") == 2


def test_lstm_cell_labels_every_gate():
    fig = diagrams.lstm_cell()
    labels = texts(fig)
    for word in ("forget", "input", "candidate", "output", "fₜ", "iₜ", "C̃ₜ", "oₜ", "Cₜ₋₁", "Cₜ", "hₜ₋₁", "xₜ",
                 "×", "+", "tanh(Cₜ)"):
        assert word in labels, word
    assert labels.count("σ") == 3 and labels.count("×") == 3
    assert any("Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ" in label and "hₜ = oₜ ⊙ tanh(Cₜ)" in label for label in labels)


@pytest.mark.parametrize("draw", [diagrams.network, diagrams.rnn_cell, diagrams.lstm_cell,
                                  lambda ax: diagrams.conv_window(positions=((1, 1),), ax=ax)])
def test_a_given_axes_is_drawn_on(draw):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    assert draw(ax=right) is fig
    assert right.patches and not left.patches and not left.texts


def test_conv_window_takes_one_axes_per_position():
    fig, axes = plt.subplots(1, 2)
    assert diagrams.conv_window(positions=((0, 0), (2, 2)), ax=axes) is fig
    assert [w.get_xy() for w in patches(fig, "window")] == [(0, 0), (2, 2)]
    with pytest.raises(ValueError, match="one Axes per position"):
        diagrams.conv_window(ax=axes[0])
