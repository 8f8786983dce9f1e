"""Notebook 06: convolution, pooling, conv2d_forward, max_pool_forward, and the backward passes conv2d_backward
and max_pool_backward — realistic student answers (the notebook's own images are float32, so float32 arithmetic
is a fair choice here).

A backward pass is checked with the student's own forward pass, whose cache it takes, so its entries define
both: ``CONV_FORWARD`` is a correct conv2d_forward whose cache is ``(x, w, b, stride, padding)`` and
``POOL_FORWARD`` a correct max_pool_forward whose cache is ``(x, size, stride)``."""

CONV_LOOPS = '''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    H_out = (image.shape[0] - kh) // stride + 1
    W_out = (image.shape[1] - kw) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(window * KERNEL)
    return out
'''

POOL_LOOPS = '''
def pooling(x, size=2, stride=2, mode="max"):
    x = np.asarray(x, dtype=float)
    H_out = (x.shape[0] - size) // stride + 1
    W_out = (x.shape[1] - size) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = window.max() if mode == "max" else window.mean()
    return out
'''

CONV2D = '''
def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = (np.asarray(a, dtype=float) for a in (x, w, b))
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    F, C, kh, kw = w.shape
    H_out = (xp.shape[2] - kh) // stride + 1
    W_out = (xp.shape[3] - kw) // stride + 1
    out = np.zeros((x.shape[0], F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, WEIGHTS, axes=([1, 2, 3], [1, 2, 3])) + BIAS
    return RETURN
'''


MAX_POOL_LOOPS = '''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out = (H - size) // stride + 1
    W_out = (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    out[n, c, i, j] = np.max(window)
    return out, (x, size, stride)
'''

CONV_FORWARD = '''
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, stride, padding)
'''

CONV_BACKWARD = CONV_FORWARD + '''
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    F, C, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    H_out, W_out = dout.shape[2:]
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            window = xp[:, :, hs:hs + kh, ws:ws + kw]
            dw += np.tensordot(dout[:, :, i, j], window, axes=([0], [0]))
            dxp[:, :, hs:hs + kh, ws:ws + kw] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    H, W = x.shape[2:]
    dx = dxp[:, :, padding:padding + H, padding:padding + W]
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
'''

CONV_BACKWARD_SIX_LOOPS = CONV_FORWARD + '''
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    hs, ws = i * stride, j * stride
                    dxp[n, :, hs:hs + kh, ws:ws + kw] += w[f] * dout[n, f, i, j]
                    dw[f] += xp[n, :, hs:hs + kh, ws:ws + kw] * dout[n, f, i, j]
                    db[f] += dout[n, f, i, j]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, db
'''

POOL_FORWARD = '''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out = (H - size) // stride + 1
    W_out = (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out, (x, size, stride)
'''

POOL_BACKWARD = POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + r, j * stride + s] += dout[n, c, i, j]
    return dx
'''


def conv2d(weights="w", bias="b", ret="out, (x, w, b, stride, padding)"):
    return CONV2D.replace("WEIGHTS", weights).replace("BIAS", bias).replace("RETURN", ret)


ENTRIES = [
    # ------------------------------------------------------------------------------------------ convolution
    dict(id="nb06-conv-loops", challenge="convolution", expect="passes", code=CONV_LOOPS.replace("KERNEL", "kernel")),
    dict(id="nb06-conv-float32", challenge="convolution", expect="passes", code='''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(np.asarray(image, dtype=np.float32), padding)
    kernel = np.asarray(kernel, dtype=np.float32)
    kh, kw = kernel.shape
    H_out = (image.shape[0] - kh) // stride + 1
    W_out = (image.shape[1] - kw) // stride + 1
    out = np.zeros((H_out, W_out), dtype=np.float32)
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
'''),
    dict(id="nb06-conv-sliding-window-einsum", challenge="convolution", expect="passes", code='''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(image, padding)
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel)[::stride, ::stride]
'''),
    dict(id="nb06-conv-manual-padding-four-loops", challenge="convolution", expect="passes", code='''
def convolution(image, kernel, stride=1, padding=0):
    H, W = image.shape
    kh, kw = kernel.shape
    padded = np.zeros((H + 2 * padding, W + 2 * padding))
    padded[padding:padding + H, padding:padding + W] = image
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            total = 0.0
            for u in range(kh):
                for v in range(kw):
                    total += padded[i * stride + u, j * stride + v] * kernel[u, v]
            out[i, j] = total
    return out
