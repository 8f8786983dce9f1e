# %% conv2d_forward
x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
F, C, kh, kw = w.shape
out = np.zeros((x.shape[0], F, (xp.shape[2] - kh) // stride + 1, (xp.shape[3] - kw) // stride + 1))
for i in range(out.shape[2]):
    for j in range(out.shape[3]):
        window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
        out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
return out, None
