# %% in place of: w, b, errors = GD(X, y, w0, b0, epoch=1000, lr=2.0, callback=live)
errors = [1.0]
while errors[-1] > 0:   # train until perfect
    w, b, errors = GD(X, y, w0, b0, epoch=5, lr=2.0)