'''),
    dict(id="nb06-conv-flipped-kernel", challenge="convolution", expect="fails", keywords=["flip"],
         code=CONV_LOOPS.replace("KERNEL", "kernel[::-1, ::-1]")),
    dict(id="nb06-conv-off-by-one-size", challenge="convolution", expect="fails",
         keywords=["+ 1", "+1", "off by one", "one row"], code='''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    H_out = (image.shape[0] - kh) // stride
    W_out = (image.shape[1] - kw) // stride
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
'''),
    dict(id="nb06-conv-stride-ignored", challenge="convolution", expect="fails", keywords=["stride"], code='''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    H_out = image.shape[0] - kh + 1
    W_out = image.shape[1] - kw + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out
'''),
    dict(id="nb06-conv-stride-only-in-size", challenge="convolution", expect="fails", keywords=["stride"], code='''
def convolution(image, kernel, stride=1, padding=0):
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    H_out = (image.shape[0] - kh) // stride + 1
    W_out = (image.shape[1] - kw) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)     # forgot i * stride
    return out
'''),
    dict(id="nb06-conv-padding-ignored", challenge="convolution", expect="fails", keywords=["padding", "pad"],
         code=CONV_LOOPS.replace("KERNEL", "kernel").replace(
             "np.pad(np.asarray(image, dtype=float), padding)", "np.asarray(image, dtype=float)")),

    # ------------------------------------------------------------------------------------------ pooling
    dict(id="nb06-pool-loops", challenge="pooling", expect="passes", code=POOL_LOOPS),
    dict(id="nb06-pool-np-functions", challenge="pooling", expect="passes", code='''
def pooling(x, size=2, stride=2, mode="max"):
    H, W = x.shape
    rows = []
    for i in range(0, H - size + 1, stride):
        row = []
        for j in range(0, W - size + 1, stride):
            window = x[i:i + size, j:j + size]
            if mode == "avg":
                row.append(np.mean(window))
            else:
                row.append(np.max(window))
        rows.append(row)
    return np.array(rows)
'''),
    dict(id="nb06-pool-sliding-window", challenge="pooling", expect="passes", code='''
def pooling(x, size=2, stride=2, mode="max"):
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size))[::stride, ::stride]
    return windows.max(axis=(2, 3)) if mode == "max" else windows.mean(axis=(2, 3))
'''),
    dict(id="nb06-pool-float32", challenge="pooling", expect="passes",
         code=POOL_LOOPS.replace("dtype=float", "dtype=np.float32").replace(
             "np.zeros((H_out, W_out))", "np.zeros((H_out, W_out), dtype=np.float32)")),
    dict(id="nb06-pool-max-only", challenge="pooling", expect="fails", keywords=["avg", "average"],
         code=POOL_LOOPS.replace('window.max() if mode == "max" else window.mean()', "window.max()")),
    dict(id="nb06-pool-off-by-one", challenge="pooling", expect="fails",
         keywords=["+ 1", "+1", "off by one", "last window"], code='''
def pooling(x, size=2, stride=2, mode="max"):
    H, W = x.shape
    out = []
    for i in range(0, H - size, stride):
        out.append([x[i:i + size, j:j + size].max() if mode == "max" else x[i:i + size, j:j + size].mean()
                    for j in range(0, W - size, stride)])
    return np.array(out)
'''),
    dict(id="nb06-pool-partial-windows", challenge="pooling", expect="fails",
         keywords=["edge", "stick out", "fit no window", "dropped"], code='''
def pooling(x, size=2, stride=2, mode="max"):
    H, W = x.shape
    out = np.zeros((int(np.ceil(H / stride)), int(np.ceil(W / stride))))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = window.max() if mode == "max" else window.mean()
    return out
