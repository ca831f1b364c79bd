"""What machine a number was measured on: every benchmark and metrics file says it (CPU, AMX, threads, GPU)."""
import platform
from pathlib import Path

import torch


def cpu_flags():
    """The CPU's feature flags (Linux reads them from /proc/cpuinfo; elsewhere an empty set)."""
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('flags'):
                return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_name():
    """The CPU's model name, e.g. 'AMD EPYC' or 'Intel(R) Xeon(R) Platinum 8480+'."""
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def has_amx():
    """True when the CPU has Intel AMX, which computes bfloat16 matrix products in hardware."""
    return 'amx_bf16' in cpu_flags()


def describe_machine():
    """One line: the CPU, its vector units, whether it has AMX, PyTorch's threads, and the GPU if any."""
    flags = cpu_flags()
    vector = 'AVX-512' if 'avx512f' in flags else 'AVX2' if 'avx2' in flags else 'no AVX2'
    text = (f'CPU: {cpu_name()} ({vector}, {"with" if has_amx() else "no"} AMX), '
            f'{torch.get_num_threads()} thread{"s" if torch.get_num_threads() > 1 else ""}, torch {torch.__version__}')
    if torch.cuda.is_available():
        text += f', GPU: {torch.cuda.get_device_name(0)}'
    return text
