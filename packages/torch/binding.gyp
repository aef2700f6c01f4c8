# libtorch paths come from src/libtorch.mjs ($LIBTORCH or Debian's libtorch-dev) via scripts/build.mjs.
{
  "targets": [
    {
      "target_name": "attend_torch",
      "sources": ["native/addon.cc", "native/tensor-ops.cc", "native/functional.cc", "native/optim.cc", "native/distributed.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/build.mjs --print include)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        # c10d's ProcessGroupGloo.hpp is empty without it (libtorch itself is built with Gloo).
        "USE_C10D_GLOO",
        "_GLIBCXX_USE_CXX11_ABI=<!(node scripts/build.mjs --print abi)"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": [
        "-L<!(node scripts/build.mjs --print lib)",
        "-Wl,-rpath,<!(node scripts/build.mjs --print lib)",
        # Keep libtorch.so linked though no symbol of it is used directly: in a CUDA build it is what
        # loads libtorch_cuda and registers the CUDA kernels.
        "-Wl,--no-as-needed",
        "-ltorch",
        "-ltorch_cpu",
        "-lc10"
      ]
    }
  ]
}
