# PyTorch (cuDNN) timing of the same LSTM training steps as `npm run bench`, for GPU machines: one JSON array.
import json
import sys
import time

import torch

CONFIGS = {"S": (32, 1, 64, 64, 1), "M": (64, 8, 128, 128, 2), "L": (128, 32, 256, 256, 2), "XL": (256, 64, 512, 256, 1)}


def flops(T, I, H, B, layers):
    per = sum(2 * 4 * H * ((I if l == 0 else H) + H) for l in range(layers))
    return 3 * per * B * T


class Model(torch.nn.Module):
    def __init__(self, I, H, layers):
        super().__init__()
        self.lstm = torch.nn.LSTM(I, H, layers, batch_first=True)
        self.head = torch.nn.Linear(H, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def bench(name, tf32, steps=50, warmup=10):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    T, I, H, B, layers = CONFIGS[name]
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = Model(I, H, layers).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(B, T, I, device=dev) * 2 - 1
    y = torch.rand(B, 1, device=dev) * 2 - 1
    loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    ms = (time.perf_counter() - t0) * 1000 / steps
    return {"config": name, "engine": "torch-cudnn" + ("-tf32" if tf32 else "-fp32"), "adapter": torch.cuda.get_device_name(0),
            "msPerStep": ms, "samplesPerSec": B * 1000 / ms, "gflops": flops(T, I, H, B, layers) / (ms / 1000) / 1e9}


if __name__ == "__main__":
    names = sys.argv[1].split(",") if len(sys.argv) > 1 else list(CONFIGS)
    rows = [bench(n, tf32) for n in names for tf32 in (False, True)]
    print(json.dumps(rows))
