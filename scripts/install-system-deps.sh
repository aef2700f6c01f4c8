#!/usr/bin/env bash
# System packages the tests and the trainer need, from Debian (idempotent; needs root or sudo):
#   libtorch-dev   the training engine (packages/torch builds against it)
#   libopenblas0-openmp  a fast BLAS behind libblas.so.3 (the reference BLAS makes a training step ~40x slower)
#   python3-torch  PyTorch, the reference the training benchmark and parity tests compare against
#   chromium       the headless browser the web page is tested in (driven by playwright-core)
set -euo pipefail
packages=(libtorch-dev libopenblas0-openmp python3-torch chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
