"""Build the website's Play page: `build_play(site_dir, cnn_onnx, rnn_onnx)` writes a self-contained `site_dir/play/`.

The page (index.html, play.js, mnist_image.js, fetch_worker.js, play.css) runs the two exported models in the
browser with onnxruntime-web, which `npm ci` installs from the npm registry at the version that package-lock.json
pins (no CDN: the page requests nothing outside its folder). npm runs in a temporary copy of package.json and
package-lock.json, so the repository stays untouched (and may be read-only); the files of onnxruntime-web that the
page needs (ORT_FILES) are kept in a cache folder named by the lock file's hash (~/.cache/dl_tutorial_play/), so the
next build (the tests') copies them from there instead of running npm again.

    python docs/play/build_play.py SITE_DIR --cnn results/cnn_mnist/cnn_mnist.onnx \\
        --rnn results/rnn_name2lang/rnn_name2lang.onnx

Each model comes with the .json that the export wrote beside it (`cnn_mnist.onnx.json`: accuracy;
`rnn_name2lang.onnx.json`: letter_dict, target_names, accuracy). Serve the site as static files, e.g.
`python -m http.server -d SITE_DIR`, and open /play/.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PLAY_DIR = Path(__file__).resolve().parent
PAGE_FILES = ['index.html', 'play.js', 'mnist_image.js', 'fetch_worker.js', 'play.css']
ORT_DIST = 'node_modules/onnxruntime-web/dist'
# WebAssembly only; the source map that ort.wasm.min.mjs names (a browser's developer tools, and Lighthouse, ask for it)
ORT_FILES = ['ort.wasm.min.mjs', 'ort.wasm.min.mjs.map', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']
MODELS = {'cnn_mnist.onnx': ['accuracy'], 'rnn_name2lang.onnx': ['letter_dict', 'target_names', 'accuracy']}
NPM_CI = ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline']


class PlayBuildError(Exception):
    """The Play page cannot be built (no npm, npm failed, a model or its .json missing): said in one line."""


def npm_ci(folder):
    """Run `npm ci` in `folder` (holding package.json and package-lock.json); raise `PlayBuildError` if it fails."""
    npm = shutil.which('npm')
    if npm is None:
        raise PlayBuildError('npm is missing: install Node.js (e.g. apt-get install npm) to build the Play page')
    result = subprocess.run([npm, *NPM_CI], cwd=folder, capture_output=True, encoding='utf-8', errors='replace')
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise PlayBuildError(f'npm ci failed for the Play page: {lines[-1] if lines else result.returncode}')


def read_model_info(onnx_path, keys):
    """The .json written beside `onnx_path`, checked for `keys`."""
    info_path = Path(f'{onnx_path}.json')
    if not Path(onnx_path).is_file():
        raise PlayBuildError(f"model '{onnx_path}' does not exist: export it first (further/*_onnx.py)")
    if not info_path.is_file():
        raise PlayBuildError(f"'{info_path}' does not exist: the export writes it beside the model")
    info = json.loads(info_path.read_text(encoding='utf-8'))
    missing = [key for key in keys if key not in info]
    if missing:
        raise PlayBuildError(f"'{info_path}' lacks {', '.join(missing)}")
    return info


def copy_model(onnx_path, target):
    """Copy the model to `target` as one file: weights that the export kept beside it (`<name>.onnx.data`, as
    PyTorch's torch.export-based exporter writes them) are put inside, since the page fetches one file."""
    onnx_path = Path(onnx_path)
    if not Path(f'{onnx_path}.data').is_file():
        shutil.copyfile(onnx_path, target)
        return
    import onnx  # Only here: importing it takes seconds
    model = onnx.load(str(onnx_path))  # With its external data
    onnx.save_model(model, str(target), save_as_external_data=False)


def cache_folder():
    """Where the onnxruntime-web files (ORT_FILES) of this package-lock.json are kept between builds."""
    lock = hashlib.sha256((PLAY_DIR / 'package-lock.json').read_bytes() + ' '.join(ORT_FILES).encode()).hexdigest()[:16]
    root = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache')
    return root / 'dl_tutorial_play' / f'onnxruntime-web-{lock}'


def install_ort(target, cache=True):
    """Put onnxruntime-web's files (ORT_FILES) into `target`: `npm ci` with the pinned versions, or the cache of
    an earlier `npm ci` of the same package-lock.json."""
    cached = cache_folder()
    if cache and all((cached / name).is_file() for name in ORT_FILES):
        shutil.copytree(cached, target)
        return
    with tempfile.TemporaryDirectory(prefix='play_npm_') as npm_dir:
        for name in ('package.json', 'package-lock.json'):
            shutil.copy2(PLAY_DIR / name, Path(npm_dir) / name)
        npm_ci(npm_dir)
        target.mkdir(parents=True)
        for name in ORT_FILES:
            shutil.copy2(Path(npm_dir) / ORT_DIST / name, target / name)
    if cache:
        save_to_cache(target, cached)


def save_to_cache(folder, cached):
    """Copy ORT_FILES of `folder` to `cached`, whole or not at all: written aside, then renamed (a read-only home,
    or another build that was first: no cache, and the build goes on)."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix='partial_', dir=cached.parent))
    except OSError:
        return
    try:
        for name in ORT_FILES:
            shutil.copy2(folder / name, partial / name)
        partial.rename(cached)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def build_play(site_dir, cnn_onnx, rnn_onnx, cache=True):
    """Write the Play page with its models and onnxruntime-web into `site_dir/play/`; return that folder.

    `cache=False`: run `npm ci` even when the cache holds the files of this package-lock.json.
    """
    infos = {name: read_model_info(path, keys) for (name, keys), path in zip(MODELS.items(), (cnn_onnx, rnn_onnx))}
    out = Path(site_dir) / 'play'
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    install_ort(out / 'ort', cache)
    for name in PAGE_FILES:
        shutil.copy2(PLAY_DIR / name, out / name)
    for (name, info), path in zip(infos.items(), (cnn_onnx, rnn_onnx)):
        copy_model(path, out / name)
        (out / f'{name}.json').write_text(json.dumps(info, indent=1) + '\n', encoding='utf-8')
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('site_dir', metavar='SITE_DIR', help='the site folder; the page goes into SITE_DIR/play/')
    parser.add_argument('--cnn', required=True, help='cnn_mnist.onnx (its .json beside it)')
    parser.add_argument('--rnn', required=True, help='rnn_name2lang.onnx (its .json beside it)')
    parser.add_argument('--no-cache', action='store_true', help='run npm ci even when the cache has the files')
    args = parser.parse_args(argv)
    try:
        out = build_play(args.site_dir, args.cnn, args.rnn, cache=not args.no_cache)
    except PlayBuildError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(f'Play page built: {out / "index.html"} (serve it: python -m http.server -d {args.site_dir})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
