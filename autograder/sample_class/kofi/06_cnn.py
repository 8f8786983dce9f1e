# %% conv2d_backward
x, w, b, stride, padding = cache
xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
F, C, kh, kw = w.shape
dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
for i in range(dout.shape[2]):
    for j in range(dout.shape[3]):
        rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
        dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=([0], [0]))
        dxp[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
return dxp, dw, dout.sum(axis=(0, 2, 3))
