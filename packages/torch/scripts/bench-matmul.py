# The PyTorch side of bench-matmul.ts (same shapes, same loop), single-threaded.
import statistics
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(64, 32, 256, requires_grad=True)
w = torch.randn(256, 1024, requires_grad=True)


def matmul_step():
    x.matmul(w).sum().backward()


# CPU time, not wall time (see bench-matmul.ts).
for _ in range(3):
    matmul_step()
wall, cpu = [], []
for _ in range(30):
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    matmul_step()
    wall.append((time.perf_counter() - wall_start) * 1000)
    cpu.append((time.process_time() - cpu_start) * 1000)

a, b = torch.ones(1), torch.ones(1)
adds = 20_000
start = time.process_time()
for _ in range(adds):
    a.add(b)
add_micros = (time.process_time() - start) * 1e6 / adds

print(
    f"torch {torch.__version__}: matmul fwd+bwd median cpu {statistics.median(cpu):.2f} ms, "
    f"wall {statistics.median(wall):.2f} ms (threads {torch.get_num_threads()}); tiny add {add_micros:.2f} us cpu/op"
)
