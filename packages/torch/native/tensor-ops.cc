// Tensor methods: arithmetic, reductions, shape and indexing. Each takes the tensor first and returns a
// new handle; an argument that is a JavaScript number is passed to libtorch as a Scalar.
#include "handle.h"

namespace attend {
namespace {

using Unary = at::Tensor (*)(const at::Tensor&);
using TensorTensor = at::Tensor (*)(const at::Tensor&, const at::Tensor&);
using TensorScalar = at::Tensor (*)(const at::Tensor&, const at::Scalar&);

template <Unary Op>
Napi::Value UnaryOp(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Op(Unwrap(info[0])));
}

template <TensorTensor WithTensor, TensorScalar WithScalar>
Napi::Value BinaryOp(const Napi::CallbackInfo& info) {
  const at::Tensor& self = Unwrap(info[0]);
  if (info[1].IsNumber()) return Wrap(info.Env(), WithScalar(self, ScalarOf(info[1])));
  return Wrap(info.Env(), WithTensor(self, Unwrap(info[1])));
}

// self + alpha * other (sub: self - alpha * other), as torch.add/torch.sub.
template <bool Subtract>
Napi::Value AddOp(const Napi::CallbackInfo& info) {
  const at::Tensor& self = Unwrap(info[0]);
  at::Scalar alpha = info[2].IsUndefined() ? at::Scalar(1) : ScalarOf(info[2]);
  if (info[1].IsNumber()) {
    at::Scalar other = ScalarOf(info[1]);
    return Wrap(info.Env(), Subtract ? at::sub(self, other, alpha) : at::add(self, other, alpha));
  }
  const at::Tensor& other = Unwrap(info[1]);
  return Wrap(info.Env(), Subtract ? at::sub(self, other, alpha) : at::add(self, other, alpha));
}

at::Tensor Neg(const at::Tensor& t) { return t.neg(); }
at::Tensor Sqrt(const at::Tensor& t) { return t.sqrt(); }
at::Tensor Rsqrt(const at::Tensor& t) { return t.rsqrt(); }
at::Tensor Exp(const at::Tensor& t) { return t.exp(); }
at::Tensor Log(const at::Tensor& t) { return t.log(); }
at::Tensor Abs(const at::Tensor& t) { return t.abs(); }
at::Tensor Tanh(const at::Tensor& t) { return t.tanh(); }
at::Tensor Sigmoid(const at::Tensor& t) { return t.sigmoid(); }
at::Tensor Relu(const at::Tensor& t) { return t.relu(); }
at::Tensor LogicalNot(const at::Tensor& t) { return t.logical_not(); }
at::Tensor Contiguous(const at::Tensor& t) { return t.contiguous(); }
at::Tensor Clone(const at::Tensor& t) { return t.clone(); }
at::Tensor Detach(const at::Tensor& t) { return t.detach(); }

at::Tensor Mul(const at::Tensor& a, const at::Tensor& b) { return a.mul(b); }
at::Tensor MulScalar(const at::Tensor& a, const at::Scalar& b) { return a.mul(b); }
at::Tensor Div(const at::Tensor& a, const at::Tensor& b) { return a.div(b); }
at::Tensor DivScalar(const at::Tensor& a, const at::Scalar& b) { return a.div(b); }
at::Tensor Eq(const at::Tensor& a, const at::Tensor& b) { return a.eq(b); }
at::Tensor EqScalar(const at::Tensor& a, const at::Scalar& b) { return a.eq(b); }
at::Tensor Ne(const at::Tensor& a, const at::Tensor& b) { return a.ne(b); }
at::Tensor NeScalar(const at::Tensor& a, const at::Scalar& b) { return a.ne(b); }
at::Tensor Lt(const at::Tensor& a, const at::Tensor& b) { return a.lt(b); }
at::Tensor LtScalar(const at::Tensor& a, const at::Scalar& b) { return a.lt(b); }
at::Tensor Gt(const at::Tensor& a, const at::Tensor& b) { return a.gt(b); }
at::Tensor GtScalar(const at::Tensor& a, const at::Scalar& b) { return a.gt(b); }

Napi::Value Pow(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).pow(ScalarOf(info[1])));
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).matmul(Unwrap(info[1])));
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).softmax(Int(info[1])));
}

Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).log_softmax(Int(info[1])));
}

// sum/mean over all elements when dims is undefined, else over dims (an array).
template <bool Mean>
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const at::Tensor& self = Unwrap(info[0]);
  if (info[1].IsUndefined()) return Wrap(info.Env(), Mean ? self.mean() : self.sum());
  std::vector<int64_t> dims = IntList(info[1]);
  bool keepdim = Bool(info[2]);
  return Wrap(info.Env(), Mean ? self.mean(dims, keepdim) : self.sum(dims, keepdim));
}

