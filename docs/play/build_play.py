"""Build the website's Play page: `build_play(site_dir, cnn_onnx, rnn_onnx)` writes a self-contained `site_dir/play/`.

The page (index.html, play.js, mnist_image.js, play.css) runs the two exported models in the browser with
onnxruntime-web, which `npm ci` installs from the npm registry at the version that package-lock.json pins (no
CDN: the page requests nothing outside its folder). npm runs in a temporary copy of package.json and
package-lock.json, so the repository stays untouched (and may be read-only).

    python docs/play/build_play.py SITE_DIR --cnn results/cnn_mnist/cnn_mnist.onnx \\
        --rnn results/rnn_name2lang/rnn_name2lang.onnx

Each model comes with the .json that the export wrote beside it (`cnn_mnist.onnx.json`: accuracy;
`rnn_name2lang.onnx.json`: letter_dict, target_names, accuracy). Serve the site as static files, e.g.
`python -m http.server -d SITE_DIR`, and open /play/.
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PLAY_DIR = Path(__file__).resolve().parent
PAGE_FILES = ['index.html', 'play.js', 'mnist_image.js', 'play.css']
ORT_DIST = 'node_modules/onnxruntime-web/dist'
ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']  # WebAssembly only
MODELS = {'cnn_mnist.onnx': ['accuracy'], 'rnn_name2lang.onnx': ['letter_dict', 'target_names', 'accuracy']}
NPM_CI = ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline']


class PlayBuildError(Exception):
    """The Play page cannot be built (no npm, npm failed, a model or its .json missing): said in one line."""


def npm_ci(folder):
    """Run `npm ci` in `folder` (holding package.json and package-lock.json); raise `PlayBuildError` if it fails."""
    npm = shutil.which('npm')
    if npm is None:
        raise PlayBuildError('npm is missing: install Node.js (e.g. apt-get install npm) to build the Play page')
    result = subprocess.run([npm, *NPM_CI], cwd=folder, capture_output=True, text=True)
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
    """Copy the model to `target` as one file: weights kept as external data beside it are put inside."""
    try:
        import onnx
    except ImportError:  # Without the onnx package: the file as it is (the exporters here write one file)
        shutil.copyfile(onnx_path, target)
        return
    model = onnx.load(str(onnx_path), load_external_data=False)
    external = any(tensor.data_location == onnx.TensorProto.EXTERNAL for tensor in model.graph.initializer)
    if external:
        onnx.load_external_data_for_model(model, str(Path(onnx_path).parent))
        onnx.save_model(model, str(target), save_as_external_data=False)
    else:
        shutil.copyfile(onnx_path, target)


def build_play(site_dir, cnn_onnx, rnn_onnx):
    """Write the Play page with its models and onnxruntime-web into `site_dir/play/`; return that folder."""
    infos = {name: read_model_info(path, keys) for (name, keys), path in zip(MODELS.items(), (cnn_onnx, rnn_onnx))}
    out = Path(site_dir) / 'play'
    with tempfile.TemporaryDirectory(prefix='play_npm_') as npm_dir:
        for name in ('package.json', 'package-lock.json'):
            shutil.copy2(PLAY_DIR / name, Path(npm_dir) / name)
        npm_ci(npm_dir)
        if out.exists():
            shutil.rmtree(out)
        (out / 'ort').mkdir(parents=True)
        for name in ORT_FILES:
            shutil.copy2(Path(npm_dir) / ORT_DIST / name, out / 'ort' / name)
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
    args = parser.parse_args(argv)
    try:
        out = build_play(args.site_dir, args.cnn, args.rnn)
    except PlayBuildError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(f'Play page built: {out / "index.html"} (serve it: python -m http.server -d {args.site_dir})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
