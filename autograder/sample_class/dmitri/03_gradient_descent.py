# %% one_step_gd
new_w = [w_l + lr * g for w_l, g in zip(w, w_pds)]
new_b = [b_l + lr * g for b_l, g in zip(b, b_pds)]
return new_w, new_b
