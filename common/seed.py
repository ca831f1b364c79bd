"""Reproducible runs: the same seed gives the same numbers on the CPU (slide "My Style (3/5)", step 0)."""
import random

import numpy as np
import torch


def set_seed(seed):
    """Seed Python's `random`, NumPy and PyTorch (CPU and every GPU).

    Returns a `torch.Generator` seeded the same way; pass it to a DataLoader (`generator=`)
    so that its shuffling is reproducible too.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # Also seeds every CUDA device
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator
