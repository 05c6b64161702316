// Python source shared by the exported scripts: the PyTorch module, loading the weights, and reading a CSV into windows.

/** The module whose state_dict model.safetensors holds, plus loading with an exact key/shape check. */
export function pythonModelSource(expected: { name: string; shape: number[] }[]): string {
  const entries = expected.map((p) => `    ${JSON.stringify(p.name)}: ${JSON.stringify(p.shape)},`).join('\n');
  return String.raw`
# The state_dict of model.safetensors: every key and its shape.
EXPECTED_SHAPES = {
${entries}
}


class PlaygroundModel(nn.Module):
    """Optional nn.Embedding -> nn.LSTM / nn.GRU / nn.RNN (batch_first) -> nn.Linear, as trained in the playground."""

    def __init__(self, c):
        super().__init__()
        if c["vocabSize"] > 0:
            self.embedding = nn.Embedding(c["vocabSize"], c["inputSize"])
        stack = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[c["cell"]]
        options = dict(
            input_size=c["inputSize"],
            hidden_size=c["hiddenSize"],
            num_layers=c["numLayers"],
            bidirectional=c["bidirectional"],
            dropout=c["dropout"] if c["numLayers"] > 1 else 0.0,
            batch_first=True,
        )
        if c["cell"] == "rnn":
            options["nonlinearity"] = "tanh"
        self.cell = c["cell"]
        setattr(self, self.cell, stack(**options))
        self.every_step = c["headOn"] == "every_step"
        directions = 2 if c["bidirectional"] else 1
        self.head = nn.Linear(directions * c["hiddenSize"], c["outputSize"])

    def forward(self, x):
        if hasattr(self, "embedding"):
            x = self.embedding(x)
        y, _ = getattr(self, self.cell)(x)
        return self.head(y if self.every_step else y[:, -1, :])


def load_model(model_dir):
    """Reads model.json and model.safetensors from model_dir; returns (model in eval mode, manifest)."""
    model_dir = Path(model_dir)
    manifest = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    state = load_file(str(model_dir / "model.safetensors"))
    shapes = {k: list(v.shape) for k, v in state.items()}
    if shapes != EXPECTED_SHAPES:
        missing = sorted(set(EXPECTED_SHAPES) - set(shapes))
        extra = sorted(set(shapes) - set(EXPECTED_SHAPES))
        wrong = sorted(k for k in shapes if k in EXPECTED_SHAPES and shapes[k] != EXPECTED_SHAPES[k])
        raise SystemExit(f"model.safetensors does not hold this model: missing {missing}, unexpected {extra}, wrong shape {wrong}")
    model = PlaygroundModel(manifest["config"])
    model.load_state_dict(state, strict=True)
    model.eval()
    return model, manifest


def scales(entries, width):
    """(a, b) lists of length width for normalized = (raw - a) / b; output o uses target o mod len(entries)."""
    return [entries[o % len(entries)]["a"] for o in range(width)], [entries[o % len(entries)]["b"] for o in range(width)]
`;
}

