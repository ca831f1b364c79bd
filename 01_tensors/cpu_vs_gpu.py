"""CPU vs. GPU-acceleration: time `A.inverse() * B` of two random n-by-n matrices on every device there is.

Slide "Practice) CPU vs. GPU-acceleration" (on the slide's laptop: cpu 1.4 sec, cuda 0.3 sec).
Without --device, every available device is timed (cpu, then cuda and mps when present) and the
speed-up over the CPU is printed; `--device cpu` (the slide's "Try 'cpu'") times only that one.
"""
# %% Imports
import os
import time

import torch

from common import UserError, make_parser, positive_int, run, set_seed

N = 5000        # The matrix size n
N_WARM_UP = 64  # The size of the untimed run that starts up the CPU first


# %% Devices and timing
def available_devices():
    """Return every device this machine can compute on: cpu, then cuda and mps when available."""
    devices = [torch.device('cpu')]
    if torch.cuda.is_available():
        devices.append(torch.device('cuda'))
    if torch.backends.mps.is_available():
        devices.append(torch.device('mps'))
    return devices


def synchronize(dev):
    """Wait until `dev` has finished its work: GPUs run asynchronously, so a timer alone would stop too early."""
    if dev.type == 'cuda':
        torch.cuda.synchronize(dev)
    elif dev.type == 'mps':
        torch.mps.synchronize()


def free_memory(dev):
    """Return the bytes of memory free on `dev`, or None where we cannot tell."""
    if dev.type == 'cuda':
        return torch.cuda.mem_get_info(dev)[0]
    if dev.type == 'cpu' and hasattr(os, 'sysconf') and 'SC_AVPHYS_PAGES' in os.sysconf_names:
        return os.sysconf('SC_AVPHYS_PAGES') * os.sysconf('SC_PAGE_SIZE')
    return None


def compute_time(dev, n):
    """Return the seconds that `A.inverse() * B` of random n-by-n matrices takes on `dev`."""
    # Warm up: the first call on a GPU loads its libraries and kernels, which is not computing time.
    # A GPU may pick its algorithm by the size, so it warms up with the same size; the CPU needs little.
    n_warm_up = min(n, N_WARM_UP) if dev.type == 'cpu' else n
    warm_up = torch.rand(n_warm_up, n_warm_up, device=dev)
    warm_up = warm_up.inverse() * warm_up
    del warm_up

    A = torch.rand(n, n, device=dev)
    B = torch.rand(n, n, device=dev)
    synchronize(dev)
    start = time.perf_counter()         # The slide's time.time(), with the best resolution
    C = A.inverse() * B                 # Note) `*` multiplies elementwise; the inverse is the heavy part
    synchronize(dev)
    elapse = time.perf_counter() - start
    del C
    return elapse


# %% Timing on each device
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.set_defaults(device=None)    # None: time every available device
    parser.epilog = 'Without --device, every available device is timed.'
    parser.add_argument('--n', type=positive_int, default=N, help='size of the n-by-n matrices')
    args = parser.parse_args(argv)
    set_seed(args.seed)

    devices = available_devices() if args.device is None else [args.device]
    print(f'Devices: {", ".join(str(dev) for dev in devices)} (n = {args.n})')
    times = {}
    for dev in devices:
        # Check the memory first: A, B, A.inverse(), C and the inverse's workspace, float32 each
        need, free = 5 * 4 * args.n**2, free_memory(dev)
        if free is not None and need > free:
            raise UserError(f'--n {args.n} needs about {need / 2**30:.1f} GiB, but {dev} has '
                            f'{free / 2**30:.1f} GiB free (try a smaller --n)')
        elapse = compute_time(dev, args.n)
        times[dev] = elapse
        print(f'Computing time by {dev}: {elapse:.3f} [sec]')  # Computing time by cpu: 1.234 [sec]

    cpu = torch.device('cpu')
    for dev, elapse in times.items():
        if dev != cpu and cpu in times:
            print(f'Speed-up of {dev} over cpu: {times[cpu] / max(elapse, 1e-9):.1f}x')


# %% Run
if __name__ == '__main__':
    run(main)
