"""The README's pictures: run the scripts that draw them with their real settings, then copy their figures here.

    python docs/gallery.py            # about 5 minutes on a laptop CPU

Each picture goes to docs/<name>.png (at most FULL_WIDTH pixels wide) with a thumbnail in docs/thumbs/ (the
README shows the thumbnail and links the picture). The scripts run as `python run_all.py --full` runs them, in
slide order, writing into their own results/<script>/; a failed script leaves docs/ as it was.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's run_all and common
import run_all  # noqa: E402  (the tour: its scripts, their real settings and the run of each)

DOCS = Path(__file__).resolve().parent
# (script, the figure it saves, its name in docs/), drawn with the script's real settings
GALLERY = [
    ('02_autograd/grad_descent.py', 'grad_descent.png', 'grad_descent.png'),
    ('03_nn_iris/activation_funcs.py', 'activation_funcs.png', 'activation_funcs.png'),
    ('03_nn_iris/iris_my_style.py', 'iris_my_style_boundaries.png', 'iris_boundaries.png'),
    ('04_cnn_mnist/cnn_mnist.py', 'cnn_mnist_loss.png', 'mnist_loss.png'),
    ('04_cnn_mnist/cnn_mnist.py', 'cnn_mnist_confusion.png', 'mnist_confusion.png'),
    ('04_cnn_mnist/further/draw_digit.py', 'draw_digit_demo.png', 'draw_digit.png'),
    ('05_rnn_name2lang/rnn_name2lang.py', 'rnn_name2lang_confusion.png', 'name2lang_confusion.png'),
]
FULL_WIDTH, THUMB_WIDTH = 800, 240  # Pixels of a picture in docs/ and of its thumbnail in docs/thumbs/


def export_gallery(docs):
    """Copy the gallery's figures from the scripts' results folders into `docs` (at most FULL_WIDTH wide) with
    thumbnails in `docs`/thumbs; return the paths written."""
    from PIL import Image
    written = []
    (docs / 'thumbs').mkdir(parents=True, exist_ok=True)
    for script, figure, name in GALLERY:
        with Image.open(run_all.output_folder(script, full=True) / figure) as image:
            image = image.convert('RGB')
        for folder, width in [(docs, FULL_WIDTH), (docs / 'thumbs', THUMB_WIDTH)]:
            scaled = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS) \
                if image.width > width else image
            scaled.quantize(colors=128).save(folder / name, optimize=True)  # Plots need few colours: small files
            written.append(folder / name)
    return written


def main(argv=None):
    argparse.ArgumentParser(description="Redraw the README's pictures (docs/) with the scripts' real settings.") \
        .parse_args(argv)
    scripts = {script for script, _, _ in GALLERY}
    if run_all.run_tour([entry for entry in run_all.SCRIPTS if entry[0] in scripts], full=True):
        return 1
    written = export_gallery(DOCS)
    print(f'Gallery: {len(written)} pictures in {DOCS} ({sum(p.stat().st_size for p in written) // 1024} KB)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
