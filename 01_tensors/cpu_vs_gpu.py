"""Time `C = A.inverse() * B` of two random n-by-n matrices on a GPU or the CPU (or on every device in turn).

Slide "Practice) CPU vs. GPU-acceleration". As on the slide, `dev_name` is 'cuda' when there is one, else
'cpu'; the slide's "Try 'cpu'" is `--device cpu` (or `dev_name = 'cpu'` in a notebook), and `--device all`
times every device this machine has and prints each GPU's speed-up over the CPU (timed fairly: helpers/timing.py).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 01_tensors/cpu_vs_gpu.py --help`; a notebook runs with the values below)
import torch  # noqa: I001  (the order of the slide)
import time

common.add_to_path('01_tensors/helpers')
from timing import warm_up  # A memory check and one untimed run (helpers/timing.py)

dev_name = 'cuda' if torch.cuda.is_available() else 'cpu'  # Try 'cpu'
n = 5000


def device_or_all(text):
    """argparse type of --device: 'all' (every device this machine has) or one device, e.g. cpu."""
    return text if text == 'all' else common.device_type(text)


parser = common.make_parser('cpu_vs_gpu', __doc__, out_dir=True)
parser.add_argument('--device', type=device_or_all, default=dev_name,
                    help="device to time: cpu (the slide's \"Try 'cpu'\"), cuda, mps, auto or all (each in turn)")
parser.add_argument('--n', type=common.positive_int, default=n, help='size of the n-by-n matrices')
args = parser.parse_args()
devices = common.available_devices() if args.device == 'all' else [args.device]
n = args.n
print(f'Device: {", ".join(map(str, devices))} (n = {n})')   # Device: cuda (n = 5000)  (cpu without a GPU)
print(common.describe_machine())    # CPU: AMD EPYC (AVX2, no AMX), 2 threads, torch 2.x, GPU: NVIDIA ...

# %% Computing time (on each device in turn with --device all)
times = {}
for dev_name in devices:
    warm_up(dev_name, n)            # Ours: a GPU loads its kernels on its first call, which is not computing time
    A = torch.rand(n, n, device=dev_name)
    B = torch.rand(n, n, device=dev_name)
    common.synchronize(dev_name)    # Ours: a GPU runs asynchronously; wait until A and B are there
    start = time.time()
    C = A.inverse() * B             # Note) `*` multiplies elementwise; the inverse is the heavy part
    common.synchronize(dev_name)    # Ours: wait until the GPU has finished C, or the clock stops too early
    elapse = time.time() - start
    times[str(dev_name)] = elapse
    print(f'Computing time by {dev_name}: {elapse:.3f} [sec]')   # The slide: 1.4 [sec] on an Intel i7-7700HQ

# %% Speed-up over the CPU (--device all on a machine with a GPU)
for name, elapse in times.items():
    if name != 'cpu' and 'cpu' in times:
        print(f'Speed-up of {name} over cpu: {times["cpu"] / elapse:.1f}x')   # The slide: 4.7x (GTX 1060, i7-7700HQ)

# %% Keep the times with the machine they were measured on (results/cpu_vs_gpu/times.json)
path = common.save_json({'seconds': times, 'n': n, 'machine': common.describe_machine()}, args.out_dir / 'times.json')
print(f'Times saved: {path}')       # Times saved: .../results/cpu_vs_gpu/times.json
