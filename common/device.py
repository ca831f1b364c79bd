"""Pick the device to compute on (slides "Creating a Tensor (2/2)" and "CPU vs. GPU-acceleration")."""
import torch

from .errors import UserError


def get_device(name='auto'):
    """Return a `torch.device` for `name`: 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'.

    'auto' picks CUDA when it is available, then Apple's MPS, then the CPU.
    Asking for a device this machine does not have raises `UserError` with one clear line.
    """
    name = str(name).strip().lower()
    if name == 'auto':
        if torch.cuda.is_available():
            return torch.device('cuda')
        if torch.backends.mps.is_available():
            return torch.device('mps')
        return torch.device('cpu')
    try:
        device = torch.device(name)
    except RuntimeError:
        raise UserError(f"unknown device '{name}' (choose auto, cpu, cuda, cuda:N or mps)") from None
    if device.type == 'cuda':
        if not torch.cuda.is_available():
            raise UserError("device 'cuda' was asked for, but CUDA is not available on this machine "
                            "(use --device cpu or --device auto)")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise UserError(f"device '{name}' does not exist: this machine has "
                            f"{torch.cuda.device_count()} CUDA device(s)")
    elif device.type == 'mps':
        if not torch.backends.mps.is_available():
            raise UserError("device 'mps' was asked for, but Apple MPS is not available on this machine "
                            "(use --device cpu or --device auto)")
    elif device.type != 'cpu':
        raise UserError(f"unknown device '{name}' (choose auto, cpu, cuda, cuda:N or mps)")
    return device


def available_devices():
    """Every device this machine can compute on: cpu, then cuda and mps when they are available."""
    devices = [torch.device('cpu')]
    if torch.cuda.is_available():
        devices.append(torch.device('cuda'))
    if torch.backends.mps.is_available():
        devices.append(torch.device('mps'))
    return devices


def synchronize(device):
    """Wait until `device` has finished its work: a GPU runs asynchronously, so a timer alone stops too early."""
    device = torch.device(device)
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
    elif device.type == 'mps':
        torch.mps.synchronize()
