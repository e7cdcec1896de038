"""Energy of Llama 3.1 8B-shaped inference on the GPU this runs on, read from the driver's energy counter.

Bound's energy model (models/ENERGY.md) estimates what an avoided request would have cost from a
roofline and a power curve. This script measures the same quantities on a real accelerator: the
time and GPU energy of one decode step at several batch sizes and of a prefill, for a model with
Llama 3.1 8B's shapes (32 layers, hidden 4096, 32 query and 8 KV heads of 128, MLP 14336, vocabulary
128256, bf16). The weights are random: the work, the bytes moved and nearly all the power do not
depend on their values, and no real weights can be fetched on the measuring machine.

It is a floor for a serving engine, not a serving engine: one decode step is a CUDA graph of plain
PyTorch operations (no scheduler, no sampling beyond argmax, no paging), every sequence of a batch at
the same context length, and no rotary embedding (a few element-wise operations per step). A first
version that computed decode attention with two batched matrix products and the norm in six
element-wise kernels reached 1.2 to 2.2 TB/s; the fused kernels below are what a serving engine uses.

Energy is the difference of NVML's total-energy counter (millijoules since the driver loaded) over
each measured window; a thread that samples NVML's power reading every 10 ms gives a second figure.

Run: python3 decode_energy.py OUT.json   (needs PyTorch with CUDA and nvidia-ml-py; about a minute)
"""

import json
import math
import sys
import threading
import time

import pynvml
import torch
import torch.nn.functional as F

HIDDEN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, MLP, VOCAB = 4096, 32, 32, 8, 128, 14336, 128256
PROMPT, OUTPUT = 500, 717            # the shape models/ENERGY.md compares ML.ENERGY's figures on
MEAN_CONTEXT = PROMPT + OUTPUT // 2  # decode positions run from 500 to 1216; the mean is 858
WINDOW_S = 3.0                       # each measured window; NVML's counter updates every few tens of ms
BATCHES = [1, 8, 16, 32, 64, 128, 256]
PREFILL_BATCH = 8                    # 8 prompts of 500 tokens per forward pass

dev = torch.device("cuda")
bf16 = torch.bfloat16
pynvml.nvmlInit()
nvml = pynvml.nvmlDeviceGetHandleByIndex(0)


def energy_mj():
    """The driver's energy counter in millijoules, or None where the driver does not give it."""
    try:
        return pynvml.nvmlDeviceGetTotalEnergyConsumption(nvml)
    except pynvml.NVMLError:
        return None


