#!/usr/bin/env bash
# Do the version ranges in requirements.txt hold? Builds a fresh virtual environment for each case below,
# installs the repository there with `pip install -r requirements.txt`, and runs the hermetic suite
# (DL_DATA_DIR unset). Prints the versions each case got and pytest's summary line.
# Not part of CI: every case downloads PyTorch (the CUDA build on Linux x86_64: several GB).
#
#   oldest            Python 3.9, every package at the floor of its range in requirements.txt (== the floor)
#   oldtorch-numpy    Python 3.9, torch and torchvision at their floors, everything else as pip picks it:
#                     the newest NumPy for that Python (a learner who keeps an old torch)
#   oldtorch-numpy312 the same on Python 3.12, the newest Python that the oldest torch has wheels for,
#                     so the newest NumPy of all
#   newest            python3 as it is here, nothing pinned
#
#   benchmarks/versions.sh                          # the cases oldest and oldtorch-numpy
#   benchmarks/versions.sh oldest oldtorch-numpy oldtorch-numpy312 newest
#
# It tests the committed HEAD (a `git clone` of this checkout, not its working tree). Environment:
# WORK (default /tmp/dl_versions) holds the copy and the venvs, each venv removed after its case unless
# KEEP=1; PY39, PY312, PY_NEWEST name the interpreters (default: pyenv's, else python3.9 / python3.12 on PATH).
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/dl_versions}
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=(oldest oldtorch-numpy)

find_python() {  # find_python 3.9: pyenv's newest 3.9.x, else python3.9 on PATH
    local root found
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    found=$(ls -d "$root"/versions/"$1".*/bin/python 2>/dev/null | sort -V | tail -1)
    [ -n "$found" ] && { echo "$found"; return; }
    command -v "python$1" || { echo "no Python $1: install it (pyenv install $1) or set PY${1/./}" >&2; exit 2; }
}

# The floors for venv $1's Python: `name>=X` in requirements.txt becomes `name==X` (lines whose marker,
# e.g. `; python_version >= "3.12"`, does not hold there are skipped, and so are comments and `-e .`).
floors() {
    "$1/bin/python" - "$REPO/requirements.txt" <<'EOF'
import sys
from pip._vendor.packaging.requirements import Requirement
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if not line or line.startswith('-'):
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate():
        print(''.join(f'{req.name}=={spec.version}\n' for spec in req.specifier if spec.operator == '>='), end='')
EOF
}

PACKAGES="torch torchvision numpy matplotlib scikit-learn sympy pillow pillow-heif tqdm onnx onnxruntime pytest pytest-xdist jupytext nbclient ipykernel"
versions() {  # the versions installed in venv $1, one line
    "$1/bin/python" - $PACKAGES <<'EOF'
import platform, sys
from importlib import metadata
out = [f'python {platform.python_version()}']
for name in sys.argv[1:]:
    try:
        out.append(f'{name} {metadata.version(name)}')
    except metadata.PackageNotFoundError:
        pass
print(', '.join(out))
EOF
}

mkdir -p "$WORK"
rm -rf "$WORK/src"
git clone -q "$REPO" "$WORK/src"  # A clone (some tests clone the repository in turn), as a learner gets it
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
RESULTS="$WORK/results.txt"
: > "$RESULTS"

for CASE in "${CASES[@]}"; do
    case $CASE in
        oldest|oldtorch-numpy) PY=${PY39:-$(find_python 3.9)} ;;
        oldtorch-numpy312)     PY=${PY312:-$(find_python 3.12)} ;;
        newest)                PY=${PY_NEWEST:-python3} ;;
        *) echo "unknown case '$CASE' (oldest, oldtorch-numpy, oldtorch-numpy312, newest)" >&2; exit 2 ;;
    esac
    VENV="$WORK/venv-$CASE"
    LOG="$WORK/$CASE.log"
    CONSTRAINTS="$WORK/$CASE.constraints.txt"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    case $CASE in
        oldest) floors "$VENV" > "$CONSTRAINTS" ;;
        oldtorch-*) floors "$VENV" | grep -E '^torch(vision)?==' > "$CONSTRAINTS" ;;
        newest) : > "$CONSTRAINTS" ;;
    esac
    echo "== $CASE: $("$PY" --version 2>&1), constraints: $(tr '\n' ' ' < "$CONSTRAINTS")"
    "$VENV/bin/python" -m pip install -q --upgrade pip > "$LOG" 2>&1
    if ! (cd "$WORK/src" && "$VENV/bin/python" -m pip install -r requirements.txt -c "$CONSTRAINTS") >> "$LOG" 2>&1; then
        SUMMARY="install failed: $(grep -E 'ERROR' "$LOG" | tail -1)"
    else
        echo "   $(versions "$VENV")"
        # The hermetic suite, as the README runs it, with this venv first on PATH and no real data.
        (cd "$WORK/src" && env -u DL_DATA_DIR PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" MPLBACKEND=Agg \
            "$VENV/bin/python" -m pytest -q -p no:cacheprovider) >> "$LOG" 2>&1
        SUMMARY=$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$LOG" | tail -1 | sed -E 's/^=+ //; s/ =+$//')
        [ -n "$SUMMARY" ] || SUMMARY="no summary line (see $LOG)"
    fi
    echo "   $SUMMARY"
    echo "$CASE (HEAD $COMMIT): $(versions "$VENV" 2>/dev/null): $SUMMARY" >> "$RESULTS"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$VENV"
done
echo "== results (also in $RESULTS; logs: $WORK/<case>.log)"
cat "$RESULTS"
