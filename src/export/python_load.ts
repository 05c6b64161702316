// load_in_pytorch.py: rebuild the exported model in PyTorch, load model.safetensors, and predict on an array or a CSV.
import type { ModelManifest } from './manifest';
import { PYTHON_DATA_SOURCE, pythonModelSource } from './python_data';

/** One line naming the model, safe inside a Python docstring (no user-supplied text). */
export function modelSummary(m: ModelManifest): string {
  const c = m.config;
  const emb = c.vocabSize > 0 ? `${c.vocabSize}-token embedding -> ` : '';
  return `${emb}${c.numLayers}-layer ${c.bidirectional ? 'bidirectional ' : ''}${c.cell.toUpperCase()} (hidden ${c.hiddenSize}) -> linear head (${c.outputSize} outputs, ${c.headOn.replace('_', ' ')}), task ${m.task}`;
}

export function loadInPytorchScript(m: ModelManifest): string {
  return String.raw`#!/usr/bin/env python3
"""Loads an LSTM Playground model in PyTorch and predicts: ${modelSummary(m)}.

    pip install torch safetensors
    python load_in_pytorch.py new_data.csv > predictions.csv   # a CSV with the columns the model was trained on
    python load_in_pytorch.py                                  # one all-zero window, to check that it loads

model.json and model.safetensors are read from --model-dir (default: this script's folder). In your own code:

    model, manifest = load_model("path/to/export")
    y = predict(model, manifest, x)   # x: raw values [batch, window, features] in manifest["inputColumns"] order

predict() returns what model.onnx returns: predictions in original units, or class logits for a classifier.
"""
import argparse
import csv
import datetime
import io
import json
import math
import random
import re
import sys
from pathlib import Path

import torch
from torch import nn
from safetensors.torch import load_file
${pythonModelSource(m.parameters)}
${PYTHON_DATA_SOURCE}

def predict_normalized(model, manifest, x):
    """Model outputs for normalized inputs (or token ids), de-normalized to original units for regression."""
    c = manifest["config"]
    with torch.no_grad():
        out = model(torch.as_tensor(x, dtype=torch.long if c["vocabSize"] > 0 else torch.float32))
    if c["loss"] == "cross_entropy":
        return out
    a, b = scales(manifest["normalization"]["targets"], c["outputSize"])
    return out * torch.tensor(b) + torch.tensor(a)


def predict(model, manifest, x):
    """x: raw values [batch, window, features] (token ids [batch, window] for a text model)."""
    c = manifest["config"]
    if c["vocabSize"] > 0:
        return predict_normalized(model, manifest, x)
    a, b = scales(manifest["normalization"]["inputs"], c["inputSize"])
    return predict_normalized(model, manifest, (torch.as_tensor(x, dtype=torch.float32) - torch.tensor(a)) / torch.tensor(b))


def output_names(manifest):
    c, targets = manifest["config"], manifest["targetColumns"]
    if c["loss"] == "cross_entropy":
        return ["class"] + [f"p({name})" for name in manifest["classNames"]]
    per_step = c["outputSize"] // len(targets)
    names = [t if per_step == 1 else f"{t}+{s + 1}" for s in range(per_step) for t in targets]
    return names if c["headOn"] == "last_step" else [f"{n}@{t}" for t in range(c["window"]) for n in names]


def main():
    parser = argparse.ArgumentParser(description="Predict with an LSTM Playground model in PyTorch.")
    parser.add_argument("csv", nargs="?", help="CSV with the training columns; one prediction per complete window (or row / sequence)")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parent), help="folder with model.json and model.safetensors")
    args = parser.parse_args()
    model, m = load_model(args.model_dir)
    c = m["config"]
    if args.csv is None:
        x = torch.zeros((1, c["window"]) if c["vocabSize"] > 0 else (1, c["window"], c["inputSize"]))
        print(predict(model, m, x))
        return
    examples = build_examples(m, args.csv, with_targets=False)
    out = csv.writer(sys.stdout)
    out.writerow(["row"] + output_names(m))
    for start in range(0, len(examples), 1024):
        batch = examples[start:start + 1024]
        y = predict_normalized(model, m, [e["x"] for e in batch]).reshape(len(batch), -1)
        for e, values in zip(batch, y.tolist()):
            if c["loss"] == "cross_entropy":
                probs = torch.softmax(torch.tensor(values), -1).tolist()
                out.writerow([e["row"], m["classNames"][max(range(len(probs)), key=probs.__getitem__)]] + [f"{p:.6g}" for p in probs])
            else:
                out.writerow([e["row"]] + [f"{v:.9g}" for v in values])


if __name__ == "__main__":
    main()
`;
}
