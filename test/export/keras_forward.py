# Reads a .keras archive with zipfile + h5py and runs its Sequential forward in numpy with Keras's own conventions
# (LSTM gates i,f,c,o; GRU z,r,h with reset_after; SimpleRNN; Bidirectional concat; Reshape; Cropping2D; Dense), so the
# export test checks the file's layout and the weight conversion without Keras. stdin: {"path", "inputs", "shape"};
# stdout: {"layout": [h5 dataset paths, shapes, dtypes], "zip": [names], "prediction": [...], "shape": [...]}.
import io, json, re, sys, zipfile
import h5py
import numpy as np

def snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))

def run_cell(cls, cfg, K, R, b, x):
    """x [B, T, in] -> outputs [B, T, u] in float64, Keras equations."""
    B, T, _ = x.shape
    u = cfg["units"]
    h = np.zeros((B, u)); c = np.zeros((B, u)); out = []
    for t in range(T):
        xt = x[:, t, :]
        if cls == "LSTM":
            z = xt @ K + h @ R + b
            i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2*u]), np.tanh(z[:, 2*u:3*u]), sigmoid(z[:, 3*u:])
            c = f * c + i * g
            h = o * np.tanh(c)
        elif cls == "GRU":
            assert cfg.get("reset_after") is True and b.shape == (2, 3 * u), (cfg.get("reset_after"), b.shape)
            xi = xt @ K + b[0]; hi = h @ R + b[1]
            z = sigmoid(xi[:, :u] + hi[:, :u]); r = sigmoid(xi[:, u:2*u] + hi[:, u:2*u])
            hh = np.tanh(xi[:, 2*u:] + r * hi[:, 2*u:])
            h = z * h + (1 - z) * hh
        elif cls == "SimpleRNN":
            h = np.tanh(xt @ K + h @ R + b)
        else:
            raise ValueError(cls)
        out.append(h)
    return np.stack(out, axis=1)

def cell_weights(f, path):
    return [np.asarray(f[f"{path}/cell/vars/{i}"], dtype=np.float64) for i in range(3)]

def main():
    req = json.load(sys.stdin)
    zf = zipfile.ZipFile(req["path"])
    names = zf.namelist()
    config = json.loads(zf.read("config.json"))
    metadata = json.loads(zf.read("metadata.json"))
    f = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    layout = []
    f.visititems(lambda name, obj: layout.append([name, list(obj.shape), str(obj.dtype)]) if isinstance(obj, h5py.Dataset) else None)
    assert config["class_name"] == "Sequential", config["class_name"]
    x = np.asarray(req["inputs"], dtype=np.float64).reshape(req["shape"])
    used = {}
    for layer in config["config"]["layers"]:
        cls, cfg = layer["class_name"], layer["config"]
        base = snake(cls)
        used[base] = used.get(base, -1) + 1
        path = "layers/" + (base if used[base] == 0 else f"{base}_{used[base]}")
        if cls == "InputLayer":
            continue
        if cls == "Embedding":
            x = np.asarray(f[f"{path}/vars/0"], dtype=np.float64)[x.astype(np.int64)]
        elif cls in ("LSTM", "GRU", "SimpleRNN"):
            y = run_cell(cls, cfg, *cell_weights(f, path), x)
            x = y if cfg["return_sequences"] else y[:, -1, :]
        elif cls == "Bidirectional":
            assert cfg["merge_mode"] == "concat"
            inner = cfg["layer"]
            fw = run_cell(inner["class_name"], inner["config"], *cell_weights(f, f"{path}/forward_layer"), x)
            bw = run_cell(inner["class_name"], inner["config"], *cell_weights(f, f"{path}/backward_layer"), x[:, ::-1, :])
            if inner["config"]["return_sequences"]:
                x = np.concatenate([fw, bw[:, ::-1, :]], axis=-1)
            else:
                x = np.concatenate([fw[:, -1, :], bw[:, -1, :]], axis=-1)
        elif cls == "Reshape":
            x = x.reshape([x.shape[0], *cfg["target_shape"]])
        elif cls == "Cropping2D":
            (top, bottom), (left, right) = cfg["cropping"]
            x = x[:, top:x.shape[1] - bottom, left:x.shape[2] - right, :]
        elif cls == "Dense":
            x = x @ np.asarray(f[f"{path}/vars/0"], dtype=np.float64) + np.asarray(f[f"{path}/vars/1"], dtype=np.float64)
            assert cfg["activation"] == "linear"
        else:
            raise ValueError(f"unexpected layer {cls}")
    json.dump({"zip": names, "layout": layout, "metadata_keys": sorted(metadata.keys()), "prediction": x.reshape(-1).tolist(), "shape": list(x.shape)}, sys.stdout)

main()
