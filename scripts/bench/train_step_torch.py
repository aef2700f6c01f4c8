"""The reference for scripts/bench/train-step.ts: the same Transformer, batch and step in PyTorch.

Post-norm Marian layout written plainly with nn.Linear / nn.LayerNorm, exactly the computation of
packages/model (tied embeddings scaled by sqrt(d), sin|cos positional table, q scaled by d_k^-0.5,
masked_fill(-1e9), label-smoothed cross-entropy ignoring <pad>, clip, Adam).

Driven over stdin/stdout by the TS script, one JSON object per line:
  -> {"run": N}   <- {"seconds": s, "tokens": n, "loss": l}   (N training steps)
  -> {"quit": true}   <- {"max_rss_kb": k}
Run alone: /usr/bin/python3 scripts/bench/train_step_torch.py --standalone 5
Parity (train-step-parity.test.ts): --parity WEIGHTS.safetensors IDS.json prints the eval-mode logits
of packages/model's weights (Hugging Face Marian names) as JSON.
"""

import json
import math
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, D, HEADS, D_FF, LAYERS = 8000, 256, 4, 1024, 3
BATCH, LENGTH, MAX_POS = 64, 32, 512
DROPOUT, SMOOTHING, CLIP, PAD = 0.1, 0.1, 1.0, 0


