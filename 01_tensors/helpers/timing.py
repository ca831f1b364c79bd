"""Timing a computation fairly on a CPU or a GPU (slide "Practice) CPU vs. GPU-acceleration").

The slide reads `time.time()` before and after `C = A.inverse() * B`. On a GPU that alone measures the
wrong thing: a GPU runs asynchronously (the clock would stop before it has finished), and its first
call loads libraries and kernels (which is not computing time). So `01_tensors/cpu_vs_gpu.py` calls
`warm_up(dev, n)` first: it checks that `dev` has the memory for the n-by-n matrices (else one clear
`UserError`), then computes once, untimed; and `common.synchronize(dev)` before each of the slide's `time.time()`.
A module of this section, beside its one script that uses it.
"""
import os

import torch

from common import UserError, synchronize

N_WARM_UP_CPU = 64  # A CPU needs only a small untimed run; a GPU runs the timed size (it picks its kernels by size)


def free_memory(device):
    """Return the bytes of memory free on `device`, or None where we cannot tell (e.g. Apple MPS, Windows)."""
    device = torch.device(device)
    if device.type == 'cuda':
        return torch.cuda.mem_get_info(device)[0]
    if device.type == 'cpu' and hasattr(os, 'sysconf') and 'SC_AVPHYS_PAGES' in os.sysconf_names:
        return os.sysconf('SC_AVPHYS_PAGES') * os.sysconf('SC_PAGE_SIZE')
    return None


def check_memory(device, n):
    """Raise `UserError` when `device` has too little free memory for `A.inverse() * B` of n-by-n matrices."""
    need, free = 5 * 4 * n**2, free_memory(device)  # A, B, A.inverse(), C and its workspace, float32 each
    if free is not None and need > free:
        raise UserError(f'n = {n} needs about {need / 2**30:.1f} GiB, but {device} has {free / 2**30:.1f} GiB '
                        'free (try a smaller n: --n, or N in a notebook)')


def warm_up(device, n):
    """Check the memory of `device` for n-by-n matrices, then compute `A.inverse() * A` once, untimed."""
    check_memory(device, n)
    size = min(n, N_WARM_UP_CPU) if torch.device(device).type == 'cpu' else n
    A = torch.rand(size, size, device=device)
    A = A.inverse() * A  # The timed computation, on a matrix of this size
    synchronize(device)