Napi::Value Max(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), std::get<0>(Unwrap(info[0]).max(Int(info[1]), Bool(info[2]))));
}

Napi::Value Argmax(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).argmax(Int(info[1]), Bool(info[2])));
}

Napi::Value Reshape(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).reshape(IntList(info[1])));
}

Napi::Value View(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).view(IntList(info[1])));
}

Napi::Value Transpose(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).transpose(Int(info[1]), Int(info[2])));
}

Napi::Value Permute(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).permute(IntList(info[1])));
}

Napi::Value Unsqueeze(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).unsqueeze(Int(info[1])));
}

Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  const at::Tensor& self = Unwrap(info[0]);
  return Wrap(info.Env(), info[1].IsUndefined() ? self.squeeze() : self.squeeze(Int(info[1])));
}

Napi::Value Expand(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).expand(IntList(info[1])));
}

Napi::Value Narrow(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).narrow(Int(info[1]), Int(info[2]), Int(info[3])));
}

Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).index_select(Int(info[1]), Unwrap(info[2])));
}

Napi::Value Gather(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).gather(Int(info[1]), Unwrap(info[2])));
}

Napi::Value MaskedFill(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).masked_fill(Unwrap(info[1]), ScalarOf(info[2])));
}

Napi::Value Triu(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).triu(Int(info[1])));
}

Napi::Value Tril(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).tril(Int(info[1])));
}

Napi::Value To(const Napi::CallbackInfo& info) {
  return Wrap(info.Env(), Unwrap(info[0]).to(ScalarTypeOf(info[1])));
}

}  // namespace

void RegisterTensorOps(Napi::Env env, Napi::Object exports) {
  Export<AddOp<false>>(env, exports, "add");
  Export<AddOp<true>>(env, exports, "sub");
  Export<BinaryOp<Mul, MulScalar>>(env, exports, "mul");
  Export<BinaryOp<Div, DivScalar>>(env, exports, "div");
  Export<BinaryOp<Eq, EqScalar>>(env, exports, "eq");
  Export<BinaryOp<Ne, NeScalar>>(env, exports, "ne");
  Export<BinaryOp<Lt, LtScalar>>(env, exports, "lt");
  Export<BinaryOp<Gt, GtScalar>>(env, exports, "gt");
  Export<UnaryOp<Neg>>(env, exports, "neg");
  Export<UnaryOp<Sqrt>>(env, exports, "sqrt");
  Export<UnaryOp<Rsqrt>>(env, exports, "rsqrt");
  Export<UnaryOp<Exp>>(env, exports, "exp");
  Export<UnaryOp<Log>>(env, exports, "log");
  Export<UnaryOp<Abs>>(env, exports, "abs");
  Export<UnaryOp<Tanh>>(env, exports, "tanh");
  Export<UnaryOp<Sigmoid>>(env, exports, "sigmoid");
  Export<UnaryOp<Relu>>(env, exports, "relu");
  Export<UnaryOp<LogicalNot>>(env, exports, "logicalNot");
  Export<UnaryOp<Contiguous>>(env, exports, "contiguous");
  Export<UnaryOp<Clone>>(env, exports, "clone");
  Export<UnaryOp<Detach>>(env, exports, "detach");
  Export<Pow>(env, exports, "pow");
  Export<Matmul>(env, exports, "matmul");
  Export<Softmax>(env, exports, "softmax");
  Export<LogSoftmax>(env, exports, "logSoftmax");
  Export<Reduce<false>>(env, exports, "sum");
  Export<Reduce<true>>(env, exports, "mean");
  Export<Max>(env, exports, "max");
  Export<Argmax>(env, exports, "argmax");
  Export<Reshape>(env, exports, "reshape");
  Export<View>(env, exports, "view");
  Export<Transpose>(env, exports, "transpose");
  Export<Permute>(env, exports, "permute");
  Export<Unsqueeze>(env, exports, "unsqueeze");
  Export<Squeeze>(env, exports, "squeeze");
  Export<Expand>(env, exports, "expand");
  Export<Narrow>(env, exports, "narrow");
  Export<IndexSelect>(env, exports, "indexSelect");
  Export<Gather>(env, exports, "gather");
  Export<MaskedFill>(env, exports, "maskedFill");
  Export<Triu>(env, exports, "triu");
  Export<Tril>(env, exports, "tril");
  Export<To>(env, exports, "to");
}

}  // namespace attend
