# %% convolution
image = np.pad(np.asarray(image, dtype=float), padding)
kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
kh, kw = kernel.shape
out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
for i in range(out.shape[0]):
    for j in range(out.shape[1]):
        out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
return out


# %% conv2d_backward
x, w, b, stride, padding = cache
xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
F, C, kh, kw = w.shape
flipped = w[:, :, ::-1, ::-1]
dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
for i in range(dout.shape[2]):
    for j in range(dout.shape[3]):
        rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
        dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=([0], [0]))
        dxp[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], flipped, axes=([1], [0]))
return dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]], dw, dout.sum(axis=(0, 2, 3))
