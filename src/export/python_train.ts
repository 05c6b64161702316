// train_pytorch.py: continue training the exported model in plain PyTorch, one process or many under torchrun (DDP).
import type { ModelManifest } from './manifest';
import { PYTHON_DATA_SOURCE, PYTHON_WEIGHTS_SOURCE, pythonModelSource } from './python_data';
import { modelSummary, SCRIPT_DATA_NOTES } from './python_load';
import { PYTHON_TRAIN_GENERATE_SOURCE } from './python_train_generate';

export function trainPytorchScript(m: ModelManifest): string {
  // A text-generation model's script carries its own reading, loss and metrics (other models' scripts name none of them).
  const lm = m.task === 'generate';
  return String.raw`#!/usr/bin/env python3
"""Continues training an LSTM Playground model in PyTorch: ${modelSummary(m)}.

    pip install torch                                         # safetensors is used when installed, not needed
    python train_pytorch.py data.csv                          # one process, on the GPU if there is one
    python train_pytorch.py text.txt                          # a text-generation model: its .txt file (or CSV)
    torchrun --nproc_per_node=4 train_pytorch.py data.csv     # four GPUs (DistributedDataParallel)
    torchrun --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train_pytorch.py data.csv

data.csv has the columns the model was trained on. Every process rebuilds the same model, windows, normalization
and split from model.json, loads model.safetensors and continues with the same optimizer, learning rate, schedule,
loss and gradient clipping (the optimizer's moments start fresh: model.safetensors holds weights only). A
DistributedSampler gives each process its share of each epoch, so the batch of one step is --batch-size times the
number of processes. Rank 0 prints one JSON line per epoch and writes --out, which the playground imports with the
same model.json.

On the CSV the model was trained on, the windows, token ids and split are the playground's own, so the epoch-0
validation loss is the one the playground measured for the exported weights (metrics.json: the last epoch's, or the
best epoch's after early stopping) up to float rounding. The split: a forecast series trains on its first
floor(n (1 - validation - test)) positions, validates on those up to floor(n (1 - test)) and tests on the rest (n
counts inserted steps); a window belongs to the part holding all its targets, and windows straddling a boundary are
left out. Classifiers use the playground's seeded stratified split, reproduced exactly here: its mulberry32
generator seeded with model.json's seed; per class, in class order, a shuffle, then the test share, the validation
share, and the rest to train. Losses are in normalized units, as in the playground; a head on every step trains and
is scored on every step, while its MAE and RMSE (original units) are of the last step, as the playground reports
them. Epoch 0 reports the loaded weights' loss on the training windows (train_loss) and on the validation windows;
later epochs the mean training loss over the epoch's steps. With classWeights 'balanced' the cross-entropy is
nn.CrossEntropyLoss(weight=w), w_c = N / (C n_c) from the training split's class counts, as in the playground.
A text-generation model reads its text (a .txt file whole, or the CSV's text column joined with model.json's
separator), tokenized and cut by position as the playground cuts it, and trains on next-token cross-entropy over its
vocabulary at every step of every window (the mean over all steps); its metrics are next-token accuracy, perplexity
and bits per token (per character for a character model).

${SCRIPT_DATA_NOTES}
"""
import argparse
import array
import collections
import csv
import datetime
import decimal
import io
import itertools
import json
import math
import os
import re
import struct
import sys
import unicodedata
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
${PYTHON_WEIGHTS_SOURCE}
${pythonModelSource(m.parameters)}
${PYTHON_DATA_SOURCE}
${lm ? PYTHON_TRAIN_GENERATE_SOURCE : ''}

def setup_processes():
    """(distributed, rank, world_size, device); torchrun sets RANK, LOCAL_RANK and WORLD_SIZE."""
    cuda = torch.cuda.is_available()
    if "RANK" not in os.environ:
        return False, 0, 1, torch.device("cuda" if cuda else "cpu")
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if cuda:
        torch.cuda.set_device(local_rank)
    dist.init_process_group(backend="nccl" if cuda else "gloo")
    return True, dist.get_rank(), dist.get_world_size(), torch.device("cuda", local_rank) if cuda else torch.device("cpu")


def dataset(examples, c, part):
    chosen = [e for e in examples if e["part"] == part]
    if not chosen:
        return None
    x = torch.tensor([e["x"] for e in chosen], dtype=torch.long if c["vocabSize"] > 0 else torch.float32)
    y = torch.tensor([e["y"] for e in chosen], dtype=torch.long if c["loss"] == "cross_entropy" else torch.float32)
    data = TensorDataset(x, y)
    data.offsets = [e["offset"] for e in chosen]  # forecasts: what decode_outputs adds back (None for classes)
    return data


def balanced_class_weights(y, classes):
    """The playground's classWeights 'balanced': w_c = N / (C n_c) from the N training targets, rounded to float32
    once; a class absent from training weighs 0."""
    counts = torch.bincount(y, minlength=classes).double()
    return torch.where(counts > 0, len(y) / (classes * counts.clamp(min=1)), torch.zeros_like(counts)).float()


def loss_function(c, train_set):${lm ? '\n    if c["headOn"] == "every_step":\n        return NextTokenLoss()' : ''}
    if c["loss"] == "cross_entropy" and c.get("classWeights", "none") == "balanced":
        return nn.CrossEntropyLoss(weight=balanced_class_weights(train_set.tensors[1], c["outputSize"]))
    return {
        "mse": nn.MSELoss,
        "mae": nn.L1Loss,
        "huber": lambda: nn.HuberLoss(delta=1.0),
        "cross_entropy": nn.CrossEntropyLoss,
    }[c["loss"]]()


def make_optimizer(parameters, c):
    if c["optimizer"] == "sgd":
        return torch.optim.SGD(parameters, lr=c["learningRate"], momentum=c["momentum"], weight_decay=c["weightDecay"])
    kind = torch.optim.AdamW if c["optimizer"] == "adamw" else torch.optim.Adam
    return kind(parameters, lr=c["learningRate"], betas=(c["beta1"], c["beta2"]), eps=c["eps"], weight_decay=c["weightDecay"])


def make_schedule(optimizer, c, epochs):
    s = c["schedule"]
    if s == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=c["scheduleStepEpochs"], gamma=c["scheduleGamma"])
    if s == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, epochs), eta_min=c["minLearningRate"])
    if s == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="min", factor=c["scheduleGamma"], patience=c["schedulePatience"], min_lr=c["minLearningRate"]
        )
    return None


def evaluate(model, data, m, loss_fn, device, prefix):
    """Loss (normalized units) and metrics in original units on a whole split; every process computes the same."""
    if data is None:
        return {}
    c = m["config"]
    model.eval()
    x, y = data.tensors
    chunk = 64 if m["task"] == "generate" else 4096  # a text model's logits are window x vocabulary per sample
    with torch.no_grad():
        out = torch.cat([model(x[i:i + chunk].to(device)).float().cpu() for i in range(0, len(x), chunk)])
    metrics = {f"{prefix}_loss": loss_fn(out, y).item()}${lm ? '\n    return {**metrics, **next_token_metrics(m, out, y, metrics[f"{prefix}_loss"], prefix)}' : ''}
    if c["headOn"] == "every_step":
        out, y = out[:, -1, :], y[:, -1, :]
    if c["loss"] == "cross_entropy":
        metrics[f"{prefix}_accuracy"] = (out.argmax(-1) == y).float().mean().item()
    else:
        error = decode_outputs(m, out.double(), data.offsets) - decode_outputs(m, y.double(), data.offsets)
        metrics[f"{prefix}_mae"] = error.abs().mean().item()
        metrics[f"{prefix}_rmse"] = error.pow(2).mean().sqrt().item()
    return metrics


def main():
    parser = argparse.ArgumentParser(description="Continue training an LSTM Playground model in PyTorch (torchrun-ready).")
    parser.add_argument("csv", help="CSV with the columns the model was trained on (a text-generation model: its .txt file or CSV)")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parent), help="folder with model.json and model.safetensors")
    parser.add_argument("--epochs", type=int, default=None, help="epochs to train (default: the playground's epochs)")
    parser.add_argument("--batch-size", type=int, default=None, help="windows per step and process (default: the playground's batch size)")
    parser.add_argument("--out", default="model_continued.safetensors", help="where rank 0 writes the trained weights")
    args = parser.parse_args()

    distributed, rank, world, device = setup_processes()
    model, m = load_model(args.model_dir)
    c = m["config"]
    if c["loss"] == "cross_entropy" and c["headOn"] == "every_step" and m["task"] != "generate":
        raise SystemExit("This script trains classifiers with a head on the last step only.")
    torch.manual_seed(m["seed"])
    examples = ${lm ? 'generate_examples' : 'build_examples'}(m, args.csv)
    train_set, val_set, test_set = (dataset(examples, c, part) for part in (0, 1, 2))
    if train_set is None:
        raise SystemExit(f"{args.csv} gives no training windows.")
    epochs = args.epochs if args.epochs is not None else c["epochs"]
    batch_size = args.batch_size or c["batchSize"]

    model.to(device)
    net = model
    sampler = None
    if distributed:
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
        sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=m["seed"])
        loader = DataLoader(train_set, batch_size=batch_size, sampler=sampler, pin_memory=device.type == "cuda")
    else:
        loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(m["seed"]))
    loss_fn = loss_function(c, train_set)  # evaluate() scores on the CPU; the steps use a copy on the device
    step_loss_fn = loss_function(c, train_set).to(device)
    optimizer = make_optimizer(net.parameters(), c)
    schedule = make_schedule(optimizer, c, epochs)
    if rank == 0:
        counts = {"train_windows": len(train_set), "val_windows": len(val_set) if val_set else 0, "test_windows": len(test_set) if test_set else 0}
        print(json.dumps({**counts, "processes": world, "device": str(device), "weights": WEIGHTS_IO}), flush=True)
        start = {**evaluate(model, train_set, m, loss_fn, device, "train"), **evaluate(model, val_set, m, loss_fn, device, "val")}
        print(json.dumps({"epoch": 0, **{k: v for k, v in start.items() if k == "train_loss" or k.startswith("val_")}}), flush=True)

    for epoch in range(1, epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        total = torch.zeros(2, dtype=torch.float64, device=device)
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            loss = step_loss_fn(net(x), y)
            loss.backward()
            if c["clipNorm"] > 0:
                nn.utils.clip_grad_norm_(net.parameters(), c["clipNorm"])
            optimizer.step()
            total += torch.stack([loss.detach().double() * len(x), torch.tensor(float(len(x)), dtype=torch.float64, device=device)])
        if distributed:
            dist.all_reduce(total)
        metrics = evaluate(model, val_set, m, loss_fn, device, "val")
        if isinstance(schedule, torch.optim.lr_scheduler.ReduceLROnPlateau):
            schedule.step(metrics.get("val_loss", (total[0] / total[1]).item()))
        elif schedule is not None:
            schedule.step()
        if rank == 0:
            line = {"epoch": epoch, "train_loss": (total[0] / total[1]).item(), **metrics, "lr": optimizer.param_groups[0]["lr"]}
            print(json.dumps(line), flush=True)

    if rank == 0:
        final = evaluate(model, test_set, m, loss_fn, device, "test")
        if final:
            print(json.dumps(final), flush=True)
        state = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items()}
        save_weights(state, args.out, {"format": m["format"], "config": json.dumps(c)})
        print(json.dumps({"saved": args.out}), flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
