// torch.nn.functional: the fused libtorch kernels the Transformer uses (the same calls PyTorch makes).
#include "handle.h"

namespace attend {
namespace {

// padding_idx < 0 means none; libtorch then accumulates every row's gradient.
Napi::Value Embedding(const Napi::CallbackInfo& info) {
  int64_t padding_idx = info[2].IsUndefined() ? -1 : Int(info[2]);
  return Wrap(info.Env(), at::embedding(Unwrap(info[1]), Unwrap(info[0]), padding_idx));
}

// y = x W^T + b, W: [out, in]
Napi::Value Linear(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::linear(Unwrap(info[0]), Unwrap(info[1]), OptionalTensor(info[2])));
}

Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::layer_norm(Unwrap(info[0]), IntList(info[1]), OptionalTensor(info[2]),
                                         OptionalTensor(info[3]), Double(info[4])));
}

// The mask comes from libtorch's default CPU generator, so manualSeed() makes it reproducible.
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::dropout(Unwrap(info[0]), Double(info[1]), Bool(info[2])));
}

Napi::Value Silu(const Napi::CallbackInfo& info) { return Wrap(info.Env(), at::silu(Unwrap(info[0]))); }

// reduction: the at::Reduction codes (0 none, 1 mean, 2 sum); src/functional.ts maps the names.
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::cross_entropy_loss(Unwrap(info[0]), Unwrap(info[1]), c10::nullopt, Int(info[2]),
                                                 Int(info[3]), Double(info[4])));
}

}  // namespace

void RegisterFunctional(Napi::Env env, Napi::Object exports) {
  Export<Embedding>(env, exports, "embedding");
  Export<Linear>(env, exports, "linear");
  Export<LayerNorm>(env, exports, "layerNorm");
  Export<Dropout>(env, exports, "dropout");
  Export<Silu>(env, exports, "silu");
  Export<CrossEntropy>(env, exports, "crossEntropy");
}

}  // namespace attend
