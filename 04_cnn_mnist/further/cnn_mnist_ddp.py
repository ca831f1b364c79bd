r"""Data-parallel training of the MNIST CNN: DistributedDataParallel (DDP) on N processes, launched with torchrun.

The slides list data parallelism among PyTorch's strengths; this is the training of the lesson
`cnn_mnist.py` (its MyCNN, SGD and StepLR with its constants), spread over N processes:

    torchrun --nproc_per_node 2 04_cnn_mnist/further/cnn_mnist_ddp.py --epochs 2           # 2 processes, this machine

Two machines (or more, with --nnodes): the same command on each, meeting at machine A's address:

    torchrun --nnodes 2 --nproc-per-node 2 --rdzv-backend c10d --rdzv-endpoint <A's address>:29500 \
             --rdzv-id mnist 04_cnn_mnist/further/cnn_mnist_ddp.py --epochs 2

(c10d numbers the machines itself; with `--rdzv-backend static` give each its `--node-rank 0` / `1`.)
Both machines need the repository and the data; rank 0 saves the model where it runs.

Each process trains on its own share of every epoch (DistributedSampler) and DDP averages the
gradients, so all copies of the model stay identical. --batch-size is the total over all
processes, as in cnn_mnist.py. Backend: gloo on CPU, nccl on CUDA (one GPU per process).
Only rank 0 logs, evaluates and saves. Run with python, it trains in one process; a notebook has
only one process, so there it prints how to launch it and stops.

Windows: PyTorch's builds for Windows have no libuv, which torchrun asks for (`use_libuv was requested but PyTorch
was build without libuv support`); set USE_LIBUV=0 first (PowerShell: `$env:USE_LIBUV = "0"`; cmd: `set USE_LIBUV=0`).
Run with python, this script sets it itself.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import BatchSampler, DataLoader, DistributedSampler, TensorDataset

from common import (
    UserError,
    evaluate,
    load_mnist,
    non_negative_float,
    positive_int,
    save_checkpoint,
    set_seed,
    tensor_loader,
    train,
)

common.add_to_path('04_cnn_mnist')  # The lesson one folder up, from any folder (VS Code, Colab)
from cnn_mnist import DATA_LOADER_PARAM, EPOCH_MAX, OPTIMIZER_PARAM, RANDOM_SEED, SAVE_MODEL, SCHEDULER_PARAM, MyCNN

EVAL_BATCH_SIZE = 1000  # Testing needs no gradients: larger batches are fine

LAUNCH = 'torchrun --nproc_per_node 2 04_cnn_mnist/further/cnn_mnist_ddp.py'  # From the repository's root
WINDOWS_LAUNCH = ' (on Windows after `set USE_LIBUV=0`; PowerShell: `$env:USE_LIBUV = "0"`)'  # torchrun without libuv


# %% Functions
def setup_process_group(device):
    """Join the process group torchrun set up (or a group of one); return (rank, world size, device)."""
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')  # Without torchrun: a group of one process
    os.environ.setdefault('MASTER_PORT', '29512')
    os.environ.setdefault('RANK', '0')
    os.environ.setdefault('WORLD_SIZE', '1')
    os.environ.setdefault('LOCAL_RANK', '0')
    if sys.platform == 'win32':  # PyTorch's Windows builds lack libuv, the default of its TCPStore (pytorch#139990)
        os.environ.setdefault('USE_LIBUV', '0')
    local_rank = int(os.environ['LOCAL_RANK'])
    if device.type == 'cuda':
        device = torch.device('cuda', local_rank)  # One GPU per process
        torch.cuda.set_device(device)
        backend = 'nccl'
    else:
        if device.type != 'cpu':
            print(f'DDP runs on CUDA or the CPU, not on {device}: using the CPU')
        device = torch.device('cpu')
        backend = 'gloo'
    dist.init_process_group(backend)
    return dist.get_rank(), dist.get_world_size(), device


def distributed_loader(x, y, batch_size, seed):
    """Batches of this process's share of (x, y), each taken with one index like `tensor_loader`.

    DistributedSampler gives every process a different 1/world_size of the shuffled indices.
    """
    sampler = DistributedSampler(TensorDataset(x, y), shuffle=True, seed=seed)
    batches = BatchSampler(sampler, batch_size, drop_last=False)
    return DataLoader(TensorDataset(x, y), sampler=batches, batch_size=None), sampler


def load_tensors(data_dir, train_size):
    """MNIST as float tensors in [0, 1]: (x_train, y_train, x_valid, y_valid), as in step 1 of cnn_mnist.py."""
    data_train, data_valid = load_mnist(data_dir, train=True), load_mnist(data_dir, train=False)
    return (data_train.data[:train_size, None] / 255., data_train.targets[:train_size],
            data_valid.data[:, None] / 255., data_valid.targets)


def make_parser():
    """The options of this script; the defaults are the constants of cnn_mnist.py."""
    parser = common.make_parser('cnn_mnist_ddp', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                                data_dir=True, epochs=EPOCH_MAX, batch_size=DATA_LOADER_PARAM['batch_size'],
                                lr=OPTIMIZER_PARAM['lr'])
    parser.add_argument('--momentum', type=non_negative_float, default=OPTIMIZER_PARAM['momentum'],
                        help='momentum of SGD')
    parser.add_argument('--train-size', type=positive_int, help='train on the first N images only (quick runs)')
    return parser


# %% The training of cnn_mnist.py, in every process
def main():
    args = make_parser().parse_args()

    # 0. Preparation
    rank, world_size, dev = setup_process_group(args.device)
    try:
        set_seed(args.seed)  # The same seed everywhere: every process starts with the same weights
        per_process_batch = max(1, args.batch_size // world_size)
        if rank == 0:
            print(f'Device: {dev}')
            print(f'DDP: {world_size} process(es), backend {dist.get_backend()}, device {dev}, '
                  f'batch {per_process_batch} per process')

        # 1. Load the MNIST dataset (rank 0 first: only it downloads missing files)
        if rank == 0:
            tensors = load_tensors(args.data_dir, args.train_size)
        dist.barrier()
        if rank != 0:
            tensors = load_tensors(args.data_dir, args.train_size)
        x_train, y_train, x_valid, y_valid = tensors
        loader_train, sampler = distributed_loader(x_train, y_train, per_process_batch, args.seed)
        loader_valid = tensor_loader(x_valid, y_valid, batch_size=EVAL_BATCH_SIZE)

        # 2. Instantiate a model, loss function, and optimizer
        model = MyCNN().to(dev)
        ddp_model = DistributedDataParallel(model)  # Averages the gradients of all processes in backward()
        loss_func = F.cross_entropy
        optimizer = torch.optim.SGD(ddp_model.parameters(), lr=args.lr, momentum=args.momentum)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, **SCHEDULER_PARAM)

        # 3.1. Train the model
        start = time.time()
        loss_list = []
        for epoch in range(1, args.epochs + 1):
            sampler.set_epoch(epoch)  # A different shuffle in every epoch, the same in every process
            train_loss = train(ddp_model, loader_train, loss_func, optimizer, progress=rank == 0)
            scheduler.step()
            # The mean training loss over all processes
            loss_sum = torch.tensor([train_loss * len(sampler), len(sampler)], dtype=torch.float64, device=dev)
            dist.all_reduce(loss_sum)
            train_loss = (loss_sum[0] / loss_sum[1]).item()
            if rank == 0:  # Only rank 0 evaluates and logs; the model is the same in every process
                valid_loss, valid_accuracy = evaluate(model, loader_valid, loss_func)
                loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
                elapse = (time.time() - start) / 60
                print(f'{epoch:>6} ({elapse:>6.2f} min), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                      f'VaAcc={valid_accuracy:.3f}, lr=[{optimizer.param_groups[0]["lr"]:.3g}]')
        train_seconds = time.time() - start  # With rank 0's evaluations

        # 3.2. Save the trained model (rank 0 only), loadable by cnn_mnist_load.py
        if rank == 0:
            path = save_checkpoint(model.state_dict(), args.out_dir / SAVE_MODEL)  # A plain state_dict
            print(f'Model saved: {path}')
            path = common.save_json({
                'accuracy': loss_list[-1][3], 'test_loss': loss_list[-1][2], 'epochs': args.epochs,
                'train_seconds': round(train_seconds, 2),
                'images_per_second': round(len(y_train) * args.epochs / train_seconds, 1),
                'batch_size': args.batch_size, 'lr': args.lr, 'momentum': args.momentum, 'seed': args.seed,
                'train_size': len(y_train), 'device': str(dev), 'world_size': world_size,
                'machine': common.describe_machine(), 'loss_history': loss_list}, args.out_dir / 'metrics.json')
            print(f'Metrics saved: {path}')
        dist.barrier()  # Nobody leaves before rank 0 has saved
    except RuntimeError as error:
        if 'Connection' in str(error) or 'timed out' in str(error):
            raise UserError(f'another process of the group failed ({str(error).splitlines()[0]})') from None
        raise
    finally:
        dist.destroy_process_group()


# %% Run it: torchrun starts the processes (a notebook has only one: there it says how to launch it)
if __name__ == '__main__':
    if common.in_notebook():
        print(f'DDP needs several processes, which a notebook cannot start: run `{LAUNCH}` in a terminal'
              + (WINDOWS_LAUNCH if sys.platform == 'win32' else ''))
    else:
        main()
