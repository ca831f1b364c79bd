"""Observe vanishing gradients: dy/dx of a single-node network with 1 to 4 layers, by the chain rule written out.

Slides "Practice) Observing Vanishing Gradients" (sigmoid and ReLU): with w = 1 and b = 0, an n-layer
network is y = f(f(...f(x))), and by the chain rule dy/dx = df(f(...f(x))) ... df(f(x)) df(x), the
products of derivatives that the slides code by hand in NumPy (the tests check them against autograd).
With the sigmoid every layer multiplies the gradient by at most 0.25, so it vanishes as layers are added;
with ReLU it stays 1 wherever x > 0. One figure each, saved in results/vanishing_grad/.
In a notebook, `x` and the ReLU's `f` and `df` stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 03_nn_iris/vanishing_grad.py --help`: only where the figures go)
import numpy as np  # noqa: I001 (imports in the order of the slide)
import matplotlib.pyplot as plt

args = common.make_parser('vanishing_grad', __doc__, out_dir=True).parse_args()

# %% Gradients of a single-node multi-layer NN with the sigmoid function (one cell: one figure)
f = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731 (lambdas as on the slide)
df = lambda x: f(x) * (1 - f(x))  # noqa: E731 (the derivative of the sigmoid: f (1 - f))

x = np.linspace(-10, 10, 1000)

fig = plt.figure()  # A new figure, saved below
plt.plot(x, df(x), label='1-layer')
plt.plot(x, df(f(x))*df(x), label='2-layer')
plt.plot(x, df(f(f(x)))*df(f(x))*df(x), label='3-layer')
plt.plot(x, df(f(f(f(x))))*df(f(f(x)))*df(f(x))*df(x), label='4-layer')
plt.axis((-10, 10, 0, 0.3))
plt.title('Gradients with the sigmoid function')
plt.grid()
plt.legend()
for line in plt.gca().lines:  # The largest dy/dx of each curve
    print(f'sigmoid {line.get_label()}: max dy/dx = {line.get_ydata().max():.4f}')
    # sigmoid 1-layer: 0.2500, 2-layer: 0.0590, 3-layer: 0.0134, 4-layer: 0.0030 (it vanishes)
plt.show()
common.save_figure(fig, args.out_dir, 'vanishing_grad_sigmoid', show=False)  # Saved as PNG too (prints its path)

# %% Gradients of a single-node multi-layer NN with the ReLU function (one cell: one figure)
f = lambda x: x * (x >= 0)  # noqa: E731
df = lambda x: x >= 0  # noqa: E731 (True or False, which count as 1 or 0)

x = np.linspace(-10, 10, 1000)

fig = plt.figure()
plt.plot(x, df(x), label='1-layer')
plt.plot(x, df(f(x))*df(x), label='2-layer')
plt.plot(x, df(f(f(x)))*df(f(x))*df(x), label='3-layer')
plt.plot(x, df(f(f(f(x))))*df(f(f(x)))*df(f(x))*df(x), label='4-layer')
plt.axis((-10, 10, 0, 1.2))  # The slide: 0.3, which hides the curves (1 wherever x > 0)
plt.title('Gradients with the ReLU function (the four curves are the same)')
plt.grid()
plt.legend()
for line in plt.gca().lines:
    print(f'relu {line.get_label()}: max dy/dx = {float(line.get_ydata().max()):.4f}')
    # relu 1-layer: 1.0000, and the same for 2, 3 and 4 layers (it does not vanish)
plt.show()
common.save_figure(fig, args.out_dir, 'vanishing_grad_relu', show=False)
