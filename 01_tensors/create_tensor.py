"""Create a tensor from NumPy data, with initializers and as a view of NumPy data, then access its elements
and move it to a GPU and back.

Slides "Practice) Creating a Tensor (1/2)" and "(2/2)". Each step is a cell: in a notebook, run them
one by one and look at x, y, p, q and z. Step 5 needs a GPU (`--device auto` picks one when there is one).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 01_tensors/create_tensor.py --help`; a notebook runs with the defaults)
import numpy as np
import torch

RANDOM_SEED = 777
args = common.make_parser('create_tensor', __doc__, device='auto', seed=RANDOM_SEED).parse_args()
torch.manual_seed(args.seed)        # For torch.rand() in step 2
print(f'Device: {args.device}')     # Device: cpu  (cuda with a GPU: step 5 runs there)

# %% 1. Create a tensor from a composite data
x = np.array([[3, 29, 82], [10, 18, 84]])
y = torch.tensor(x)                 # A copy of x
print(y.ndim, y.dim())              # 2 2                   Note) x.ndim
print(y.nelement())                 # 6                     Note) x.size
print(y.shape, y.size())            # torch.Size([2, 3]) torch.Size([2, 3])   Note) x.shape
print(y.dtype)                      # torch.int64           Note) x.dtype
# (The slide's torch.int32 comes from Windows, where NumPy before 2.0 made integers 32-bit.)

# %% 2. Create a tensor using initializers
p = torch.rand(3, 2)                # Try zeros, ones, eye, empty, arange, linspace,  (the slide: eyes)
q = torch.zeros_like(p)             # and their ..._like
print(p.dtype)                      # torch.float32
print(q.shape)                      # torch.Size([3, 2])

# %% 3. Interpret as a tensor (generating only a view)
z = torch.as_tensor(x)              # Or torch.from_numpy(x)  Note) np.asarray()
x[-1, -1] = 86                      # Changes z too: z shares the memory of x
print(z[-1])                        # tensor([10, 18, 86])  (Windows, NumPy < 2: ..., dtype=torch.int32)

# %% 4. Access elements
print(y[:, 1])                      # tensor([29, 18])
print(y[0, 0])                      # tensor(3)
print(y[0, 0].item())               # 3                     Note) x[0,0] == 3

# %% 5. CUDA tensors (on the GPU that --device picks: cuda, or mps on a Mac; --device cpu skips this step)
if args.device.type != 'cpu':       # The slide: if torch.cuda.is_available():
    print(y.device)                 # cpu
    y_cuda = y.to(args.device)      # Or y.cuda()  (the slide: y.cuda(), a CUDA GPU only)
    print(y_cuda.device)            # cuda:0   (mps:0 on a Mac)
    y_cpu = y_cuda.cpu()            # Or y_cuda.to('cpu')
    print(y_cpu.device)             # cpu

    x_cpu = y_cpu.numpy()           # Or np.array(y_cpu)  (the slide has these lines after the if, without a GPU too)
    print(x_cpu[0])                 # [ 3 29 82]
    try:
        x_cuda = y_cuda.numpy()     # Error!  NumPy reads only CPU memory
    except TypeError as error:
        print('Error!', error)      # Error! can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() ...
else:
    print(f'Step 5 (CUDA tensors) skipped: the device is {args.device} (a GPU runs it: --device cuda)')
