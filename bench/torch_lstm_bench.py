# PyTorch timing of the same LSTM training step as `npm run bench` (forward, backward, Adam, MSE): fp32 on the CPU, the bench's out-of-browser row torch-cpu, or cuDNN on CUDA; one JSON object out.
#
#   python3 bench/torch_lstm_bench.py [--device cpu|cuda] [--configs S,M] [--steps 3] [--warmup 1] [--data DIR] [--threads N]
#
# Prints {"rows": [...], "misses": [...], "torch": version} on stdout; each row has the bench's fields (config, engine,
# adapter, msPerStep, samplesPerSec, gflops) and lossBefore/lossAfter: the MSE on the batch before the warm-up and after
# the timed steps, for the bench's check that it trains. --data DIR reads the bench's own batch (DIR/<config>.x.f32
# [B][T][I] and DIR/<config>.y.f32 [B], little-endian float32, written by src/bench/torch_peer.ts); without it the batch
# is uniform in [-1, 1) from a fixed seed. Exit status 3, with {"unavailable": reason}, when torch cannot be imported.
import argparse
import json
import os
import platform
import sys
import time

CONFIGS = {"S": (32, 1, 64, 64, 1), "M": (64, 8, 128, 128, 2), "L": (128, 32, 256, 256, 2), "XL": (256, 64, 512, 256, 1)}

try:
    import torch
except Exception as e:  # ImportError, or a broken install raising something else
    print(json.dumps({"unavailable": f"{sys.executable} cannot import torch: {type(e).__name__}: {e}"}))
    sys.exit(3)


def flops(T, I, H, B, layers):
    per = sum(2 * 4 * H * ((I if l == 0 else H) + H) for l in range(layers))
    return 3 * per * B * T


class Model(torch.nn.Module):
    """nn.LSTM (batch first) and a Linear head on the last step: the model every engine of the bench trains."""

    def __init__(self, I, H, layers):
        super().__init__()
        self.lstm = torch.nn.LSTM(I, H, layers, batch_first=True)
        self.head = torch.nn.Linear(H, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_batch(name, data_dir, dev):
    T, I, H, B, layers = CONFIGS[name]
    if data_dir is None:
        g = torch.Generator().manual_seed(7)
        x = torch.rand(B, T, I, generator=g) * 2 - 1
        y = torch.rand(B, 1, generator=g) * 2 - 1
    else:
        def read(suffix, shape):
            with open(os.path.join(data_dir, f"{name}.{suffix}.f32"), "rb") as f:
                raw = bytearray(f.read())
            t = torch.frombuffer(raw, dtype=torch.float32)
            if t.numel() != torch.Size(shape).numel():
                raise ValueError(f"{name}.{suffix}.f32 holds {t.numel()} floats, expected {shape}")
            return t.reshape(shape).clone()

        x, y = read("x", (B, T, I)), read("y", (B, 1))
    return x.to(dev), y.to(dev)


def bench(name, dev, engine, steps, warmup, data_dir, tf32=False):
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
    T, I, H, B, layers = CONFIGS[name]
    torch.manual_seed(0)
    model = Model(I, H, layers).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = load_batch(name, data_dir, dev)
    loss_fn = torch.nn.MSELoss()

    def batch_loss():
        with torch.no_grad():
            return float(loss_fn(model(x), y))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    loss_before = batch_loss()
    for _ in range(warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    ms = (time.perf_counter() - t0) * 1000 / steps
    loss_after = batch_loss()
    if dev.type == "cuda":
        adapter = f"{torch.cuda.get_device_name(0)} (torch {torch.__version__})"
    else:
        adapter = f"CPU: {cpu_name()} (torch {torch.__version__}, {torch.get_num_threads()} thread{'' if torch.get_num_threads() == 1 else 's'}, fp32)"
    return {"config": name, "engine": engine, "adapter": adapter, "msPerStep": ms, "samplesPerSec": B * 1000 / ms,
            "gflops": flops(T, I, H, B, layers) / (ms / 1000) / 1e9, "lossBefore": loss_before, "lossAfter": loss_after}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--configs", default="S,M")
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--data", default=None, help="folder with the bench's batches (<config>.x.f32, <config>.y.f32)")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: torch's own choice)")
    a = p.parse_args()
    names = [n for n in a.configs.split(",") if n]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        p.error(f"unknown configs {unknown}; choose from {list(CONFIGS)}")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.set_default_dtype(torch.float32)
    if a.device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"unavailable": "torch.cuda.is_available() is False"}))
        sys.exit(3)
    dev = torch.device(a.device)
    variants = [("torch-cpu", False)] if a.device == "cpu" else [("torch-cudnn-fp32", False), ("torch-cudnn-tf32", True)]
    rows, misses = [], []
    for n in names:
        for engine, tf32 in variants:
            try:
                rows.append(bench(n, dev, engine, a.steps, a.warmup, a.data, tf32))
            except Exception as e:  # one config failing must not lose the others
                misses.append({"config": n, "engine": engine, "reason": f"{type(e).__name__}: {e}"})
            print(f"[torch] {n} {engine} done", file=sys.stderr, flush=True)
    print(json.dumps({"rows": rows, "misses": misses, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
