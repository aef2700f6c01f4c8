// Module entry: handle lifetime, global state (seed, threads, grad mode), tensor creation and access,
// autograd entry points. Ops live in tensor-ops.cc and functional.cc, optimizers in optim.cc, collectives
// across processes in distributed.cc.
#include <ATen/Parallel.h>

#include <cstring>

#include "handle.h"

// OpenBLAS built with pthreads keeps its own pool, which at::set_num_threads (OpenMP) does not reach.
// Weak: null when the BLAS is another (or OpenBLAS's OpenMP build, where the call is harmless).
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace attend {
namespace {

at::TensorOptions OptionsOf(const Napi::Value& dtype) { return at::TensorOptions().dtype(ScalarTypeOf(dtype)); }

Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(live_tensors.load()));
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  Handle* handle = HandleOf(info[0]);
  if (handle->tensor.defined()) {
    handle->tensor.reset();
    live_tensors--;
  }
  return info.Env().Undefined();
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_current_seed(static_cast<uint64_t>(Int(info[0])));
  return info.Env().Undefined();
}

// Intra-op threads run the kernels and can be changed at any time. The inter-op pool can be sized only
// once, before it starts; it runs only at::launch tasks (TorchScript fork), which this addon never
// issues, so once it is fixed a later call changes the intra-op count alone.
Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  static bool interop_sized = false;
  int threads = static_cast<int>(Int(info[0]));
  if (threads < 1) throw Napi::RangeError::New(info.Env(), "setNumThreads(n) needs n >= 1");
  at::set_num_threads(threads);
  if (openblas_set_num_threads != nullptr) openblas_set_num_threads(threads);
  if (!interop_sized) {
    interop_sized = true;
    at::set_num_interop_threads(threads);
  }
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

// Returns the previous mode so that noGrad() can restore it.
Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(Bool(info[0]));
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value FromBytes(const Napi::CallbackInfo& info) {
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  at::Tensor tensor = at::empty(IntList(info[1]), OptionsOf(info[2]));
  if (tensor.nbytes() != bytes.ByteLength()) {
    throw Napi::RangeError::New(info.Env(), "tensor(): data length does not match shape and dtype");
  }
  if (bytes.ByteLength() > 0) std::memcpy(tensor.data_ptr(), bytes.Data(), bytes.ByteLength());
  return Wrap(info.Env(), std::move(tensor));
}

Napi::Value Full(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::full(IntList(info[0]), ScalarOf(info[1]), OptionsOf(info[2])));
}

Napi::Value Randn(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::randn(IntList(info[0]), OptionsOf(info[1])));
}

Napi::Value Rand(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::rand(IntList(info[0]), OptionsOf(info[1])));
}

Napi::Value Arange(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::arange(ScalarOf(info[0]), ScalarOf(info[1]), OptionsOf(info[2])));
}

Napi::Value Cat(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::cat(TensorList(info[0]), Int(info[1])));
}

Napi::Value Stack(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), at::stack(TensorList(info[0]), Int(info[1])));
}

Napi::Value Where(const Napi::CallbackInfo& info) {
  const at::Tensor& condition = Unwrap(info[0]);
  bool scalar_a = info[1].IsNumber();
  bool scalar_b = info[2].IsNumber();
  if (scalar_a && scalar_b) return Wrap(info.Env(), at::where(condition, ScalarOf(info[1]), ScalarOf(info[2])));
  if (scalar_a) return Wrap(info.Env(), at::where(condition, ScalarOf(info[1]), Unwrap(info[2])));
  if (scalar_b) return Wrap(info.Env(), at::where(condition, Unwrap(info[1]), ScalarOf(info[2])));
  return Wrap(info.Env(), at::where(condition, Unwrap(info[1]), Unwrap(info[2])));
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  at::IntArrayRef sizes = Unwrap(info[0]).sizes();
  Napi::Array shape = Napi::Array::New(info.Env(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) shape.Set(i, Napi::Number::New(info.Env(), static_cast<double>(sizes[i])));
  return shape;
}

Napi::Value DType(const Napi::CallbackInfo& info) {
  int code = DTypeCode(Unwrap(info[0]).scalar_type());
  if (code < 0) throw Napi::TypeError::New(info.Env(), "tensor has a dtype this API does not expose");
  return Napi::Number::New(info.Env(), code);
}

Napi::Value Numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Unwrap(info[0]).numel()));
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Unwrap(info[0]).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  Unwrap(info[0]).requires_grad_(Bool(info[1]));
  return info.Env().Undefined();
}

Napi::Value Grad(const Napi::CallbackInfo& info) {
  const at::Tensor& grad = Unwrap(info[0]).grad();
  return grad.defined() ? Wrap(info.Env(), grad) : info.Env().Null();
}

Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
  const at::Tensor& grad = Unwrap(info[0]).grad();
  if (grad.defined()) grad.zero_();
  return info.Env().Undefined();
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  Unwrap(info[0]).backward(OptionalTensor(info[1]).value_or(at::Tensor()));
  return info.Env().Undefined();
}

Napi::Value Copy(const Napi::CallbackInfo& info) {
  at::NoGradGuard no_grad;
  Unwrap(info[0]).copy_(Unwrap(info[1]));
  return info.Env().Undefined();
}

// A copy of the elements, row-major, as an ArrayBuffer for the typed array that src/tensor.ts picks.
Napi::Value Data(const Napi::CallbackInfo& info) {
  at::Tensor tensor = Unwrap(info[0]).detach().contiguous();
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(info.Env(), tensor.nbytes());
  if (tensor.nbytes() > 0) std::memcpy(buffer.Data(), tensor.data_ptr(), tensor.nbytes());
  return buffer;
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Unwrap(info[0]).item<double>());
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Export<LiveTensors>(env, exports, "liveTensors");
  Export<Dispose>(env, exports, "dispose");
  Export<ManualSeed>(env, exports, "manualSeed");
  Export<SetNumThreads>(env, exports, "setNumThreads");
  Export<GetNumThreads>(env, exports, "getNumThreads");
  Export<SetGradEnabled>(env, exports, "setGradEnabled");
  Export<FromBytes>(env, exports, "fromBytes");
  Export<Full>(env, exports, "full");
  Export<Randn>(env, exports, "randn");
  Export<Rand>(env, exports, "rand");
  Export<Arange>(env, exports, "arange");
  Export<Cat>(env, exports, "cat");
  Export<Stack>(env, exports, "stack");
  Export<Where>(env, exports, "where");
  Export<Shape>(env, exports, "shape");
  Export<DType>(env, exports, "dtype");
  Export<Numel>(env, exports, "numel");
  Export<RequiresGrad>(env, exports, "requiresGrad");
  Export<SetRequiresGrad>(env, exports, "setRequiresGrad");
  Export<Grad>(env, exports, "grad");
  Export<ZeroGrad>(env, exports, "zeroGrad");
  Export<Backward>(env, exports, "backward");
  Export<Copy>(env, exports, "copy");
  Export<Data>(env, exports, "data");
  Export<Item>(env, exports, "item");
  RegisterTensorOps(env, exports);
  RegisterFunctional(env, exports);
  RegisterOptim(env, exports);
  RegisterDistributed(env, exports);
  return exports;
}

}  // namespace attend

// NODE_API_MODULE pastes the function name into an identifier, so it takes an unqualified one.
static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return attend::Init(env, exports); }

NODE_API_MODULE(attend_torch, InitAddon)
