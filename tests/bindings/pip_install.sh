#!/bin/sh
# `pip install ./bindings/python` as a Python user does it, offline: a fresh venv that sees
# Debian's numpy and pandas, pip with Debian's setuptools and wheel (no build isolation, no
# index), the extension built by setup.py with the project's CMake; then the worked example
# runs with the installed package, not the build tree's.
#   pip_install.sh WORKDIR SOURCE_DIR [CMAKE_ARGS]
set -eu
work=$1 source=$2 cmake_args=${3:-}
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
CANDOR_BUILD_DIR="$work/cmake" CANDOR_CMAKE_ARGS="$cmake_args" \
  "$work/venv/bin/pip" install --no-build-isolation --no-index "$source/bindings/python"
cd "$work"
unset PYTHONPATH
"$work/venv/bin/python" -c '
import sys, candor
assert candor.__file__.startswith(sys.prefix), candor.__file__
print("installed:", candor.__file__, candor.version())'
"$work/venv/bin/python" "$source/bindings/python/examples/worked_example.py" "$source/examples"
