"""Benchmark: training images per second of 04_cnn_mnist/further/cnn_mnist_ddp.py with 1 and with 2 processes.

Both runs train the same MyCNN for the same epochs with the same total batch size (each of 2 processes
takes half of every batch), launched by torchrun on this machine, and the test accuracy of each is
printed beside its speed: data parallelism should change the speed, not what the model learns. The
cores are shared fairly: 1 process uses every core's thread, each of 2 processes half of them.
On a 2-core AMD EPYC (AVX2, no AMX), one epoch: 1 process 1,854 images/s, 2 processes 1,555 (0.84x: on
one machine they share the same cores and add the gradient exchange), test accuracy 0.9884 and 0.9885.

    python benchmarks/ddp_scaling.py --data-dir ../shared/data             # 1 epoch on 60,000 images each
    python benchmarks/ddp_scaling.py --data-dir ../shared/data --epochs 2 --train-size 20000
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import common
from common import make_parser, positive_int

SCRIPT = common.REPO_ROOT / '04_cnn_mnist' / 'further' / 'cnn_mnist_ddp.py'
BATCH_SIZE = 128  # The total over all processes, as in cnn_mnist.py


def run_ddp(n_processes, threads, args, out_dir):
    """Run cnn_mnist_ddp.py under torchrun with `n_processes` processes; return its metrics.json."""
    command = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc-per-node', str(n_processes),
               str(SCRIPT), '--device', 'cpu', '--data-dir', str(args.data_dir), '--out-dir', str(out_dir),
               '--epochs', str(args.epochs), '--batch-size', str(args.batch_size), '--seed', str(args.seed)]
    if args.train_size:
        command += ['--train-size', str(args.train_size)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MPLBACKEND='Agg')
    if sys.platform == 'win32':  # torchrun without libuv, which PyTorch's Windows builds lack (cnn_mnist_ddp.py)
        env.setdefault('USE_LIBUV', '0')
    result = subprocess.run(command, env=env, capture_output=True, encoding='utf-8', errors='replace')
    if result.returncode != 0:
        raise common.UserError(f'{n_processes} process(es) failed: {result.stderr.strip().splitlines()[-1]}')
    return json.loads((out_dir / 'metrics.json').read_text(encoding='utf-8'))


def main():
    parser = make_parser('ddp_scaling', __doc__, seed=777, data_dir=True, epochs=1, batch_size=BATCH_SIZE)
    parser.add_argument('--train-size', type=positive_int, default=None, help='training images (default: all)')
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(common.describe_machine())  # CPU: AMD EPYC (AVX2, no AMX), 2 threads, torch ...
    print(f'cnn_mnist_ddp.py: {args.epochs} epoch(s), total batch size {args.batch_size}, '
          f'{args.train_size or "all"} training images, {cores} cores')
    print(f'{"processes":>9} {"threads each":>12} {"images/s":>9} {"test accuracy":>13} {"train s":>8}')
    results = {}
    with tempfile.TemporaryDirectory() as tmp_dir:
        for n_processes in (1, 2):
            threads = max(1, cores // n_processes)
            metrics = run_ddp(n_processes, threads, args, Path(tmp_dir) / str(n_processes))
            results[n_processes] = metrics
            print(f'{n_processes:>9} {threads:>12} {metrics["images_per_second"]:>9.0f} '
                  f'{metrics["accuracy"]:>13.4f} {metrics["train_seconds"]:>8.1f}')
    speed_up = results[2]['images_per_second'] / results[1]['images_per_second']
    print(f'2 processes vs 1: {speed_up:.2f}x the images per second; test accuracy '
          f'{results[2]["accuracy"]:.4f} vs {results[1]["accuracy"]:.4f}')
    return results


if __name__ == '__main__':
    main()