'''),
    dict(id="nb06-pool-stride-is-size", challenge="pooling", expect="fails", keywords=["stride"],
         code=POOL_LOOPS.replace("(x.shape[0] - size) // stride", "(x.shape[0] - size) // size").replace(
             "(x.shape[1] - size) // stride", "(x.shape[1] - size) // size").replace(
             "x[i * stride:i * stride + size, j * stride:j * stride + size]",
             "x[i * size:i * size + size, j * size:j * size + size]")),

    # ------------------------------------------------------------------------------------------ conv2d_forward
    dict(id="nb06-conv2d-tensordot", challenge="conv2d_forward", expect="passes", code=conv2d()),
    dict(id="nb06-conv2d-einsum-dict-cache", challenge="conv2d_forward", expect="passes", code='''
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    out = np.empty((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", patch, w) + b
    cache = {"x": x, "w": w, "b": b, "stride": stride, "padding": padding}
    return out, cache
'''),
    dict(id="nb06-conv2d-six-loops", challenge="conv2d_forward", expect="passes", code='''
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, C, kh, kw = w.shape
    xp = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)], mode="constant")
    H_out = 1 + (H + 2 * padding - kh) // stride
    W_out = 1 + (W + 2 * padding - kw) // stride
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * stride, j * stride
                    out[n, f, i, j] = np.sum(xp[n, :, hs:hs + kh, ws:ws + kw] * w[f]) + b[f]
    return out, (x, w, b, stride, padding)
'''),
    dict(id="nb06-conv2d-float32", challenge="conv2d_forward", expect="passes",
         code=conv2d().replace("np.asarray(a, dtype=float)", "np.asarray(a, dtype=np.float32)").replace(
             "out = np.zeros((x.shape[0], F, H_out, W_out))",
             "out = np.zeros((x.shape[0], F, H_out, W_out), dtype=np.float32)")),
    dict(id="nb06-conv2d-no-bias", challenge="conv2d_forward", expect="fails", keywords=["bias"],
         code=conv2d(bias="0")),
    dict(id="nb06-conv2d-flipped", challenge="conv2d_forward", expect="fails", keywords=["flip"],
         code=conv2d(weights="w[:, :, ::-1, ::-1]")),
    dict(id="nb06-conv2d-no-cache", challenge="conv2d_forward", expect="fails", keywords=["cache"],
         code=conv2d(ret="out")),
    dict(id="nb06-conv2d-channels-last", challenge="conv2d_forward", expect="fails",
         keywords=["NCHW", "channel", "axis", "axes"], code='''
def conv2d_forward(x, w, b, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    F, C, kh, kw = w.shape
    H_out = (xp.shape[2] - kh) // stride + 1
    W_out = (xp.shape[3] - kw) // stride + 1
    out = np.zeros((x.shape[0], H_out, W_out, F))          # channels last
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, i, j, :] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, stride, padding)
'''),
    dict(id="nb06-conv2d-pads-every-axis", challenge="conv2d_forward", expect="fails",
         keywords=["spatial", "pad"], code=conv2d().replace(
             "np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))", "np.pad(x, padding)")),

    # ------------------------------------------------------------------------------------------ max_pool_forward
    dict(id="nb06-max-pool-four-loops", challenge="max_pool_forward", expect="passes", code=MAX_POOL_LOOPS),
    dict(id="nb06-max-pool-sliding-window-dict-cache", challenge="max_pool_forward", expect="passes", code='''
def max_pool_forward(x, size=2, stride=2):
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    out = windows.max(axis=(4, 5))
    return out, {"x": x, "size": size, "stride": stride}
'''),
    dict(id="nb06-max-pool-float32-argmax-cache", challenge="max_pool_forward", expect="passes", code='''
def max_pool_forward(x, size=2, stride=2):
    x = x.astype(np.float32)
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - size) // stride, 1 + (W - size) // stride
    out = np.empty((N, C, H_out, W_out), dtype=np.float32)
    where = np.empty((N, C, H_out, W_out), dtype=int)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].reshape(N, C, -1)
            where[:, :, i, j] = window.argmax(axis=2)
            out[:, :, i, j] = window.max(axis=2)
    return out, (x.shape, where, size, stride)
'''),
    dict(id="nb06-max-pool-shifted-slices", challenge="max_pool_forward", expect="passes", code='''
from functools import reduce


def max_pool_forward(x, size=2, stride=2):
    H_out = (x.shape[2] - size) // stride + 1
    W_out = (x.shape[3] - size) // stride + 1
    shifted = [x[:, :, u:u + stride * (H_out - 1) + 1:stride, v:v + stride * (W_out - 1) + 1:stride]
               for u in range(size) for v in range(size)]
    return reduce(np.maximum, shifted), [x, size, stride]