def sinusoids(n, d):
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    angle = pos / torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float64) / d)
    return torch.cat([angle.sin(), angle.cos()], dim=1).float()


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(D, D) for _ in range(4))
        self.scaling = (D // HEADS) ** -0.5

    def forward(self, x, kv, mask):
        b, t, _ = x.shape
        split = lambda y: y.view(b, -1, HEADS, D // HEADS).transpose(1, 2)
        q = split(self.q_proj(x) * self.scaling)
        k, v = split(self.k_proj(kv)), split(self.v_proj(kv))
        weights = (q @ k.transpose(2, 3)).masked_fill(mask, -1e9).softmax(-1)
        return self.out_proj((weights @ v).transpose(1, 2).reshape(b, t, D))


def residual(norm, x, y, training):
    return norm(x + F.dropout(y, DROPOUT, training))


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn, self.self_attn_layer_norm = Attention(), nn.LayerNorm(D)
        self.fc1, self.fc2, self.final_layer_norm = nn.Linear(D, D_FF), nn.Linear(D_FF, D), nn.LayerNorm(D)

    def forward(self, x, src_mask):
        x = residual(self.self_attn_layer_norm, x, self.self_attn(x, x, src_mask), self.training)
        return residual(self.final_layer_norm, x, self.fc2(F.relu(self.fc1(x))), self.training)


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn, self.self_attn_layer_norm = Attention(), nn.LayerNorm(D)
        self.encoder_attn, self.encoder_attn_layer_norm = Attention(), nn.LayerNorm(D)
        self.fc1, self.fc2, self.final_layer_norm = nn.Linear(D, D_FF), nn.Linear(D_FF, D), nn.LayerNorm(D)

    def forward(self, y, memory, self_mask, src_mask):
        y = residual(self.self_attn_layer_norm, y, self.self_attn(y, y, self_mask), self.training)
        y = residual(self.encoder_attn_layer_norm, y, self.encoder_attn(y, memory, src_mask), self.training)
        return residual(self.final_layer_norm, y, self.fc2(F.relu(self.fc1(y))), self.training)


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.shared = nn.Parameter(torch.randn(VOCAB, D) * D**-0.5)
        self.final_logits_bias = nn.Parameter(torch.zeros(VOCAB))
        self.register_buffer("positions", sinusoids(MAX_POS, D))
        self.encoder = nn.ModuleList(EncoderLayer() for _ in range(LAYERS))
        self.decoder = nn.ModuleList(DecoderLayer() for _ in range(LAYERS))
        for name, p in self.named_parameters():  # packages/model's init: Xavier weights, zero biases
            if p.dim() == 2 and name != "shared":
                nn.init.xavier_uniform_(p)
            elif name.endswith("_proj.bias") or ".fc" in name:
                nn.init.zeros_(p)
        with torch.no_grad():
            self.shared[PAD].zero_()

    def embed(self, ids):
        x = F.embedding(ids, self.shared, PAD) * math.sqrt(D) + self.positions[: ids.shape[1]]
        return F.dropout(x, DROPOUT, self.training)

    def forward(self, src, tgt_in):
        b, s = src.shape
        t = tgt_in.shape[1]
        src_mask = src.eq(PAD).view(b, 1, 1, s)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1).view(1, 1, t, t)
        x = self.embed(src)
        for layer in self.encoder:
            x = layer(x, src_mask)
        y = self.embed(tgt_in)
        for layer in self.decoder:
            y = layer(y, x, causal, src_mask)
        return F.linear(y, self.shared, self.final_logits_bias)


def load_marian(model, path):
    """Loads a safetensors file of Hugging Face Marian names: model.encoder.layers.0.fc1.weight -> encoder.0.fc1.weight."""
    raw = open(path, "rb").read()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    state = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        assert spec["dtype"] == "F32", f"{name}: {spec['dtype']}"
        start, end = (8 + size + offset for offset in spec["data_offsets"])
        tensor = torch.from_numpy(np.frombuffer(raw[start:end], dtype=np.float32).reshape(spec["shape"]).copy())
        if name == "model.encoder.embed_positions.weight":
            state["positions"] = tensor
        elif name != "model.decoder.embed_positions.weight":  # the same table
            key = "shared" if name == "model.shared.weight" else name.removeprefix("model.").replace(".layers.", ".")
            state[key] = tensor
    state["final_logits_bias"] = state["final_logits_bias"].view(-1)
    model.load_state_dict(state, strict=True)


def parity(weights, ids_path):
    model = Transformer()
    load_marian(model, weights)
    model.eval()
    ids = json.load(open(ids_path))
    with torch.no_grad():
        logits = model(torch.tensor(ids["src"]), torch.tensor(ids["tgt_in"]))
    print(json.dumps({"shape": list(logits.shape), "logits": logits.flatten().tolist()}))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--parity":
        parity(sys.argv[2], sys.argv[3])
        return
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = Transformer()
    model.train()
    params = list(model.parameters())
    adam = torch.optim.Adam(params, lr=5e-4, betas=(0.9, 0.98), eps=1e-9)
    src = torch.randint(3, VOCAB, (BATCH, LENGTH))
    tgt_out = torch.randint(3, VOCAB, (BATCH, LENGTH))
    tgt_in = torch.cat([torch.zeros(BATCH, 1, dtype=torch.long), tgt_out[:, :-1]], dim=1)

    def step():
        adam.zero_grad()
        logits = model(src, tgt_in)
        loss = F.cross_entropy(logits.view(-1, VOCAB), tgt_out.view(-1), ignore_index=PAD, label_smoothing=SMOOTHING)
        loss.backward()
        nn.utils.clip_grad_norm_(params, CLIP)
        adam.step()
        return loss.item(), int(tgt_out.ne(PAD).sum().item())

    def run(n):
        start = time.perf_counter()
        tokens, loss = 0, 0.0
        for _ in range(n):
            loss, count = step()
            tokens += count
        return {"seconds": time.perf_counter() - start, "tokens": tokens, "loss": loss}

    if len(sys.argv) == 3 and sys.argv[1] == "--standalone":
        result = run(int(sys.argv[2]))
        print(json.dumps({**result, "tokens_per_s": result["tokens"] / result["seconds"]}))
        return
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if "run" in command:
            print(json.dumps(run(int(command["run"]))), flush=True)
        else:
            print(json.dumps({"max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
            return


if __name__ == "__main__":
    main()
