#!/usr/bin/env bash
# Builds python_example.wasm from app.py with componentize-py (PyPI), against the
# plugin WIT. Usage: build.sh OUT.wasm
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/python_example.wasm}"
command -v componentize-py >/dev/null || python3 -m pip install --quiet --disable-pip-version-check "componentize-py==0.25.1"
cd "$here"
componentize-py -d ../wit -w plugin componentize app -o "$out" >/dev/null