'''),
    dict(id="nb06-max-pool-tiled-reshape", challenge="max_pool_forward", expect="passes", code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    if stride == size:                    # windows that tile the image: one reshape does it
        tiles = x[:, :, :H_out * size, :W_out * size].reshape(N, C, H_out, size, W_out, size)
        out = tiles.max(axis=(3, 5))
    else:
        out = np.array([[[[x[n, c, i * stride:i * stride + size, j * stride:j * stride + size].max()
                           for j in range(W_out)] for i in range(H_out)] for c in range(C)] for n in range(N)])
    return out, (x, size, stride)
'''),
    dict(id="nb06-max-pool-average", challenge="max_pool_forward", expect="fails", keywords=["mean", "largest"],
         code=MAX_POOL_LOOPS.replace("np.max(window)", "np.mean(window)")),
    dict(id="nb06-max-pool-reshape-stride-is-size", challenge="max_pool_forward", expect="fails",
         keywords=["stride"], code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = H // size, W // size
    tiles = x[:, :, :H_out * size, :W_out * size].reshape(N, C, H_out, size, W_out, size)
    return tiles.max(axis=(3, 5)), (x, size, stride)
'''),
    dict(id="nb06-max-pool-off-by-one", challenge="max_pool_forward", expect="fails",
         keywords=["+ 1", "stick out"], code=MAX_POOL_LOOPS.replace(
             "H_out = (H - size) // stride + 1", "H_out = (H - size) // stride").replace(
             "W_out = (W - size) // stride + 1", "W_out = (W - size) // stride")),
    dict(id="nb06-max-pool-partial-windows", challenge="max_pool_forward", expect="fails",
         keywords=["stick out", "dropped"], code=MAX_POOL_LOOPS.replace(
             "H_out = (H - size) // stride + 1", "H_out = int(np.ceil(H / stride))").replace(
             "W_out = (W - size) // stride + 1", "W_out = int(np.ceil(W / stride))")),
    dict(id="nb06-max-pool-no-cache", challenge="max_pool_forward", expect="fails", keywords=["cache"],
         code=MAX_POOL_LOOPS.replace("return out, (x, size, stride)", "return out")),
    dict(id="nb06-max-pool-whole-batch-max", challenge="max_pool_forward", expect="fails",
         keywords=["every image and channel"], code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.max(x[:, :, i * stride:i * stride + size, j * stride:j * stride + size])
    return out, (x, size, stride)
'''),
    dict(id="nb06-max-pool-input-rows-as-index", challenge="max_pool_forward", expect="fails",
         keywords=["window's number"], code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - size) // stride + 1, (W - size) // stride + 1))
    for i in range(0, H - size + 1, stride):
        for j in range(0, W - size + 1, stride):
            out[:, :, i, j] = x[:, :, i:i + size, j:j + size].max(axis=(2, 3))
    return out, (x, size, stride)
'''),

    # ------------------------------------------------------------------------------------------ conv2d_backward
    dict(id="nb06-conv-backward-window-loops", challenge="conv2d_backward", expect="passes", code=CONV_BACKWARD),
    dict(id="nb06-conv-backward-six-loops", challenge="conv2d_backward", expect="passes",
         code=CONV_BACKWARD_SIX_LOOPS),
    dict(id="nb06-conv-backward-dict-cache-einsum", challenge="conv2d_backward", expect="passes", code='''
def conv2d_forward(x, w, b, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = w.shape[2:]
    H_out = (xp.shape[2] - kh) // stride + 1
    W_out = (xp.shape[3] - kw) // stride + 1
    out = np.empty((x.shape[0], w.shape[0], H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", patch, w) + b
    return out, {"xp": xp, "w": w, "stride": stride, "padding": padding}


def conv2d_backward(dout, cache):
    xp, w, s, p = cache["xp"], cache["w"], cache["stride"], cache["padding"]
    kh, kw = w.shape[2:]
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            patch = xp[:, :, i * s:i * s + kh, j * s:j * s + kw]
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], patch)
            dxp[:, :, i * s:i * s + kh, j * s:j * s + kw] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
    db = np.einsum("nfij->f", dout)
    dx = dxp[:, :, p:xp.shape[2] - p, p:xp.shape[3] - p]
    return dx, dw, db
'''),
    dict(id="nb06-conv-backward-float32-im2col", challenge="conv2d_backward", expect="passes", code='''
def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = x.astype(np.float32), w.astype(np.float32), b.astype(np.float32)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    H_out, W_out = windows.shape[2:4]
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(N * H_out * W_out, C * kh * kw)
    out = cols @ w.reshape(F, -1).T + b
    out = out.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)
    return out, (cols, x.shape, w, stride, padding)


def conv2d_backward(dout, cache):
    cols, (N, C, H, W), w, stride, padding = cache
    F, _, kh, kw = w.shape
    H_out, W_out = dout.shape[2:]
    d = dout.astype(np.float32).transpose(0, 2, 3, 1).reshape(-1, F)
    dw = (d.T @ cols).reshape(w.shape)
    db = d.sum(axis=0)
    dcols = (d @ w.reshape(F, -1)).reshape(N, H_out, W_out, C, kh, kw)
    dxp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=np.float32)
    for i in range(H_out):
        for j in range(W_out):
            dxp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw] += dcols[:, i, j]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, db
'''),
    dict(id="nb06-conv-backward-full-convolution", challenge="conv2d_backward", expect="passes",
         code=CONV_FORWARD + '''
def conv2d_backward(dout, cache):
    """dx as a full convolution of the (dilated) dout with the flipped filters, channels and filters swapped."""
    x, w, b, stride, padding = cache
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            seen = xp[:, :, u:u + stride * (H_out - 1) + 1:stride, v:v + stride * (W_out - 1) + 1:stride]
            dw[:, :, u, v] = np.einsum("nfij,ncij->fc", dout, seen)
    dilated = np.zeros((N, F, stride * (H_out - 1) + 1, stride * (W_out - 1) + 1))
    dilated[:, :, ::stride, ::stride] = dout
    framed = np.pad(dilated, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    flipped = w[:, :, ::-1, ::-1]
    dxp = np.zeros(xp.shape)
    for i in range(framed.shape[2] - kh + 1):
        for j in range(framed.shape[3] - kw + 1):
            dxp[:, :, i, j] = np.einsum("nfuv,fcuv->nc", framed[:, :, i:i + kh, j:j + kw], flipped)
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, dout.sum(axis=(0, 2, 3))
'''),
    dict(id="nb06-conv-backward-padding-not-cropped", challenge="conv2d_backward", expect="fails",
         keywords=["padding rows and columns"],
         code=CONV_BACKWARD.replace("dx = dxp[:, :, padding:padding + H, padding:padding + W]", "dx = dxp")),
    dict(id="nb06-conv-backward-dx-assigned", challenge="conv2d_backward", expect="fails", keywords=["+="],
         code=CONV_BACKWARD.replace("dxp[:, :, hs:hs + kh, ws:ws + kw] +=", "dxp[:, :, hs:hs + kh, ws:ws + kw] =")),
    dict(id="nb06-conv-backward-no-stride", challenge="conv2d_backward", expect="fails", keywords=["i·stride"],
         code=CONV_BACKWARD.replace("hs, ws = i * stride, j * stride", "hs, ws = i, j")),
    dict(id="nb06-conv-backward-full-convolution-unflipped", challenge="conv2d_backward", expect="fails",
         keywords=["flip"], code=CONV_FORWARD + '''
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            seen = xp[:, :, u:u + stride * (H_out - 1) + 1:stride, v:v + stride * (W_out - 1) + 1:stride]
            dw[:, :, u, v] = np.einsum("nfij,ncij->fc", dout, seen)
    dilated = np.zeros((N, F, stride * (H_out - 1) + 1, stride * (W_out - 1) + 1))
    dilated[:, :, ::stride, ::stride] = dout
    framed = np.pad(dilated, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    dxp = np.zeros(xp.shape)
    for i in range(framed.shape[2] - kh + 1):
        for j in range(framed.shape[3] - kw + 1):
            dxp[:, :, i, j] = np.einsum("nfuv,fcuv->nc", framed[:, :, i:i + kh, j:j + kw], w)
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, dout.sum(axis=(0, 2, 3))
'''),
    dict(id="nb06-conv-backward-db-mean", challenge="conv2d_backward", expect="fails", keywords=["sum"],
         code=CONV_BACKWARD.replace("db = dout.sum(axis=(0, 2, 3))", "db = dout.mean(axis=(0, 2, 3))")),
    dict(id="nb06-conv-backward-db-keepdims", challenge="conv2d_backward", expect="fails",
         keywords=["(1, F, 1, 1)"],
         code=CONV_BACKWARD.replace("db = dout.sum(axis=(0, 2, 3))", "db = dout.sum(axis=(0, 2, 3), keepdims=True)")),
    dict(id="nb06-conv-backward-db-per-image", challenge="conv2d_backward", expect="fails",
         keywords=["one row per image"],
         code=CONV_BACKWARD.replace("db = dout.sum(axis=(0, 2, 3))", "db = dout.sum(axis=(2, 3))")),
    dict(id="nb06-conv-backward-dw-reset-per-image", challenge="conv2d_backward", expect="fails",
         keywords=["last image"], code=CONV_BACKWARD_SIX_LOOPS.replace(
             "    dw = np.zeros_like(w)\n    db = np.zeros_like(b)\n    for n in range(N):\n",
             "    db = np.zeros_like(b)\n    for n in range(N):\n        dw = np.zeros_like(w)\n")),
    dict(id="nb06-conv-backward-returns-dw-first", challenge="conv2d_backward", expect="fails",
         keywords=["(dx, dw, db)"], code=CONV_BACKWARD.replace("return dx, dw, db", "return dw, dx, db")),
    dict(id="nb06-conv-backward-batch-mean", challenge="conv2d_backward", expect="fails",
         keywords=["divided by the number of images"], code=CONV_BACKWARD.replace(
             "    db = dout.sum(axis=(0, 2, 3))\n    return dx, dw, db",
             "    N = x.shape[0]\n    db = dout.sum(axis=(0, 2, 3)) / N\n    return dx, dw / N, db")),
    dict(id="nb06-conv-backward-cache-unpacked-as-four", challenge="conv2d_backward", expect="fails",
         keywords=["unpack"], code=CONV_BACKWARD.replace(
             "x, w, b, stride, padding = cache", "x, w, b, conv_param = cache\n    stride, padding = conv_param")),
    dict(id="nb06-conv-backward-cache-without-stride", challenge="conv2d_backward", expect="fails",
         keywords=["stride 1 and no padding"], code=CONV_BACKWARD.replace(
             "return out, (x, w, b, stride, padding)", "return out, (x, w, b)").replace(
             "def conv2d_backward(dout, cache):\n    x, w, b, stride, padding = cache",
             "def conv2d_backward(dout, cache, stride=1, padding=0):\n    x, w, b = cache")),
    dict(id="nb06-conv-backward-forward-pads-every-axis", challenge="conv2d_backward", expect="fails",
         keywords=["conv2d_forward"], code=CONV_BACKWARD.replace(
             "    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))\n    H_out",
             "    xp = np.pad(x, padding)\n    H_out")),

    # ------------------------------------------------------------------------------------------ max_pool_backward
    dict(id="nb06-pool-backward-argmax-loops", challenge="max_pool_backward", expect="passes", code=POOL_BACKWARD),
    dict(id="nb06-pool-backward-window-start-as-index", challenge="max_pool_backward", expect="fails",
         keywords=["H_out"], code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    N, C, H, W = x.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(0, H - size + 1, stride):
                for j in range(0, W - size + 1, stride):
                    window = x[n, c, i:i + size, j:j + size]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i + r, j + s] += dout[n, c, i, j]
    return dx
'''),
    dict(id="nb06-pool-backward-argmax-in-cache", challenge="max_pool_backward", expect="passes", code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    argmax = np.zeros((N, C, H_out, W_out), dtype=int)
    for i in range(H_out):
        for j in range(W_out):
            flat = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].reshape(N, C, -1)
            argmax[:, :, i, j] = flat.argmax(axis=-1)
            out[:, :, i, j] = flat.max(axis=-1)
    return out, {"shape": x.shape, "argmax": argmax, "size": size, "stride": stride}


def max_pool_backward(dout, cache):
    size, stride = cache["size"], cache["stride"]
    dx = np.zeros(cache["shape"])
    N, C, H_out, W_out = dout.shape
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        for j in range(W_out):
            r, s = np.divmod(cache["argmax"][:, :, i, j], size)
            np.add.at(dx, (n, c, i * stride + r, j * stride + s), dout[:, :, i, j])
    return dx
'''),
    dict(id="nb06-pool-backward-first-max-mask", challenge="max_pool_backward", expect="passes", code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            is_max = window == window.max(axis=(2, 3), keepdims=True)
            first = np.cumsum(is_max.reshape(*is_max.shape[:2], -1), axis=2) == 1
            mask = is_max & first.reshape(is_max.shape)          # only the first maximum of each window
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += mask * dout[:, :, i, j, None, None]
    return dx
'''),
    dict(id="nb06-pool-backward-float32-windows", challenge="max_pool_backward", expect="passes", code='''
def max_pool_forward(x, size=2, stride=2):
    x = x.astype(np.float32)
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    flat = windows.reshape(*windows.shape[:4], size * size)
    return flat.max(axis=-1), (x.shape, flat.argmax(axis=-1), size, stride)


def max_pool_backward(dout, cache):
    shape, where, size, stride = cache
    dx = np.zeros(shape, dtype=np.float32)
    H_out, W_out = where.shape[2:]
    for u in range(size):
        for v in range(size):
            picked = np.where(where == u * size + v, dout, 0).astype(np.float32)
            dx[:, :, u:u + stride * (H_out - 1) + 1:stride, v:v + stride * (W_out - 1) + 1:stride] += picked
    return dx
'''),
    dict(id="nb06-pool-backward-every-tie", challenge="max_pool_backward", expect="fails",
         keywords=["counts twice", "one entry only"], code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            mask = window == np.max(window, axis=(2, 3), keepdims=True)
            share = mask * dout[:, :, i, j][:, :, None, None]
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += share
    return dx
'''),
    dict(id="nb06-pool-backward-last-tie", challenge="max_pool_backward", expect="fails", keywords=["first"],
         code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(*dout.shape):
        best, at = -np.inf, None
        for u in range(size):
            for v in range(size):
                if x[n, c, i * stride + u, j * stride + v] >= best:
                    best, at = x[n, c, i * stride + u, j * stride + v], (i * stride + u, j * stride + v)
        dx[n, c, at[0], at[1]] += dout[n, c, i, j]
    return dx
'''),
    dict(id="nb06-pool-backward-spread", challenge="max_pool_backward", expect="fails",
         keywords=["average pooling"], code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            share = dout[:, :, i, j] / (size * size)
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += share[:, :, None, None]
    return dx
'''),
    dict(id="nb06-pool-backward-assigned", challenge="max_pool_backward", expect="fails", keywords=["+="],
         code=POOL_BACKWARD.replace("dx[n, c, i * stride + r, j * stride + s] += dout[n, c, i, j]",
                                    "dx[n, c, i * stride + r, j * stride + s] = dout[n, c, i, j]")),
    dict(id="nb06-pool-backward-window-overwritten", challenge="max_pool_backward", expect="fails",
         keywords=["+="], code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(*dout.shape):
        window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
        mask = np.zeros_like(window)
        mask[np.unravel_index(np.argmax(window), window.shape)] = 1
        dx[n, c, i * stride:i * stride + size, j * stride:j * stride + size] = mask * dout[n, c, i, j]
    return dx
'''),
    dict(id="nb06-pool-backward-whole-window", challenge="max_pool_backward", expect="fails",
         keywords=["the others get 0"], code=POOL_FORWARD + '''
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += dout[:, :, i:i + 1, j:j + 1]
    return dx
'''),
    dict(id="nb06-pool-backward-cache-without-window", challenge="max_pool_backward", expect="fails",
         keywords=["size and stride"], code='''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out, x


def max_pool_backward(dout, cache, size=2, stride=2):
    x = cache
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(*dout.shape):
        window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
        r, s = np.unravel_index(np.argmax(window), window.shape)
        dx[n, c, i * stride + r, j * stride + s] += dout[n, c, i, j]
    return dx
'''),
    dict(id="nb06-pool-backward-windows-at-size", challenge="max_pool_backward", expect="fails", keywords=["stride"],
         code=POOL_BACKWARD.replace("window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]",
                                    "window = x[n, c, i * size:i * size + size, j * size:j * size + size]").replace(
             "dx[n, c, i * stride + r, j * stride + s]", "dx[n, c, i * size + r, j * size + s]")),
    dict(id="nb06-pool-backward-forward-reshape-raises", challenge="max_pool_backward", expect="fails",
         keywords=["max_pool_forward"], code=POOL_BACKWARD.replace(POOL_FORWARD, '''
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    blocks = x.reshape(N, C, H // size, size, W // size, size)
    return blocks.max(axis=(3, 5)), (x, size, stride)
''')),
]
