// Data-parallel collectives on libtorch's own distributed engine (c10d), the one PyTorch's
// DistributedDataParallel runs on: rank 0 serves a TCPStore, every rank meets the others through it, and a
// ProcessGroupGloo over that store moves the tensors. CPU tensors only: a CUDA build would put a
// ProcessGroupNCCL on the same store here and keep the tensors on the GPU.
//
// Every call blocks the JavaScript thread until the collective is done on all ranks (or its timeout
// passes): training is synchronous, so the loop has nothing else to do meanwhile.
// Gloo's own symbols (gloo::Context::setTimeout) resolve through libtorch_cpu, which links Debian's
// libgloo.so.0 (or holds Gloo itself in a build that links it statically): binding.gyp names no Gloo library.
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>

#include "handle.h"

namespace attend {
namespace {

using std::chrono::milliseconds;

struct GroupHandle {
  static constexpr uint32_t kMagic = 0x474c4f4f;
  uint32_t magic = kMagic;
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

GroupHandle& GroupOf(const Napi::Value& value) {
  if (value.IsExternal()) {
    auto* handle = value.As<Napi::External<GroupHandle>>().Data();
    if (handle->magic == GroupHandle::kMagic) {
      if (!handle->group) throw Napi::Error::New(value.Env(), "process group used after close()");
      return *handle;
    }
  }
  throw Napi::TypeError::New(value.Env(), "expected a process group");
}

// As PyTorch does: GLOO_SOCKET_IFNAME (comma-separated interfaces) when set, otherwise the address this
// machine's hostname resolves to (loopback when it resolves to nothing usable).
std::vector<std::shared_ptr<::gloo::transport::Device>> GlooDevices() {
  const char* names = std::getenv("GLOO_SOCKET_IFNAME");
  if (names == nullptr || *names == '\0') return {c10d::ProcessGroupGloo::createDefaultDevice()};
  std::vector<std::shared_ptr<::gloo::transport::Device>> devices;
  std::stringstream list(names);
  for (std::string name; std::getline(list, name, ',');) {
    devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
  }
  return devices;
}

c10::intrusive_ptr<c10d::TCPStore> ConnectStore(const std::string& host, int port, int rank, milliseconds timeout) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(port);
  options.isServer = rank == 0;
  options.waitWorkers = false;  // WaitForRanks below waits, and says who is missing
  options.timeout = timeout;
  try {
    return c10::make_intrusive<c10d::TCPStore>(host, options);
  } catch (const std::exception& error) {
    std::ostringstream message;
    if (rank == 0) {
      message << "rank 0 cannot serve the rendezvous store on port " << port << ": pass a free --master-port ("
              << c10::GetExceptionString(error) << ")";
    } else {
      message << "rank " << rank << " cannot reach the rendezvous store at " << host << ":" << port << " within "
              << timeout.count() / 1000 << " s: is rank 0 (--node-rank 0) running there, and is the port open "
              << "between the machines? (" << c10::GetExceptionString(error) << ")";
    }
    throw std::runtime_error(message.str());
  }
}

// Every rank checks in under its own key and waits for all the others' keys.
void WaitForRanks(c10d::TCPStore& store, int rank, int world_size, milliseconds timeout) {
  auto key = [](int r) { return "attend/joined/" + std::to_string(r); };
  store.set(key(rank), {1});
  std::vector<std::string> keys;
  for (int r = 0; r < world_size; ++r) keys.push_back(key(r));
  try {
    store.wait(keys, timeout);
  } catch (const std::exception&) {
    std::ostringstream missing;
    for (int r = 0; r < world_size; ++r) {
      if (!store.check({key(r)})) missing << (missing.tellp() > 0 ? ", " : "") << r;
    }
    std::ostringstream message;
    message << "rank " << rank << " waited " << timeout.count() / 1000 << " s for all " << world_size
            << " ranks; missing: rank " << missing.str() << ". Start every machine's ranks with the same "
            << "--nnodes, --master-addr and --master-port, each machine with its own --node-rank";
    throw std::runtime_error(message.str());
  }
}

// ProcessGroupGloo takes one timeout for its rendezvous and for every later collective (each gloo
// context keeps it). A run wants a short one to connect and a long one while rank 0 validates or saves.
class GlooGroup : public c10d::ProcessGroupGloo {
 public:
  using ProcessGroupGloo::ProcessGroupGloo;
  void SetTimeout(milliseconds timeout) {
    for (auto& context : contexts_) context->setTimeout(timeout);
  }
};

// (host, port, rank, worldSize, connectTimeoutMs, timeoutMs): connectTimeoutMs bounds joining (the
// store, every rank's arrival, the connections between ranks), timeoutMs every later collective.
Napi::Value GroupNew(const Napi::CallbackInfo& info) {
  std::string host = info[0].As<Napi::String>();
  int port = static_cast<int>(Int(info[1]));
  int rank = static_cast<int>(Int(info[2]));
  int world_size = static_cast<int>(Int(info[3]));
  milliseconds connect_timeout(Int(info[4]));
  milliseconds timeout(Int(info[5]));
  if (rank < 0 || rank >= world_size) throw Napi::RangeError::New(info.Env(), "rank must be in [0, worldSize)");
  auto handle = std::make_unique<GroupHandle>();
  handle->store = ConnectStore(host, port, rank, connect_timeout);
  WaitForRanks(*handle->store, rank, world_size, connect_timeout);
  auto options = c10d::ProcessGroupGloo::Options::create(connect_timeout);
  options->devices = GlooDevices();
  auto group = c10::make_intrusive<GlooGroup>(handle->store, rank, world_size, options);
  group->SetTimeout(timeout);
  handle->store->setTimeout(timeout);
  handle->group = group;
  return Napi::External<GroupHandle>::New(info.Env(), handle.release(),
                                          [](Napi::Env, GroupHandle* done) { delete done; });
}

// The tensors of the list, flattened into one buffer: one collective moves them all (what DDP's
// buckets do), whatever their shapes.
at::Tensor Flatten(const std::vector<at::Tensor>& tensors) {
  std::vector<at::Tensor> flat;
  flat.reserve(tensors.size());
  for (const at::Tensor& tensor : tensors) {
    if (tensor.scalar_type() != tensors.front().scalar_type()) throw std::invalid_argument("the tensors of one collective must share a dtype");
    flat.push_back(tensor.reshape({-1}));
  }
  return at::cat(flat);
}

void Unflatten(const at::Tensor& buffer, const std::vector<at::Tensor>& tensors) {
  at::NoGradGuard no_grad;
  int64_t offset = 0;
  for (const at::Tensor& tensor : tensors) {
    tensor.copy_(buffer.narrow(0, offset, tensor.numel()).view(tensor.sizes()));
    offset += tensor.numel();
  }
}

void Run(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(); }

Napi::Value AllReduceSum(const Napi::CallbackInfo& info) {
  GroupHandle& handle = GroupOf(info[0]);
  std::vector<at::Tensor> tensors = TensorList(info[1]);
  if (tensors.empty()) return info.Env().Undefined();
  std::vector<at::Tensor> buffer{Flatten(tensors)};
  Run(handle.group->allreduce(buffer, c10d::AllreduceOptions{}));
  Unflatten(buffer[0], tensors);
  return info.Env().Undefined();
}

// (group, tensors, root): every rank's tensors become root's.
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  GroupHandle& handle = GroupOf(info[0]);
  std::vector<at::Tensor> tensors = TensorList(info[1]);
  if (tensors.empty()) return info.Env().Undefined();
  std::vector<at::Tensor> buffer{Flatten(tensors)};
  c10d::BroadcastOptions options;
  options.rootRank = Int(info[2]);
  Run(handle.group->broadcast(buffer, options));
  Unflatten(buffer[0], tensors);
  return info.Env().Undefined();
}

Napi::Value Barrier(const Napi::CallbackInfo& info) {
  Run(GroupOf(info[0]).group->barrier(c10d::BarrierOptions{}));
  return info.Env().Undefined();
}

Napi::Value StoreSet(const Napi::CallbackInfo& info) {
  Napi::Uint8Array bytes = info[2].As<Napi::Uint8Array>();
  GroupOf(info[0]).store->set(info[1].As<Napi::String>(), std::vector<uint8_t>(bytes.Data(), bytes.Data() + bytes.ByteLength()));
  return info.Env().Undefined();
}

// Waits until some rank has set the key (up to the store's timeout).
Napi::Value StoreGet(const Napi::CallbackInfo& info) {
  std::vector<uint8_t> value = GroupOf(info[0]).store->get(info[1].As<Napi::String>());
  return Napi::Buffer<uint8_t>::Copy(info.Env(), value.data(), value.size());
}

// Joins gloo's threads and closes the sockets; rank 0 stops serving the store.
Napi::Value Close(const Napi::CallbackInfo& info) {
  GroupHandle& handle = GroupOf(info[0]);
  handle.group.reset();
  handle.store.reset();
  return info.Env().Undefined();
}

}  // namespace

void RegisterDistributed(Napi::Env env, Napi::Object exports) {
  Export<GroupNew>(env, exports, "groupNew");
  Export<AllReduceSum>(env, exports, "groupAllReduceSum");
  Export<Broadcast>(env, exports, "groupBroadcast");
  Export<Barrier>(env, exports, "groupBarrier");
  Export<StoreSet>(env, exports, "groupStoreSet");
  Export<StoreGet>(env, exports, "groupStoreGet");
  Export<Close>(env, exports, "groupClose");
}

}  // namespace attend
