"""The interactive layer outside the browser: the playground's data, the widgets driven from Python (each
control redraws, the numbers shown are the library's), your-function-or-the-reference, headless mode, and
LivePlot in a real kernel (live: one figure replaced in place, a progress bar, nothing on stderr;
headless: one static figure)."""
from __future__ import annotations

import numpy as np
import pytest

import nnlab

widgets = pytest.importorskip("ipywidgets", reason="the widgets need ipywidgets: pip install 'nnlab[lab]'")
from nnlab.pictures.widgets import ConvExplorer, LRExplorer, LSTMViewer, Playground  # noqa: E402
from nnlab.pictures.widgets._common import pick  # noqa: E402
from nnlab.pictures.widgets.conv_explorer import PRESETS, digit_image  # noqa: E402
from nnlab.pictures.widgets.lr_explorer import cost_surface, neuron_problem  # noqa: E402


@pytest.mark.parametrize("name", nnlab.data.toy.PLAYGROUND_DATA)
def test_toy_data_shapes_labels_and_seed(name):
    X, y = nnlab.toy_data(name, m=101, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1} and abs(np.mean(y) - 0.5) < 0.15
    again, _ = nnlab.toy_data(name, m=101, seed=3)
    assert np.array_equal(X, again)


def test_toy_data_xor_is_labelled_by_the_signs():
    X, y = nnlab.toy_data("xor", m=400, noise=0.0, seed=0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    with pytest.raises(ValueError, match="unknown data set 'ring'.*xor, moons"):
        nnlab.toy_data("ring")


def not_written(*args, **kwargs):
    raise NotImplementedError()


def test_pick_uses_yours_only_once_it_passes_its_check():
    ref = nnlab.convolution
    assert pick("convolution", None, ref) == (ref, "showing nnlab's reference convolution")
    fn, label = pick("convolution", not_written, ref)
    assert fn is ref and "yours is not written yet" in label
    fn, label = pick("convolution", lambda image, kernel, stride=1, padding=0: np.zeros((2, 2)), ref)
    assert fn is ref and "does not pass its check yet" in label and "has shape (2, 2) but (3, 3)" in label
    fn, label = pick("convolution", lambda *a, **k: 1 / 0, ref)
    assert fn is ref and "convolution raised ZeroDivisionError" in label

    def mine(image, kernel, stride=1, padding=0):
        return nnlab.convolution(image, kernel, stride, padding)
    assert pick("convolution", mine, ref) == (mine, "showing your convolution (it passes its check)")


def test_lr_explorer_redraws_and_names_each_regime():
    calls = []

    def my_step(X, y, w, b, lr):
        calls.append(lr)
        return nnlab.one_step_gd(X, y, w, b, lr)

    explorer = LRExplorer(my_step)
    assert "showing your one_step_gd" in explorer.status.value
    image = explorer.image.value
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    verdicts = {}
    for lr in (0.3, 3.0, 1000.0):
        explorer.controls["lr"].value = lr
        verdicts[lr] = explorer.last["verdict"]
        assert explorer.image.value != image
        image = explorer.image.value
    assert verdicts[0.3].startswith("crawling") and verdicts[3.0] == "converged"
    assert verdicts[1000.0].startswith("stuck on a plateau")
    assert 1000.0 in calls                                   # the student's step did the work
    explorer.controls["epochs"].value = 20
    assert len(explorer.last["costs"]) == 20 and explorer.last["path"].shape == (21, 2)
    w, b, errors = nnlab.GD(*neuron_problem(), [np.array([[-2.0]])],
                            [np.array([[2.0]])], epoch=20, lr=explorer.controls["lr"].value)
    assert np.allclose(explorer.last["costs"], errors, rtol=1e-12)


def test_lr_explorer_cost_surface_is_cost_function():
    X, y = neuron_problem()
    ws, bs, C = cost_surface(X, y, n=7)
    for j, k in [(0, 0), (3, 5), (6, 2)]:
        assert C[j, k] == pytest.approx(nnlab.cost_function(X, y, [np.array([[ws[k]]])], [np.array([[bs[j]]])]),
                                        rel=1e-12)


def test_playground_shows_one_unit_cannot_learn_xor_but_four_can():
    playground = Playground(data="xor", units=1, epochs=150)
    untrained = playground.image.value
    assert playground.train() < 0.85
    assert playground.image.value != untrained and "training accuracy" in playground.status.value
    playground.controls["units"].value = 4
    assert playground.train() > 0.95
    assert f"with {playground.model.count_params()} parameters" in playground.status.value
    playground.controls["data"].value = "circles"                # new data: back to the untrained view
    assert playground.model is None and playground.X.shape == (240, 2)


def test_conv_explorer_shows_the_library_s_numbers():
    explorer = ConvExplorer(preset="vertical edges", digit=3)
    image = digit_image(3)
    kernel = np.array(PRESETS["vertical edges"], dtype=float)
    assert np.allclose(explorer.last["filtered"], nnlab.convolution(image, kernel))
    assert np.allclose(explorer.last["pooled"], nnlab.pooling(nnlab.convolution(image, kernel)))
    before = explorer.image.value
    explorer.controls["preset"].value = "blur"
    assert np.allclose(explorer.kernel, 1 / 9, atol=1e-4) and explorer.image.value != before
    explorer.cells[4].value = 2.0                               # typing in the grid makes it a custom kernel
    assert explorer.controls["preset"].value == "custom" and explorer.kernel[1, 1] == 2.0
    explorer.controls["stride"].value = 2
    explorer.controls["mode"].value = "avg"
    assert explorer.last["filtered"].shape == (11, 11) and explorer.last["pooled"].shape == (5, 5)
    assert "showing nnlab's reference convolution" in ConvExplorer(convolution=not_written).source


def test_lstm_viewer_gates_match_lstm_forward():
    rng = np.random.default_rng(0)
    params = nnlab.init_lstm_params(2, 5, seed=1)
    params["Wy"] = rng.normal(size=(1, 5))                     # a readout beside the cell is ignored
    X = rng.normal(size=(12, 2, 1))

    def mine(x_t, h_prev, c_prev, params):
        return nnlab.lstm_cell_forward(x_t, h_prev, c_prev, params)
    viewer = LSTMViewer(params, X, lstm_cell_forward=mine, units=3)
    assert "showing your lstm_cell_forward" in viewer.status.value
    H, C, cache = nnlab.lstm_forward(X, np.zeros((5, 1)), np.zeros((5, 1)), params)
    n_h = 5
    assert np.allclose(viewer.states["h"], H[:, :, 0]) and np.allclose(viewer.states["C"], C[:, :, 0])
    for name, k in (("f", 0), ("i", 1), ("C̃", 2), ("o", 3)):
        assert np.allclose(viewer.states[name], cache.gates[:, k * n_h:(k + 1) * n_h, 0])
    before = viewer.image.value
    viewer.controls["t"].value = 7
    assert viewer.image.value != before
    with pytest.raises(ValueError, match=r"X must be \(T, n_x, m\)"):
        LSTMViewer(params, X[:, :, 0])


@pytest.mark.parametrize("function, words", [
    ("lr_explorer", "learning-rate explorer"), ("playground", "playground: a 1-hidden-layer"),
    ("conv_explorer", "convolution explorer"), ("lstm_viewer", "LSTM gate viewer")])
def test_headless_widgets_print_one_line(function, words, monkeypatch, capsys):
    monkeypatch.setenv("NNLAB_HEADLESS", "1")
    assert getattr(nnlab.widgets, function)() is None
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and words in out and "open the notebook in JupyterLab" in out and not err


def test_liveplot_outside_a_kernel_keeps_one_final_figure(capsys):
    X, y = nnlab.xor_data()
    live = nnlab.LivePlot()
    w, b, errors = nnlab.GD(X, y, *nnlab.nn_parameter_maker([2, 3, 1], seed=1), epoch=30, lr=2.0, callback=live)
    assert live.total == 30 and np.array_equal(live.history["loss"], errors)
    assert live.figure is not None and live.figure.axes[0].get_xlabel() == "step"
    Xd, yd = nnlab.toy_data("blobs", m=64, seed=0)
    model = nnlab.Sequential([nnlab.Dense(4, "relu"), nnlab.Dense(2, "softmax")], seed=0).compile("adam")
    history = model.fit(Xd, yd, epochs=3, validation_data=(Xd, yd), callback=live)
    assert live.history == history.history and live.total == 30   # a total given stays
    assert [a.get_title().split(":")[0] for a in live.figure.axes] == ["loss", "accuracy"]
    assert capsys.readouterr() == ("", "")


LIVE_CODE = """
import nnlab
X, y = nnlab.toy_data("moons", m=64, seed=0)
model = nnlab.Sequential([nnlab.Dense(8, "relu"), nnlab.Dense(2, "softmax")], seed=0).compile("adam")
history = model.fit(X, y, epochs=6, validation_data=(X, y), callback=nnlab.LivePlot(interval=0))
w, b, errors = nnlab.GD(*nnlab.xor_data(), *nnlab.nn_parameter_maker([2, 3, 1], seed=1), epoch=40, lr=2.0,
                        callback=nnlab.LivePlot(interval=0))
"""


@pytest.mark.notebooks
@pytest.mark.parametrize("headless", [False, True])
def test_liveplot_in_a_kernel(headless, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    if headless:
        monkeypatch.setenv("NNLAB_HEADLESS", "1")
    else:
        monkeypatch.delenv("NNLAB_HEADLESS", raising=False)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LIVE_CODE)])
    updates = []

    class Client(NotebookClient):
        def process_message(self, msg, cell, cell_index):
            if msg["msg_type"] == "update_display_data":
                updates.append(msg)
            return super().process_message(msg, cell, cell_index)

    Client(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr" or o["output_type"] == "error"], outputs
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    bars = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(images) == 2                                  # one figure per training run, however many epochs
    if headless:
        assert not bars and not updates
    else:
        assert len(bars) == 2                                # tqdm's notebook progress bars
        assert updates and all("image/png" in u["content"]["data"] for u in updates)


def test_the_kits_recorded_playground_runs_are_current():
    """The student kit replays runs recorded from this code (autograder/commands/playground_runs.pkl.xz, refreshed by
    make release): they must be current, and one of them is trained again here and must match."""
    import lzma
    import pickle

    from autograder.commands.kit import PLAYGROUND_RUNS, playground_digest, recorded_digest
    from nnlab.data.toy import toy_data
    from nnlab.pictures.widgets.playground import train_run

    assert recorded_digest() == playground_digest(), "the playground's code changed since its runs were " \
                                                     "recorded: run make release"
    run = pickle.loads(lzma.decompress(PLAYGROUND_RUNS.read_bytes()))["runs"][("xor", 4, "tanh")]
    X, y = toy_data("xor", m=240, noise=0.12, seed=0)
    model, losses = train_run(X, y, 1, 4, "tanh", 0.03, 150)
    assert run["losses"] == [(e, float(v)) for e, v in losses]
    assert run["accuracy"] == model.evaluate(X, y)[1] and run["params"] == model.count_params()
