"""Forward / backward pairs: activations, losses, convolution, pooling, the LSTM and dropout.

The pairs that are challenges (the sigmoid, softmax, the cross-entropy, the convolution's forward pass, the
LSTM cell …) are written with their notebook's answers in ``nnlab.answers``; these modules import them.
"""
