// load_in_pytorch.py: rebuild the exported model in PyTorch, load model.safetensors, and predict on an array or a CSV.
import type { ModelManifest } from './manifest';
import { PYTHON_DATA_SOURCE, PYTHON_WEIGHTS_SOURCE, pythonModelSource } from './python_data';
import { PYTHON_GENERATE_SOURCE } from './python_generate';

/** One line naming the model, safe inside a Python docstring (no user-supplied text). */
export function modelSummary(m: ModelManifest): string {
  const c = m.config;
  const emb = c.vocabSize > 0 ? `${c.vocabSize}-token embedding -> ` : '';
  return `${emb}${c.numLayers}-layer ${c.bidirectional ? 'bidirectional ' : ''}${c.cell.toUpperCase()} (hidden ${c.hiddenSize}) -> linear head (${c.outputSize} outputs, ${c.headOn.replace('_', ' ')}), task ${m.task}`;
}

/** The header paragraph both scripts share: what they read, which windows, which rows, and the weights reader. */
export const SCRIPT_DATA_NOTES = String.raw`The CSV is read as the playground reads it (delimiter, header, decimal mark, column types, dates, missing cells)
and turned into the same samples: a forecast series is grouped (groupColumn) and put in time order (timeColumn); a
gap in time of more than 1.5 usual steps (the median step) is filled with inserted steps when the missing-value
policy fills values (forward-fill or interpolation, gaps up to 1000 steps) and otherwise breaks the series, so that
no window crosses it; a window touching a missing value is left out. Row numbers are the playground's: row N is the
N-th data row of the CSV (the header and blank lines not counted); a forecast belongs to the row of its window's
last input step (none for a step inserted into a gap), a text or wide sequence to its own row, a long sequence to
its series. Needs only torch (1.10 or later): model.safetensors is read, and train_pytorch.py's weights written,
with the safetensors package when it is installed and otherwise with the small reader and writer in this script
(LSTM_PLAYGROUND_SAFETENSORS=builtin uses them even with the package).`;

