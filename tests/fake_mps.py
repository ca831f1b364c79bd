"""A fake Apple MPS device for the tests: the scripts run here "on MPS" as a Mac's `--device auto` would pick it.

`FakeMPS` is a `TorchFunctionMode`: it sees every PyTorch call the script makes. A tensor sent to 'mps' (a
`device=` of a factory, `.to(...)`, a module's `.to(dev)`) is made on the CPU and marked as being on MPS; what an
operation makes from a marked tensor is marked too; `.cpu()` and `.to('cpu')` give an unmarked copy. As MPS does, a
marked tensor refuses float64 (`TypeError: Cannot convert a MPS Tensor to float64 dtype ...`) and NumPy
(`.numpy()` without `.cpu()`). `torch.backends.mps.is_available()` answers True while it is on.

What it cannot show (a Mac shows it): Apple's own kernels, so an operation MPS lacks, a result that differs there
or a NaN of its GRU (rnn_name2lang_further.py moves to the CPU for that); a tensor on MPS meeting one on the CPU in
one operation (gradients are made by autograd, out of its sight, so it cannot mark them); `torch.load` with
`map_location='mps'` (not a PyTorch function it sees: the load scripts are not run here); speed, memory,
`torch.mps`'s own functions, half-precision autocast.
"""
import functools
import weakref

import torch
from torch.overrides import TorchFunctionMode

MPS_FLOAT64 = ("Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support float64. "
               "Please use float32 instead.")
MPS_NUMPY = "can't convert mps:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."


def is_mps(device):
    """True when `device` (a str, a torch.device, anything else) names Apple's MPS."""
    return isinstance(device, (str, torch.device)) and torch.device(device).type == 'mps'


def is_cpu(device):
    return isinstance(device, (str, torch.device)) and torch.device(device).type == 'cpu'


def tensors_in(value):
    """Every tensor in `value`, a tensor or nested tuples, lists and dicts of them."""
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from tensors_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from tensors_in(item)


class FakeMPS(TorchFunctionMode):
    """`with FakeMPS(): ...`: tensors sent to 'mps' are CPU tensors that refuse float64 and NumPy, as MPS's do."""

    def __init__(self):
        super().__init__()
        self.on_mps = weakref.WeakValueDictionary()  # id(tensor) -> tensor, for the tensors "on MPS"
        self.moved = 0  # How many tensors were sent to MPS

    def __enter__(self):
        self.saved_is_available = torch.backends.mps.is_available
        # `__wrapped__` as the original has (torch._dynamo reads it at its import)
        torch.backends.mps.is_available = functools.wraps(self.saved_is_available)(lambda: True)
        return super().__enter__()

    def __exit__(self, *exc):
        torch.backends.mps.is_available = self.saved_is_available
        return super().__exit__(*exc)

    def marked(self, tensor):
        return self.on_mps.get(id(tensor)) is tensor

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        to_mps = leaving = False
        if 'device' in kwargs and is_mps(kwargs['device']):
            kwargs['device'], to_mps = 'cpu', True
        elif 'device' in kwargs and is_cpu(kwargs['device']):
            leaving = True
        if func is torch.Tensor.to:
            new_args = list(args)
            for k, arg in enumerate(args[1:], start=1):
                if is_mps(arg):
                    new_args[k], to_mps = 'cpu', True
                elif is_cpu(arg):
                    leaving = True
                elif isinstance(arg, torch.Tensor):  # .to(other): other's device
                    to_mps, leaving = self.marked(arg), not self.marked(arg)
            args = tuple(new_args)
        leaving = leaving or func is torch.Tensor.cpu
        on_mps = any(self.marked(tensor) for tensor in tensors_in((args, kwargs)))
        if func is torch.Tensor.numpy and on_mps:
            raise TypeError(MPS_NUMPY)
        result = func(*args, **kwargs)
        if leaving and isinstance(result, torch.Tensor) and self.marked(result):  # The CPU's copy, as MPS gives one
            return result.clone()
        if (to_mps or on_mps) and not leaving:
            for tensor in tensors_in(result):
                if tensor.dtype == torch.float64:
                    raise TypeError(MPS_FLOAT64)
                self.moved += to_mps and not self.marked(tensor)
                self.on_mps[id(tensor)] = tensor
        return result