/** Reading a CSV as the playground does and turning it into windows, token ids and labels (pure Python, no torch). */
export const PYTHON_DATA_SOURCE = String.raw`
MISSING = {"", "na", "nan", "null", "none", "n/a", "#n/a"}
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[^\s\w]|_")


def read_table(path):
    """(header, rows, decimal_comma) of a CSV: UTF-8 with or without BOM, delimiter , ; tab or | detected."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    try:
        delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in r)]
    if not rows:
        raise SystemExit(f"{path} is empty.")
    return rows[0], rows[1:], delimiter == ";"


def column(header, name, path):
    if name not in header:
        raise SystemExit(f"{path} has no column {name!r}; the model was trained with the columns {header_names(header)}.")
    return header.index(name)


def header_names(header):
    return ", ".join(repr(h) for h in header)


def cell(row, i):
    return row[i].strip() if i < len(row) else ""


def is_missing(text):
    return text.lower() in MISSING


def to_number(text, decimal_comma, where):
    if is_missing(text):
        return math.nan
    s = text.replace(" ", "").replace("\u00a0", "")
    s = s.replace(".", "").replace(",", ".") if decimal_comma and "," in s else s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        raise SystemExit(f"{where}: {text!r} is not a number.") from None


def parse_time(text, where):
    s = text.strip()
    if re.fullmatch(r"\d{4}", s):
        return datetime.datetime(int(s), 1, 1)
    try:
        v = float(s)
        return datetime.datetime.fromtimestamp(v / 1000.0 if abs(v) > 1e11 else v, tz=datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        pass
    iso = re.sub(r"^(\d{4})/(\d{1,2})/(\d{1,2})", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", s).replace("Z", "+00:00")
    try:
        t = datetime.datetime.fromisoformat(iso)
        return t.astimezone(datetime.timezone.utc).replace(tzinfo=None) if t.tzinfo else t
    except ValueError:
        pass
    for fmt in ("%b %d %Y", "%b %d, %Y", "%B %d %Y", "%B %d, %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(s, fmt)
        except ValueError:
            pass
    raise SystemExit(f"{where}: cannot read the date {text!r}; write it as ISO 8601 (2012-01-31 or 2012-01-31T13:00:00).")


def cycle_position(part, t):
    """Where the UTC time t falls in its cycle, from 0 to 1 (the playground's calendar features)."""
    if part == "hour":
        return (t.hour + t.minute / 60 + t.second / 3600) / 24
    if part == "day-of-week":
        return ((t.weekday() + 1) % 7 + t.hour / 24) / 7
    if part == "month":
        first = datetime.date(t.year, t.month, 1)
        days = (datetime.date(t.year + t.month // 12, t.month % 12 + 1, 1) - first).days
        return (t.month - 1 + (t.day - 1) / days) / 12
    return (t - datetime.datetime(t.year, 1, 1)).total_seconds() / (365.25 * 86400)


def features_of(m):
    return m.get("features") or [{"name": n, "column": n, "kind": "value"} for n in m["inputColumns"]]


def feature_rows(m, header, rows, decimal_comma, path):
    """Raw input features per CSV row, in inputColumns order (NaN where missing)."""
    feats = features_of(m)
    idx = [column(header, f["column"], path) for f in feats]
    out = []
    for r, row in enumerate(rows):
        values = []
        for f, i in zip(feats, idx):
            text, where = cell(row, i), f"{path} line {r + 2}, column {f['column']!r}"
            if f["kind"] == "value":
                values.append(to_number(text, decimal_comma, where))
            elif f["kind"] == "onehot":
                values.append(math.nan if is_missing(text) else float(text == f["value"]))
            elif is_missing(text):
                values.append(math.nan)
            else:
                angle = 2 * math.pi * cycle_position(f["part"], parse_time(text, where))
                values.append(math.sin(angle) if f["fn"] == "sin" else math.cos(angle))
        out.append(values)
    return out


def target_rows(m, header, rows, decimal_comma, path):
    idx = [column(header, name, path) for name in m["targetColumns"]]
    return [[to_number(cell(row, i), decimal_comma, f"{path} line {r + 2}, column {name!r}") for i, name in zip(idx, m["targetColumns"])] for r, row in enumerate(rows)]


def groups_in_time_order(m, header, rows, path):
    """Row indices per group (groupColumn), each sorted by timeColumn when there is one (else in file order)."""
    gi = column(header, m["groupColumn"], path) if m.get("groupColumn") else None
    groups = {}
    for r, row in enumerate(rows):
        groups.setdefault(cell(row, gi) if gi is not None else "", []).append(r)
    if m.get("timeColumn"):
        ti = column(header, m["timeColumn"], path)
        times = {r: parse_time(cell(rows[r], ti), f"{path} line {r + 2}, column {m['timeColumn']!r}") for g in groups.values() for r in g}
        for g in groups.values():
            g.sort(key=lambda r: times[r])
    return list(groups.values())


def fill_missing(matrix, how):
    """Forward-fill or linearly interpolate NaNs down each column ('drop' leaves them: windows holding one are dropped)."""
    if how == "drop" or not matrix:
        return matrix
    out = [list(r) for r in matrix]
    for j in range(len(out[0])):
        known = [i for i in range(len(out)) if not math.isnan(out[i][j])]
        if how == "ffill":
            for a, b in zip(known, known[1:] + [len(out)]):
                for i in range(a + 1, b):
                    out[i][j] = out[a][j]
        else:
            for a, b in zip(known, known[1:]):
                for i in range(a + 1, b):
                    out[i][j] = out[a][j] + (out[b][j] - out[a][j]) * (i - a) / (b - a)
    return out


def normalized(values, entries):
    return [(v - e["a"]) / e["b"] for v, e in zip(values, entries)]


def has_nan(rows):
    return any(math.isnan(v) for r in rows for v in r)


def tokenize(text, vocab, window):
    """Token ids of one text, cut to window and padded with padId on padSide."""
    s = text.lower() if vocab["lowercase"] else text
    pieces = list(" ".join(s.split())) if vocab["level"] == "char" else WORD.findall(s)
    index = {t: i for i, t in enumerate(vocab["tokens"])}
    ids = [index.get(p, vocab["unknownId"]) for p in pieces][:window]
    pad = [vocab["padId"]] * (window - len(ids))
    return pad + ids if vocab["padSide"] == "left" else ids + pad


def part_of(first_target, end, n, split):
    """0 train, 1 validation, 2 test for a window whose targets are positions [first_target, end) of a series of n;
    None when they straddle a split boundary."""
    train_end = math.floor(n * (1 - split["valFraction"] - split["testFraction"]))
    val_end = math.floor(n * (1 - split["testFraction"]))
    if end <= train_end:
        return 0
    if first_target >= train_end and end <= val_end:
        return 1
    return 2 if first_target >= val_end else None


def stratified_parts(labels, split, seed):
    """0/1/2 per example: within each class, a seeded shuffle, then the validation and test shares."""
    parts, rng = [0] * len(labels), random.Random(seed)
    for label in sorted(set(labels)):
        members = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(members)
        n_val, n_test = round(len(members) * split["valFraction"]), round(len(members) * split["testFraction"])
        for k, i in enumerate(members):
            parts[i] = 1 if k < n_val else 2 if k < n_val + n_test else 0
    return parts


def build_examples(m, path, with_targets=True):
    """Examples of a CSV as the model sees them: {"x", "y", "part", "row"} with x normalized (or token ids),
    y normalized targets or a class id (None without targets), part 0/1/2 and row the CSV line of the prediction."""
    c, T = m["config"], m["window"]
    header, rows, decimal_comma = read_table(path)
    examples = []
    classes = {name: i for i, name in enumerate(m.get("classNames") or [])}

    def label_of(r):
        text = cell(rows[r], column(header, m["targetColumns"][0], path))
        return classes.get(text)

    if m["task"] == "classify-text":
        ti = column(header, m["inputColumns"][0], path)
        for r, row in enumerate(rows):
            y = label_of(r) if with_targets else None
            if with_targets and y is None:
                continue
            examples.append({"x": tokenize(cell(row, ti), m["vocabulary"], T), "y": y, "part": 0, "row": r + 2})
    elif m["task"] == "classify-sequences" and m["layout"] == "wide":
        idx = [column(header, name, path) for name in m["sequenceColumns"]]
        e = m["normalization"]["inputs"]
        for r, row in enumerate(rows):
            y = label_of(r) if with_targets else None
            x = fill_missing([[to_number(cell(row, i), decimal_comma, f"{path} line {r + 2}")] for i in idx], m["missing"])
            if (with_targets and y is None) or has_nan(x):
                continue
            examples.append({"x": [normalized(v, e) for v in x], "y": y, "part": 0, "row": r + 2})
    else:
        feats = feature_rows(m, header, rows, decimal_comma, path)
        targets = target_rows(m, header, rows, decimal_comma, path) if with_targets and m["task"] == "forecast" else None
        e_in, e_out = m["normalization"]["inputs"], m["normalization"]["targets"]
        for g in groups_in_time_order(m, header, rows, path):
            x_all = fill_missing([feats[r] for r in g], m["missing"])
            if m["task"] == "classify-sequences":
                y = label_of(g[0]) if with_targets else None
                if not has_nan(x_all) and (y is not None or not with_targets):
                    steps = [normalized(v, e_in) for v in x_all[-T:]]
                    pad = [[0.0] * len(e_in) for _ in range(T - len(steps))]
                    examples.append({"x": pad + steps, "y": y, "part": 0, "row": g[0] + 2})
                continue
            y_all = fill_missing([targets[r] for r in g], m["missing"]) if targets is not None else None
            h = m["horizon"] if with_targets else 0
            for s in range(0, len(g) - T - h + 1, m["stride"] if with_targets else 1):
                x = x_all[s:s + T]
                if with_targets:
                    ahead = [s + T - 1 + k for k in range(1, h + 1)]
                    steps = [s + t + h for t in range(T)] if c["headOn"] == "every_step" else ahead
                    y = [y_all[i] for i in steps]
                    # the split goes by the steps after the window, as the playground's (forecast_set.ts) does
                    part = part_of(ahead[0], ahead[-1] + 1, len(g), m["split"])
                    if has_nan(x) or has_nan(y) or part is None:
                        continue
                    y = [normalized(v, e_out) for v in y]
                    y = y if c["headOn"] == "every_step" else [v for step in y for v in step]
                    examples.append({"x": [normalized(v, e_in) for v in x], "y": y, "part": part, "row": g[s + T - 1] + 2})
                elif not has_nan(x):
                    examples.append({"x": [normalized(v, e_in) for v in x], "y": None, "part": 0, "row": g[s + T - 1] + 2})
    if with_targets and m["task"] != "forecast":
        for ex, part in zip(examples, stratified_parts([ex["y"] for ex in examples], m["split"], m["seed"])):
            ex["part"] = part
    if not examples:
        raise SystemExit(f"{path} gives no complete window of {T} steps (check the columns, the missing values and the window).")
    return examples
`;