export function loadInPytorchScript(m: ModelManifest): string {
  return String.raw`#!/usr/bin/env python3
"""Loads an LSTM Playground model in PyTorch and predicts: ${modelSummary(m)}.

    pip install torch                                          # safetensors is used when installed, not needed
    python load_in_pytorch.py new_data.csv > predictions.csv   # a CSV with the columns the model was trained on
    python load_in_pytorch.py                                  # one all-zero window, to check that it loads

predictions.csv is what "lstm-playground predict DIR new_data.csv" writes, from the same windows and with the same
row numbers and columns: for a forecast every window of the model's window length in each series (stride 1, so the
last window of a series predicts past the end of the file) with the series, last_row, last_<time column> and one
column per output in original units (a head on every step gives its last step's outputs, as predict does); for a
classifier one line per row (text, wide sequences) or series (long sequences) with the predicted class and the
softmax probability of each class.

${SCRIPT_DATA_NOTES}

model.json and model.safetensors are read from --model-dir (default: this script's folder). In your own code:

    model, manifest = load_model("path/to/export")
    y = predict(model, manifest, x)   # x: raw values [batch, window, features] in manifest["inputColumns"] order

predict() returns what model.onnx returns: predictions in original units, or class logits for a classifier.
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
from torch import nn
${PYTHON_WEIGHTS_SOURCE}
${pythonModelSource(m.parameters)}
${PYTHON_DATA_SOURCE}

def predict_normalized(model, manifest, x, offsets=None):
    """Model outputs for normalized inputs (or token ids); regression outputs go back to original units with each
    sample's offsets (build_examples gives them; needed under a time-mixing transform) or the target normalization."""
    c = manifest["config"]
    with torch.no_grad():
        out = model(torch.as_tensor(x, dtype=torch.long if c["vocabSize"] > 0 else torch.float32))
    if c["loss"] == "cross_entropy":
        return out
    if offsets is None:
        a, _ = scales(manifest["normalization"]["targets"], c["outputSize"])
        offsets = [a] * len(out)
    if c["headOn"] == "every_step":
        return torch.stack([decode_outputs(manifest, out[:, i, :], offsets) for i in range(out.shape[1])], 1)
    return decode_outputs(manifest, out, offsets)


def predict(model, manifest, x):
    """x: raw values [batch, window, features] (token ids [batch, window] for a text model)."""
    c = manifest["config"]
    if c["vocabSize"] > 0:
        return predict_normalized(model, manifest, x)
    t, K = transform_of(manifest), len(manifest["targetColumns"])
    if t["name"] in MIXING:
        a, b = scales(manifest["normalization"]["inputs"], c["inputSize"])
        windows, offsets = [], []
        for w in torch.as_tensor(x, dtype=torch.float64).tolist():
            w = [[v if f < K else (v - a[f]) / b[f] for f, v in enumerate(row)] for row in w]
            refs = transform_window(t, w, c["outputSize"] // K)
            windows.append(w)
            offsets.append([r for step in refs for r in step])
        return predict_normalized(model, manifest, windows, offsets)
    raw = torch.as_tensor(x, dtype=torch.float32)
    if t["name"] == "log":
        raw = torch.cat([raw[:, :, :K].log(), raw[:, :, K:]], 2)
    a, b = scales(manifest["normalization"]["inputs"], c["inputSize"])
    return predict_normalized(model, manifest, (raw - torch.tensor(a)) / torch.tensor(b))


def csv_field(value):
    """A CSV field as predict writes it: quoted when it holds a comma, quote or line break, or starts or ends with a space."""
    s = str(value)
    return '"' + s.replace('"', '""') + '"' if re.search(r'[",\r\n]', s) or (s and (s[0].isspace() or s[-1].isspace())) else s


def header_of(manifest):
    """The columns of predictions.csv (predictions_csv.ts)."""
    c, targets = manifest["config"], manifest["targetColumns"]
    if manifest["task"] == "forecast":
        horizon = c["outputSize"] // len(targets)
        outputs = [f"{t} t+{h + 1}" for h in range(horizon) for t in targets]
        group = [manifest["groupColumn"]] if manifest.get("groupColumn") else []
        time = [f"last_{manifest['timeColumn']}"] if manifest.get("timeColumn") else []
        return group + ["last_row"] + time + outputs
    long = manifest["task"] == "classify-sequences" and manifest["layout"] == "long"
    return [(manifest.get("groupColumn") or "series") if long else "row", "predicted"] + [f"p({name})" for name in manifest["classNames"]]


def prediction_lines(model, manifest, examples):
    """One list of fields per sample, in predictions.csv's order."""
    c = manifest["config"]
    long = manifest["task"] == "classify-sequences" and manifest["layout"] == "long"
    for start in range(0, len(examples), 1024):
        batch = examples[start:start + 1024]
        y = predict_normalized(model, manifest, [e["x"] for e in batch], [e["offset"] for e in batch] if manifest["task"] == "forecast" else None)
        if c["headOn"] == "every_step":
            y = y[:, -1, :]
        for e, values in zip(batch, y.double().tolist()):
            if manifest["task"] == "forecast":
                group = [e["group"]] if manifest.get("groupColumn") else []
                time = [e["time"] or ""] if manifest.get("timeColumn") else []
                yield group + [str(e["row"] + 1) if e["row"] >= 0 else ""] + time + [format_number(v) for v in values]
            else:
                top = max(values)
                probs = [math.exp(v - top) for v in values]
                total = sum(probs)
                best = values.index(top)
                yield [e["group"] if long else str(e["row"] + 1), manifest["classNames"][best]] + [format_number(p / total) for p in probs]


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
    sys.stdout.write(",".join(csv_field(h) for h in header_of(m)) + "\n")
    for fields in prediction_lines(model, m, examples):
        sys.stdout.write(",".join(csv_field(f) for f in fields) + "\n")


${m.task === 'generate' ? PYTHON_GENERATE_SOURCE : ''}
if __name__ == "__main__":
    ${m.task === 'generate' ? 'generate_main()' : 'main()'}
`;
}