class PowerSampler:
    """Samples the board power every 10 ms while open; mean() is the average in watts."""

    def __enter__(self):
        self.samples, self.running = [], True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        self.clocks = []
        while self.running:
            self.samples.append(pynvml.nvmlDeviceGetPowerUsage(nvml) / 1000.0)
            self.clocks.append(pynvml.nvmlDeviceGetClockInfo(nvml, pynvml.NVML_CLOCK_SM))
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    def mean(self):
        return sum(self.samples) / len(self.samples) if self.samples else float("nan")

    def median_clock(self):
        return sorted(self.clocks)[len(self.clocks) // 2] if self.clocks else None


def measure(run_once, calls):
    """Runs run_once `calls` times; returns seconds, joules, mean sampled watts and the median SM
    clock. Joules come from the energy counter, or from the sampled power where there is none."""
    torch.cuda.synchronize()
    with PowerSampler() as power:
        e0, t0 = energy_mj(), time.perf_counter()
        for _ in range(calls):
            run_once()
        torch.cuda.synchronize()
        t1, e1 = time.perf_counter(), energy_mj()
    joules = (e1 - e0) / 1000.0 if e0 is not None else power.mean() * (t1 - t0)
    return t1 - t0, joules, power.mean(), power.median_clock()


def calls_for(run_once):
    """How many calls fill WINDOW_S, from a short timed warm-up."""
    for _ in range(3):
        run_once()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(5):
        run_once()
    torch.cuda.synchronize()
    return max(5, math.ceil(WINDOW_S / ((time.perf_counter() - t0) / 5)))


def weights(*shape):
    return torch.empty(*shape, dtype=bf16, device=dev).normal_(0, 0.02)


class Layer:
    def __init__(self):
        self.wqkv = weights(HIDDEN, HIDDEN + 2 * KV_HEADS * HEAD_DIM)
        self.wo = weights(HIDDEN, HIDDEN)
        self.wgu = weights(HIDDEN, 2 * MLP)
        self.wd = weights(MLP, HIDDEN)
        self.n1 = torch.ones(HIDDEN, dtype=bf16, device=dev)
        self.n2 = torch.ones(HIDDEN, dtype=bf16, device=dev)


def rmsnorm(x, w):
    return F.rms_norm(x, (HIDDEN,), w, 1e-5)


torch.manual_seed(0)
embedding = weights(VOCAB, HIDDEN)
head = weights(HIDDEN, VOCAB)
final_norm = torch.ones(HIDDEN, dtype=bf16, device=dev)
layers = [Layer() for _ in range(LAYERS)]
weight_bytes = sum(t.numel() * t.element_size() for t in
                   [embedding, head] + [w for l in layers for w in (l.wqkv, l.wo, l.wgu, l.wd)])
# What one decode step reads: every weight but the embedding table, of which it reads B rows.
step_weight_bytes = weight_bytes - embedding.numel() * embedding.element_size()
kv_bytes_per_token = LAYERS * 2 * KV_HEADS * HEAD_DIM * 2


def mlp_and_residual(x, layer):
    g, u = (rmsnorm(x, layer.n2) @ layer.wgu).split(MLP, -1)
    return x + (F.silu(g) * u) @ layer.wd


def decode_step(tokens, caches, position):
    """One token for each of the batch's sequences, attending to `position` cached ones."""
    b = tokens.shape[0]
    x = embedding[tokens]
    for layer, (k_cache, v_cache) in zip(layers, caches):
        qkv = rmsnorm(x, layer.n1) @ layer.wqkv
        q = qkv[:, :HIDDEN].view(b, KV_HEADS, HEADS // KV_HEADS, HEAD_DIM)
        k_cache[:, :, position] = qkv[:, HIDDEN:HIDDEN + KV_HEADS * HEAD_DIM].view(b, KV_HEADS, HEAD_DIM)
        v_cache[:, :, position] = qkv[:, HIDDEN + KV_HEADS * HEAD_DIM:].view(b, KV_HEADS, HEAD_DIM)
        # The query heads that share a KV head attend as that head's rows, in one fused kernel.
        attention = F.scaled_dot_product_attention(q, k_cache, v_cache)
        x = x + attention.reshape(b, HIDDEN) @ layer.wo
        x = mlp_and_residual(x, layer)
    return (rmsnorm(x, final_norm) @ head).argmax(-1)


def prefill(tokens):
    """A forward pass over whole prompts: tokens is (prompts, PROMPT); returns each one's next token."""
    b, p = tokens.shape
    x = embedding[tokens].view(b * p, HIDDEN)
    for layer in layers:
        qkv = rmsnorm(x, layer.n1) @ layer.wqkv
        q = qkv[:, :HIDDEN].view(b, p, HEADS, HEAD_DIM).transpose(1, 2)
        k = qkv[:, HIDDEN:HIDDEN + KV_HEADS * HEAD_DIM].view(b, p, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = qkv[:, HIDDEN + KV_HEADS * HEAD_DIM:].view(b, p, KV_HEADS, HEAD_DIM).transpose(1, 2)
        attention = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + attention.transpose(1, 2).reshape(b * p, HIDDEN) @ layer.wo
        x = mlp_and_residual(x, layer)
    last = x.view(b, p, HIDDEN)[:, -1]
    return (rmsnorm(last, final_norm) @ head).argmax(-1)


def decode_row(batch):
    caches = [(weights(batch, KV_HEADS, MEAN_CONTEXT + 1, HEAD_DIM),
               weights(batch, KV_HEADS, MEAN_CONTEXT + 1, HEAD_DIM)) for _ in range(LAYERS)]
    tokens = torch.randint(0, VOCAB, (batch,), device=dev)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(2):
            decode_step(tokens, caches, MEAN_CONTEXT)
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        decode_step(tokens, caches, MEAN_CONTEXT)
    calls = calls_for(graph.replay)
    seconds, joules, sampled_w, clock = measure(graph.replay, calls)
    step_s = seconds / calls
    read = step_weight_bytes + batch * (MEAN_CONTEXT + 1) * kv_bytes_per_token
    row = {"batch": batch, "context": MEAN_CONTEXT, "steps": calls, "step_ms": step_s * 1e3,
           "joules_per_token": joules / (calls * batch), "watts": joules / seconds,
           "watts_sampled": sampled_w, "bytes_read_per_step": read,
           "bandwidth_tb_s": read / step_s / 1e12, "sm_clock_mhz": clock}
    del graph, caches
    torch.cuda.empty_cache()
    return row


def prefill_row():
    tokens = torch.randint(0, VOCAB, (PREFILL_BATCH, PROMPT), device=dev)
    run = lambda: prefill(tokens)
    calls = calls_for(run)
    seconds, joules, sampled_w, clock = measure(run, calls)
    prompt_tokens = calls * PREFILL_BATCH * PROMPT
    params = step_weight_bytes / 2
    flops = (2 * params * PROMPT + 2 * 2 * LAYERS * PROMPT * (PROMPT / 2) * HEADS * HEAD_DIM) \
        * PREFILL_BATCH * calls
    return {"prompts": PREFILL_BATCH, "prompt_tokens": PROMPT, "calls": calls,
            "joules_per_prompt": joules / (calls * PREFILL_BATCH),
            "joules_per_prompt_token": joules / prompt_tokens, "watts": joules / seconds,
            "watts_sampled": sampled_w, "tflop_s": flops / seconds / 1e12, "sm_clock_mhz": clock}


def attempt(measurement):
    """One row, or the error that stopped it, so that one failure does not lose the others."""
    try:
        row = measurement()
    except Exception as e:  # reported in the output, never hidden
        row = {"error": f"{type(e).__name__}: {e}"}
    torch.cuda.empty_cache()
    print(json.dumps(row), flush=True)
    return row


def main(out_path):
    props = torch.cuda.get_device_properties(0)
    result = {"gpu": props.name, "torch": torch.__version__,
              "driver": pynvml.nvmlSystemGetDriverVersion(),
              "power_limit_w": pynvml.nvmlDeviceGetEnforcedPowerLimit(nvml) / 1000.0,
              "weight_bytes": weight_bytes, "step_weight_bytes": step_weight_bytes,
              "kv_bytes_per_token": kv_bytes_per_token}
    torch.cuda.synchronize()
    time.sleep(1.0)
    result["energy_counter"] = energy_mj() is not None
    seconds, joules, result["idle_watts_sampled"], _ = measure(lambda: time.sleep(0.1), 20)
    result["idle_watts"] = joules / seconds
    print(json.dumps(result), flush=True)
    result["prefill"] = attempt(prefill_row)
    result["decode"] = [attempt(lambda: decode_row(batch)) for batch in BATCHES]
    # Joules per output token of a 500-prompt, 717-output request at each batch: its share of
    # the prefill plus its 717 decode steps, per output token.
    for row in result["decode"]:
        if "joules_per_token" in row and "joules_per_prompt" in result["prefill"]:
            row["joules_per_output_token_with_prefill"] = \
                row["joules_per_token"] + result["prefill"]["joules_per_prompt"] / OUTPUT
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "decode-energy.json")
