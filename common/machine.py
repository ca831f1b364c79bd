"""What machine a number was measured on: every benchmark and metrics file says it (CPU, AMX, threads, GPU).

PyTorch is imported where it is used: `check_env.py` names the platform (`apple_silicon`) without it.
"""
import platform
import subprocess
import sys
from pathlib import Path

# What PyTorch's CPU kernels use (`torch.backends.cpu.get_cpu_capability()`), where the CPU's flags are not known
TORCH_CAPABILITY = {'AVX512': 'AVX-512', 'AVX2': 'AVX2', 'DEFAULT': 'no AVX2'}


def cpu_flags():
    """The CPU's feature flags (Linux reads them from /proc/cpuinfo; elsewhere an empty set)."""
    if platform.system() != 'Linux':
        return set()
    try:
        for line in Path('/proc/cpuinfo').read_text(encoding='utf-8', errors='replace').splitlines():
            if line.startswith('flags'):
                return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def sysctl(name):
    """macOS's `sysctl -n NAME` (e.g. 'machdep.cpu.brand_string': 'Apple M2'), or '' where it cannot be read."""
    try:
        return subprocess.run(['sysctl', '-n', name], capture_output=True, encoding='utf-8', errors='replace',
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ''


def apple_silicon():
    """True on a Mac with Apple Silicon (M1, M2, ...), also where this Python is an Intel build run by Rosetta."""
    return platform.system() == 'Darwin' and (platform.machine() == 'arm64' or sysctl('sysctl.proc_translated') == '1')


def windows_cpu_name():
    """The CPU's name as Windows' registry has it (e.g. '11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz'), or ''."""
    try:
        import winreg  # Windows only
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r'HARDWARE\DESCRIPTION\System\CentralProcessor\0') as key:
            return str(winreg.QueryValueEx(key, 'ProcessorNameString')[0]).strip()
    except (ImportError, OSError):
        return ''


def cpu_name():
    """The CPU's model name, e.g. 'AMD EPYC', 'Intel(R) Xeon(R) Platinum 8480+' or 'Apple M2'."""
    system = platform.system()
    if system == 'Linux':
        try:
            for line in Path('/proc/cpuinfo').read_text(encoding='utf-8', errors='replace').splitlines():
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
        except OSError:
            pass
    name = sysctl('machdep.cpu.brand_string') if system == 'Darwin' else \
        windows_cpu_name() if sys.platform == 'win32' else ''
    return name or platform.processor() or platform.machine()


def has_amx():
    """True when the CPU has Intel AMX, which computes bfloat16 matrix products in hardware."""
    return 'amx_bf16' in cpu_flags()


def vector_units():
    """The CPU's vector units in words: 'AVX-512, with AMX', 'AVX2, no AMX', 'Apple Silicon, Arm NEON', ..."""
    flags = cpu_flags()
    if apple_silicon():
        return 'Apple Silicon, Arm NEON'
    if flags:  # Linux
        vector = 'AVX-512' if 'avx512f' in flags else 'AVX2' if 'avx2' in flags else 'no AVX2'
        return f'{vector}, {"with" if has_amx() else "no"} AMX'
    import torch
    capability = torch.backends.cpu.get_cpu_capability()  # Windows, an Intel Mac: what PyTorch's kernels use
    return f'{TORCH_CAPABILITY.get(capability, capability)}, AMX not known'


def describe_machine():
    """One line: the CPU, its vector units, whether it has AMX, PyTorch's threads, and the GPU if any."""
    import torch
    threads = torch.get_num_threads()
    text = (f'CPU: {cpu_name()} ({vector_units()}), {threads} thread{"s" if threads > 1 else ""}, '
            f'torch {torch.__version__}')
    if torch.cuda.is_available():
        text += f', GPU: {torch.cuda.get_device_name(0)}'
    elif torch.backends.mps.is_available():
        text += ', GPU: Apple MPS'
    return text
