"""Time `A.inverse() * B` of two random n-by-n matrices on the CPU and on every GPU this machine has,
and print the speed-up.

Slide "Practice) CPU vs. GPU-acceleration" (on the slide's laptop: cpu 1.4 sec, cuda 0.3 sec). The slide
times one device, 'cuda' when there is one ("Try 'cpu'"); here every available device is timed in turn
unless --device names one. What timing a GPU fairly needs (a warm-up, waiting for its queue, a memory
check) is in common/timing.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports and options (`python 01_tensors/cpu_vs_gpu.py --help`; a notebook runs with the defaults)
import torch

from common.cli import device_type
from common.timing import now, warm_up  # Timing a GPU fairly (common/timing.py)

N = 5000                            # The slide's n: the size of the matrices
parser = common.make_parser('cpu_vs_gpu', __doc__, out_dir=True)
parser.add_argument('--device', type=device_type, help="the one device to time, e.g. cpu (the slide's \"Try 'cpu'\"); "
                    'default: every available one')
parser.add_argument('--n', type=common.positive_int, default=N, help='size of the n-by-n matrices')
args = parser.parse_args()
devices = common.available_devices() if args.device is None else [args.device]
print(f'Device: {", ".join(map(str, devices))} (n = {args.n})')   # Device: cpu, cuda (n = 5000)
print(common.describe_machine())    # CPU: AMD EPYC (AVX2, no AMX), 2 threads, torch 2.x, GPU: NVIDIA ...

# %% Computing time on each device
times = {}
for dev_name in devices:
    warm_up(dev_name, args.n)       # A memory check and one untimed run: a GPU's first call loads its kernels
    A = torch.rand(args.n, args.n, device=dev_name)
    B = torch.rand(args.n, args.n, device=dev_name)
    start = now(dev_name)           # The slide's time.time(), once the device has finished its queue
    C = A.inverse() * B             # Note) `*` multiplies elementwise; the inverse is the heavy part
    elapse = now(dev_name) - start
    times[str(dev_name)] = elapse
    print(f'Computing time by {dev_name}: {elapse:.3f} [sec]')   # The slide: 1.4 [sec] on an Intel i7-7700HQ

# %% Speed-up over the CPU
for dev_name, elapse in times.items():
    if dev_name != 'cpu' and 'cpu' in times:
        print(f'Speed-up of {dev_name} over cpu: {times["cpu"] / elapse:.1f}x')   # Slide: 4.7x, GTX 1060 vs i7-7700HQ

# %% Keep the times with the machine they were measured on (results/cpu_vs_gpu/times.json)
path = common.save_json({'seconds': times, 'n': args.n, 'machine': common.describe_machine()}, args.out_dir / 'times.json')
print(f'Times saved: {path}')
