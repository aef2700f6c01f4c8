// Shared by every translation unit of the addon: how an at::Tensor crosses into JavaScript and back.
//
// A tensor travels as a napi External owning a Handle: creating one costs far less than an ObjectWrap
// instance, which keeps per-op overhead small. dispose() resets the at::Tensor at once (deterministic
// freeing); the External's finalizer only deletes the small Handle, or the tensor too if the caller
// never disposed it.
#pragma once

#include <ATen/ATen.h>
#include <napi.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <vector>

namespace attend {

struct Handle {
  // Guards against an External made by some other addon reaching us.
  static constexpr uint32_t kMagic = 0x41544e54;
  uint32_t magic = kMagic;
  at::Tensor tensor;
};

// Handles whose tensor is still held (created and neither disposed nor collected).
inline std::atomic<int64_t> live_tensors{0};

inline void ReleaseHandle(Napi::Env, Handle* handle) {
  if (handle->tensor.defined()) live_tensors--;
  delete handle;
}

inline Napi::Value Wrap(Napi::Env env, at::Tensor tensor) {
  live_tensors++;
  return Napi::External<Handle>::New(env, new Handle{Handle::kMagic, std::move(tensor)}, ReleaseHandle);
}

inline Handle* HandleOf(const Napi::Value& value) {
  if (!value.IsExternal()) throw Napi::TypeError::New(value.Env(), "expected a Tensor");
  Handle* handle = value.As<Napi::External<Handle>>().Data();
  if (handle->magic != Handle::kMagic) throw Napi::TypeError::New(value.Env(), "expected a Tensor");
  return handle;
}

inline const at::Tensor& Unwrap(const Napi::Value& value) {
  const at::Tensor& tensor = HandleOf(value)->tensor;
  if (!tensor.defined()) throw Napi::Error::New(value.Env(), "Tensor used after dispose()");
  return tensor;
}

inline c10::optional<at::Tensor> OptionalTensor(const Napi::Value& value) {
  if (value.IsUndefined() || value.IsNull()) return c10::nullopt;
  return Unwrap(value);
}

// The dtype codes of src/dtype.ts, in order.
inline constexpr at::ScalarType kScalarTypes[] = {at::kFloat, at::kDouble, at::kLong, at::kInt, at::kBool};

inline at::ScalarType ScalarTypeOf(const Napi::Value& value) {
  uint32_t code = value.As<Napi::Number>().Uint32Value();
  if (code >= std::size(kScalarTypes)) throw Napi::RangeError::New(value.Env(), "unknown dtype code");
  return kScalarTypes[code];
}

inline int DTypeCode(at::ScalarType type) {
  for (size_t i = 0; i < std::size(kScalarTypes); ++i) {
    if (kScalarTypes[i] == type) return static_cast<int>(i);
  }
  return -1;
}

inline int64_t Int(const Napi::Value& value) { return value.As<Napi::Number>().Int64Value(); }
inline double Double(const Napi::Value& value) { return value.As<Napi::Number>().DoubleValue(); }
inline bool Bool(const Napi::Value& value) { return value.ToBoolean().Value(); }

// JavaScript has one number type; an integral value becomes an integer Scalar so that, as in PyTorch,
// `ids + 1` stays int64 while `x * 0.5` or `x * 2` on a float tensor stays float.
inline at::Scalar ScalarOf(const Napi::Value& value) {
  double number = Double(value);
  if (std::trunc(number) == number && std::abs(number) < 9.0e15) return at::Scalar(static_cast<int64_t>(number));
  return at::Scalar(number);
}

inline std::vector<int64_t> IntList(const Napi::Value& value) {
  Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> result(array.Length());
  for (uint32_t i = 0; i < result.size(); ++i) result[i] = Int(array.Get(i));
  return result;
}

inline std::vector<at::Tensor> TensorList(const Napi::Value& value) {
  Napi::Array array = value.As<Napi::Array>();
  std::vector<at::Tensor> result;
  result.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) result.push_back(Unwrap(array.Get(i)));
  return result;
}

using Callback = Napi::Value (*)(const Napi::CallbackInfo&);

// libtorch reports misuse (shape mismatch, bad dtype) as c10::Error; JavaScript gets an Error whose
// message omits the C++ backtrace.
template <Callback F>
Napi::Value Guard(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const c10::Error& error) {
    throw Napi::Error::New(info.Env(), error.what_without_backtrace());
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& error) {
    throw Napi::Error::New(info.Env(), error.what());
  }
}

template <Callback F>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New<Guard<F>>(env, name));
}

void RegisterTensorOps(Napi::Env env, Napi::Object exports);
void RegisterFunctional(Napi::Env env, Napi::Object exports);
void RegisterOptim(Napi::Env env, Napi::Object exports);
void RegisterDistributed(Napi::Env env, Napi::Object exports);

}  // namespace attend
