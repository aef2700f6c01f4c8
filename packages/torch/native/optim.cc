// Adam / AdamW (torch::optim, the same update as PyTorch's single-tensor path) and gradient clipping.
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
// Not self-contained: needs torch::Tensor and <vector> from the headers above.
#include <torch/nn/utils/clip_grad.h>

#include <memory>

#include "handle.h"

namespace attend {
namespace {

struct OptimizerHandle {
  static constexpr uint32_t kMagic = 0x4f505449;
  uint32_t magic = kMagic;
  bool decoupled;
  std::vector<at::Tensor> params;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
};

OptimizerHandle& OptimizerOf(const Napi::Value& value) {
  if (value.IsExternal()) {
    auto* handle = value.As<Napi::External<OptimizerHandle>>().Data();
    if (handle->magic == OptimizerHandle::kMagic) return *handle;
  }
  throw Napi::TypeError::New(value.Env(), "expected an optimizer");
}

// (params, lr, beta1, beta2, eps, weightDecay, decoupled). Decoupled is AdamW (Loshchilov & Hutter):
// p <- p - lr * wd * p before the Adam step, instead of adding wd * p to the gradient.
Napi::Value AdamNew(const Napi::CallbackInfo& info) {
  auto handle = std::make_unique<OptimizerHandle>();
  handle->params = TensorList(info[0]);
  double lr = Double(info[1]);
  auto betas = std::make_tuple(Double(info[2]), Double(info[3]));
  double eps = Double(info[4]);
  double weight_decay = Double(info[5]);
  handle->decoupled = Bool(info[6]);
  if (handle->decoupled) {
    auto options = torch::optim::AdamWOptions(lr).betas(betas).eps(eps).weight_decay(weight_decay);
    handle->optimizer = std::make_unique<torch::optim::AdamW>(handle->params, options);
  } else {
    auto options = torch::optim::AdamOptions(lr).betas(betas).eps(eps).weight_decay(weight_decay);
    handle->optimizer = std::make_unique<torch::optim::Adam>(handle->params, options);
  }
  return Napi::External<OptimizerHandle>::New(info.Env(), handle.release(),
                                              [](Napi::Env, OptimizerHandle* done) { delete done; });
}

Napi::Value Step(const Napi::CallbackInfo& info) {
  OptimizerOf(info[0]).optimizer->step();
  return info.Env().Undefined();
}

// Gradients become undefined (PyTorch's set_to_none): the next backward writes them instead of adding
// to zeros, and no memset is spent.
Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
  for (const at::Tensor& param : OptimizerOf(info[0]).params) param.mutable_grad().reset();
  return info.Env().Undefined();
}

Napi::Value SetLr(const Napi::CallbackInfo& info) {
  for (auto& group : OptimizerOf(info[0]).optimizer->param_groups()) group.options().set_lr(Double(info[1]));
  return info.Env().Undefined();
}

Napi::Value GetLr(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), OptimizerOf(info[0]).optimizer->param_groups().at(0).options().get_lr());
}

std::string StateKey(const at::Tensor& param) { return c10::guts::to_string(param.unsafeGetTensorImpl()); }

// {step, tensors: [exp_avg_0, exp_avg_sq_0, exp_avg_1, ...]}; zeros and step 0 before the first step.
template <typename State>
Napi::Value StateDictOf(Napi::Env env, OptimizerHandle& handle) {
  auto& states = handle.optimizer->state();
  Napi::Array tensors = Napi::Array::New(env, 2 * handle.params.size());
  int64_t step = 0;
  for (size_t i = 0; i < handle.params.size(); ++i) {
    const at::Tensor& param = handle.params[i];
    auto found = states.find(StateKey(param));
    if (found == states.end()) {
      tensors.Set(2 * i, Wrap(env, at::zeros_like(param)));
      tensors.Set(2 * i + 1, Wrap(env, at::zeros_like(param)));
      continue;
    }
    auto& state = static_cast<State&>(*found->second);
    step = std::max(step, state.step());
    tensors.Set(2 * i, Wrap(env, state.exp_avg().detach().clone()));
    tensors.Set(2 * i + 1, Wrap(env, state.exp_avg_sq().detach().clone()));
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("step", Napi::Number::New(env, static_cast<double>(step)));
  result.Set("tensors", tensors);
  return result;
}

Napi::Value StateDict(const Napi::CallbackInfo& info) {
  OptimizerHandle& handle = OptimizerOf(info[0]);
  return handle.decoupled ? StateDictOf<torch::optim::AdamWParamState>(info.Env(), handle)
                          : StateDictOf<torch::optim::AdamParamState>(info.Env(), handle);
}

template <typename State>
void LoadStateOf(Napi::Env env, OptimizerHandle& handle, int64_t step, const std::vector<at::Tensor>& tensors) {
  if (tensors.size() != 2 * handle.params.size()) {
    throw Napi::RangeError::New(env, "loadStateDict: expected exp_avg and exp_avg_sq for every parameter");
  }
  for (size_t i = 0; i < handle.params.size(); ++i) {
    const at::Tensor& param = handle.params[i];
    if (!tensors[2 * i].sizes().equals(param.sizes()) || !tensors[2 * i + 1].sizes().equals(param.sizes())) {
      throw Napi::RangeError::New(env, "loadStateDict: state shape differs from its parameter");
    }
    auto state = std::make_unique<State>();
    state->step(step);
    state->exp_avg(tensors[2 * i].detach().to(param.scalar_type()).clone());
    state->exp_avg_sq(tensors[2 * i + 1].detach().to(param.scalar_type()).clone());
    handle.optimizer->state()[StateKey(param)] = std::move(state);
  }
}

Napi::Value LoadStateDict(const Napi::CallbackInfo& info) {
  OptimizerHandle& handle = OptimizerOf(info[0]);
  int64_t step = Int(info[1]);
  std::vector<at::Tensor> tensors = TensorList(info[2]);
  if (handle.decoupled) {
    LoadStateOf<torch::optim::AdamWParamState>(info.Env(), handle, step, tensors);
  } else {
    LoadStateOf<torch::optim::AdamParamState>(info.Env(), handle, step, tensors);
  }
  return info.Env().Undefined();
}

Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), torch::nn::utils::clip_grad_norm_(TensorList(info[0]), Double(info[1])));
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  Export<AdamNew>(env, exports, "adamNew");
  Export<Step>(env, exports, "adamStep");
  Export<ZeroGrad>(env, exports, "adamZeroGrad");
  Export<SetLr>(env, exports, "adamSetLr");
  Export<GetLr>(env, exports, "adamGetLr");
  Export<StateDict>(env, exports, "adamStateDict");
  Export<LoadStateDict>(env, exports, "adamLoadStateDict");
  Export<ClipGradNorm>(env, exports, "clipGradNorm");
}

}  // namespace attend
