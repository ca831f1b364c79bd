"""`train` and `evaluate` of slide "Iris Flower Classification - My Style (2/5)",
shared by 03_nn_iris, 04_cnn_mnist and 05_rnn_name2lang.

Differences from the slide, on purpose:
- Losses are true per-sample means (`loss * batch size`, summed, divided by the number of
  samples). The slide divides the batch-mean loss by the number of samples once more, which is
  why its log shows values like 0.0097 instead of about 0.49.
"""
import torch
from torch.utils.data import DataLoader, Sampler, TensorDataset
from tqdm import tqdm


def _batches(batch_data, progress, desc):
    """Wrap `batch_data` in a tqdm progress bar when asked (shown only on a terminal)."""
    if not progress:
        return batch_data
    return tqdm(batch_data, desc=desc, leave=False, disable=None)


def train(model, batch_data, loss_func, optimizer, scheduler=None, progress=False):
    """Train `model` for one epoch over `batch_data`; return the mean training loss per sample.

    `scheduler`: a learning-rate schedule that changes every batch (e.g. OneCycleLR), stepped after
    every `optimizer.step()`. A schedule per epoch (the slide's StepLR) is stepped by the epoch loop.
    """
    model.train()  # Notify layers (e.g. Dropout, BatchNorm) that it's now training
    dev = next(model.parameters()).device
    train_loss, n_data = 0., 0
    for x, y in _batches(batch_data, progress, 'train'):
        x, y = x.to(dev), y.to(dev)
        optimizer.zero_grad()
        output = model(x)
        loss = loss_func(output, y)  # The mean over this batch
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()

        train_loss += loss.item() * len(y)
        n_data += len(y)
    return train_loss / n_data


def evaluate(model, batch_data, loss_func, progress=False):
    """Evaluate `model` over `batch_data`; return (mean loss per sample, accuracy)."""
    model.eval()  # Notify layers (e.g. Dropout, BatchNorm) that it's now testing
    dev = next(model.parameters()).device
    test_loss, n_correct, n_data = 0., 0, 0
    with torch.no_grad():  # No gradients are needed for testing: faster and less memory
        for x, y in _batches(batch_data, progress, 'evaluate'):
            x, y = x.to(dev), y.to(dev)
            output = model(x)
            loss = loss_func(output, y)
            y_pred = torch.argmax(output, dim=1)

            test_loss += loss.item() * len(y)
            n_correct += (y == y_pred).sum().item()
            n_data += len(y)
    return test_loss / n_data, n_correct / n_data


class IndexBatches(Sampler):
    """The indices of each mini-batch as one tensor: a new random order every epoch when `shuffle`."""

    def __init__(self, n_data, batch_size, shuffle=False, generator=None):
        super().__init__()
        self.n_data, self.batch_size, self.shuffle, self.generator = n_data, batch_size, shuffle, generator

    def __iter__(self):
        order = torch.randperm(self.n_data, generator=self.generator) if self.shuffle else torch.arange(self.n_data)
        return iter(order.split(self.batch_size))

    def __len__(self):
        return (self.n_data + self.batch_size - 1) // self.batch_size


def tensor_loader(*tensors, batch_size, shuffle=False, generator=None):
    """A DataLoader over tensors already in memory that takes each mini-batch with one index.

    `DataLoader(TensorDataset(x, y), batch_size=50)` fetches 50 samples one by one and stacks
    them again (collation) for every batch. Here the sampler hands the dataset a whole tensor of
    indices, `TensorDataset` answers with `x[indices], y[indices]` in one operation, and
    `batch_size=None` turns collation off. Same kind of batches, far less overhead.
    """
    dataset = TensorDataset(*tensors)
    return DataLoader(dataset, sampler=IndexBatches(len(dataset), batch_size, shuffle, generator), batch_size=None)
