"""Notebook 06: convolution, pooling, conv2d_forward — realistic student answers (the notebook's own images
are float32, so float32 arithmetic is a fair choice here)."""

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
]
