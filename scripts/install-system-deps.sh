#!/usr/bin/env bash
# System packages the tests and the trainer need, from Debian (idempotent; needs root or sudo):
#   libtorch-dev   the training engine (packages/torch builds against it)
#   libgloo-dev    the headers of Gloo, the collectives of libtorch's distributed engine (multi-process training)
#   libopenblas0-openmp  a fast BLAS behind libblas.so.3 (the reference BLAS makes a training step ~40x slower)
#   python3-torch  PyTorch, the reference the training benchmark and parity tests compare against
#   chromium       the headless browser the web page is tested in (driven by playwright-core)
#   qemu-user      runs the int8 tests on an emulated AVX2-only x86 CPU, whatever CPU this is
# Then, when `npm install` has run already (the README's order), builds the libtorch addon that the
# install skipped for want of libtorch; otherwise `npm install` builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libtorch-dev libgloo-dev libopenblas0-openmp python3-torch chromium qemu-user)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "installing with apt (a few minutes on a new machine): ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi
if [ -d node_modules/node-gyp ]; then
  node packages/torch/scripts/build.mjs --if-needed
fi
