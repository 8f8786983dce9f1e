# %% max_pool_backward
x, size, stride = cache
dx = np.zeros(x.shape)
N, C, H_out, W_out = dout.shape
for n in range(N):
    for c in range(C):
        for i in range(H_out):
            for j in range(W_out):
                window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                u, v = np.unravel_index(np.argmax(window), window.shape)
                dx[n, c, i * stride + u, j * stride + v] = dout[n, c, i, j]
return dx
