# %% momentum_update
v_new = beta * v + dw
return w - lr * v_new, v
