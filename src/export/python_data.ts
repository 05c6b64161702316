// Python source shared by the exported scripts: the PyTorch module, reading and writing model.safetensors (with or
// without the safetensors package), and reading a CSV into exactly the windows, rows and split the playground uses.
// Each Python function names the TypeScript it mirrors; test/export/pytorch_run.test.ts checks them under real torch.

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
    state = load_weights(model_dir / "model.safetensors")
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

/**
 * Reading and writing model.safetensors: the safetensors package when it can be imported, else a small reader and
 * writer of the documented format (set LSTM_PLAYGROUND_SAFETENSORS=builtin to use them even with the package).
 */
export const PYTHON_WEIGHTS_SOURCE = String.raw`
try:
    if os.environ.get("LSTM_PLAYGROUND_SAFETENSORS", "").lower() == "builtin":
        raise ImportError("LSTM_PLAYGROUND_SAFETENSORS=builtin")
    from safetensors.torch import load_file as _package_load, save_file as _package_save
    WEIGHTS_IO = "safetensors package"
except ImportError:
    _package_load = _package_save = None
    WEIGHTS_IO = "built-in reader"


def read_safetensors(path):
    """{name: float32 tensor} of a safetensors file, without the safetensors package: an 8-byte little-endian header
    length, that many bytes of JSON ({name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}),
    then the tensors' bytes, offsets counted from the end of the header. Only F32 (what the playground writes)."""
    data = Path(path).read_bytes()
    if len(data) < 8:
        raise SystemExit(f"{path} is {len(data)} bytes: too short for a safetensors file.")
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        raise SystemExit(f"{path}: the header length {length} runs past the end of the file.")
    header = json.loads(data[8:8 + length].decode("utf-8"))
    header.pop("__metadata__", None)
    base, state = 8 + length, {}
    for name, entry in header.items():
        shape, (begin, end) = entry["shape"], entry["data_offsets"]
        count = math.prod(shape)
        if entry["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name!r} is {entry['dtype']}; only F32 is read.")
        if end - begin != 4 * count or not 0 <= begin <= end <= len(data) - base:
            raise SystemExit(f"{path}: tensor {name!r} has data_offsets {[begin, end]} that do not fit its shape {shape} or the file.")
        values = array.array("f")
        values.frombytes(data[base + begin:base + end])
        if sys.byteorder == "big":
            values.byteswap()
        state[name] = (torch.frombuffer(values, dtype=torch.float32).clone() if count else torch.zeros(0)).reshape(shape)
    return state


def write_safetensors(state, path, metadata):
    """Writes float32 tensors as safetensors without the package: the header JSON padded with spaces to a multiple of 8
    bytes (as the playground writes it), then each tensor's little-endian bytes in state order."""
    header, blobs, offset = {"__metadata__": dict(metadata)}, [], 0
    for name, tensor in state.items():
        values = array.array("f", tensor.detach().to(torch.float32).cpu().contiguous().reshape(-1).tolist())
        if sys.byteorder == "big":
            values.byteswap()
        blob = values.tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_weights(path):
    return _package_load(str(path)) if _package_load else read_safetensors(path)


def save_weights(state, path, metadata):
    if _package_save:
        _package_save(state, str(path), metadata=metadata)
    else:
        write_safetensors(state, path, metadata)
`;

/**
 * Reading a CSV as the playground does and turning it into windows, token ids, labels and splits (pure Python, no
 * torch): the same delimiter, header, decimal mark, column types, dates, groups, time gaps, missing-value filling,
 * windows, row numbers and train/validation/test split as src/data and src/model_io/*_inputs.ts.
 */
export const PYTHON_DATA_SOURCE = String.raw`
# ---- Cells, numbers and dates (src/data/cell_values.ts, dates.ts) -------------------------------------------------

JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
MISSING = {"na", "n/a", "nan", "null", "none", "nil", "#n/a", "?", "-nan"}
WORD = re.compile("[^\\W_]+(?:['\u2019][^\\W_]+)*|[^\\w" + JS_SPACE + "]|_")
SPACES = re.compile("[" + JS_SPACE + "]+")


def rx(pattern):
    return re.compile(pattern, re.ASCII)


PLAIN_NUMBER = rx(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
DECIMAL_COMMA = rx(r"[+-]?\d*,\d+([eE][+-]?\d+)?")
DOT_THOUSANDS = rx(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
COMMA_THOUSANDS = rx(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
SPACE_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}([ \u00a0\u202f'][0-9]{3})+([.,][0-9]+)?")
MARK_TESTS = [  # guessDecimalMark: the first (pattern, unless it also matches) that fits counts for its mark
    (rx(r"[+-]?\d*,\d+"), rx(r"[+-]?\d{1,3},\d{3}"), ","),
    (rx(r"[+-]?\d*\.\d+"), rx(r"[+-]?\d{1,3}\.\d{3}"), "."),
    (rx(r"[+-]?\d{1,3}(\.\d{3})+,\d+"), None, ","),
    (rx(r"[+-]?\d{1,3}(,\d{3})+\.\d+"), None, "."),
]
TIME = r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?\s*(Z|[+-]\d{2}:?\d{2})?"
ISO = rx(r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME)
YEAR_MONTH = rx(r"(\d{4})-(\d{1,2})")
YMD = rx(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})" + TIME)
DAY_MONTH = rx(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + TIME)
NAME_FIRST = rx(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + TIME)
DAY_FIRST_NAME = rx(r"(\d{1,2})[\s-]([A-Za-z]{3,9})\.?[\s,-]+(\d{4})" + TIME)
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
EPOCH = datetime.datetime(1970, 1, 1)
DAY_MS = 86400000


def js_trim(s):
    return s.strip(JS_SPACE)


def is_missing(cell):
    """isMissingCell: the empty cell or NA, N/A, NaN, null, none, nil, #N/A, ?, -nan in any case."""
    return cell == "" or (len(cell) <= 5 and cell.lower() in MISSING)


def is_single_word(text):
    """isSingleWord: one word of letters and marks ("Anna", "O'Neil", "Jean-Luc", "Mr."), at most 64 UTF-16 units."""
    if len(text.encode("utf-16-le")) > 128:
        return False
    body = text[:-1] if text.endswith(".") else text
    parts = re.split("['\u2019.\\-]", body)
    return all(p and all(unicodedata.category(ch)[0] in "LM" for ch in p) for p in parts)


def finite(v):
    return v if math.isfinite(v) else math.nan


def parse_number(cell, mark):
    """parseNumberCell: plain and scientific numbers, thousands separators, decimal commas with mark ','; else NaN."""
    if PLAIN_NUMBER.fullmatch(cell):
        return finite(float(cell.replace(".", "") if mark == "," and COMMA_THOUSANDS.fullmatch(cell) else cell))
    if not cell or cell[0] not in "0123456789+-,":
        return math.nan
    if mark == ".":
        if DOT_THOUSANDS.fullmatch(cell):
            return finite(float(cell.replace(",", "")))
    elif DECIMAL_COMMA.fullmatch(cell):
        return finite(float(cell.replace(",", ".", 1)))
    elif COMMA_THOUSANDS.fullmatch(cell):
        return finite(float(cell.replace(".", "").replace(",", ".", 1)))
    if SPACE_THOUSANDS.fullmatch(cell):
        digits = re.sub("[ \u00a0\u202f']", "", cell)
        return finite(float(digits.replace(",", ".", 1) if mark == "," else digits.replace(",", "")))
    return math.nan


def guess_decimal_mark(cells, delimiter):
    """guessDecimalMark: ',' only when the delimiter is not a comma and more sample cells read 1,5 than 1.5."""
    if delimiter == ",":
        return "."
    count = {",": 0, ".": 0}
    for cell in cells:
        for pattern, unless, mark in MARK_TESTS:
            if pattern.fullmatch(cell) and (unless is None or not unless.fullmatch(cell)):
                count[mark] += 1
                break
    return "," if count[","] > count["."] else "."


def js_number(v):
    """String(v) in JavaScript: '' for NaN, integers without '.0', exponents past 1e21 and under 1e-6."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign, digits, exponent = decimal.Decimal(repr(v)).normalize().as_tuple()
    d = "".join(map(str, digits))
    k, n = len(d), len(d) + exponent
    if k <= n <= 21:
        s = d + "0" * (n - k)
    elif 0 < n <= 21:
        s = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + d
    else:
        s = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if n - 1 > 0 else "-") + str(abs(n - 1))
    return ("-" if sign else "") + s


def format_number(v):
    """formatNumber (predictions_csv.ts): nine significant digits, written as JavaScript writes the number."""
    return js_number(float(f"{v:.9g}")) if math.isfinite(v) else ""


def utc_ms(year, month0, day, hour=0, minute=0, second=0, millis=0):
    """Date.UTC(year, month0, day, ...): years 0-99 mean 1900-1999, months past 11 roll into the next year."""
    if 0 <= year <= 99:
        year += 1900
    year, month0 = year + month0 // 12, month0 % 12
    days = datetime.date(year, month0 + 1, 1).toordinal() - 719163 + day - 1
    return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000 + millis


def from_ms(ms):
    return EPOCH + datetime.timedelta(milliseconds=int(ms))


def days_in_month(year, month):
    return (from_ms(utc_ms(year, month, 0))).day


def month_number(name):
    lower = name.lower()
    index = next((i for i, full in enumerate(MONTHS) if full.startswith(lower) or (lower == "sept" and full == "september")), -1)
    return index + 1 if len(lower) >= 3 else 0


def build_date(family, year, month, day, m, at):
    """build() of dates.ts: checks the parts and makes UTC milliseconds; (family, ms) or None."""
    if month < 1 or month > 12 or day < 1 or day > days_in_month(year, month):
        return None
    hour = minute = second = millis = offset = 0
    if m is not None and m.group(at) is not None:
        hour, minute = int(m.group(at)), int(m.group(at + 1))
        second = int(m.group(at + 2)) if m.group(at + 2) is not None else 0
        millis = math.floor(float("0." + m.group(at + 3)) * 1000 + 0.5) if m.group(at + 3) is not None else 0
        meridiem = (m.group(at + 4) or "").lower()
        if meridiem:
            if hour < 1 or hour > 12:
                return None
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
    zone = m.group(at + 5) if m is not None else None
    if zone and zone != "Z":
        digits = zone.replace(":", "", 1)
        offset = (-1 if zone[0] == "-" else 1) * (int(digits[1:3]) * 60 + int(digits[3:5]))
    return family, utc_ms(year, month - 1, day, hour, minute, second, millis) - offset * 60000


def read_date(cell, order="month-first"):
    """readDateCell: (family, UTC ms) of a trimmed cell, or None; day-month cells (01/02/2003) read in the given order."""
    if not cell or not (cell[0].isascii() and (cell[0].isdigit() or cell[0].isalpha())):
        return None
    if cell[0].isdigit():
        m = ISO.fullmatch(cell)
        if m:
            return build_date("iso", int(m[1]), int(m[2]), int(m[3]), m, 4)
        m = YEAR_MONTH.fullmatch(cell)
        if m:
            return build_date("year-month", int(m[1]), int(m[2]), 1, None, 0)
        m = YMD.fullmatch(cell)
        if m:
            return build_date("ymd", int(m[1]), int(m[3]), int(m[4]), m, 5)
        m = DAY_MONTH.fullmatch(cell)
        if m:
            a, b = int(m[1]), int(m[3])
            month, day = (a, b) if order == "month-first" else (b, a)
            return build_date("day-month", int(m[4]), month, day, m, 5)
        m = DAY_FIRST_NAME.fullmatch(cell)
        if m:
            month = month_number(m[2])
            return None if month == 0 else build_date("month-name", int(m[3]), month, int(m[1]), m, 4)
        return None
    m = NAME_FIRST.fullmatch(cell)
    if m:
        month = month_number(m[1])
        return None if month == 0 else build_date("month-name", int(m[3]), month, int(m[2]), m, 4)
    return None


def day_month_evidence(cell):
    if not DAY_MONTH.fullmatch(cell):
        return None
    month_first, day_first = read_date(cell, "month-first") is not None, read_date(cell, "day-first") is not None
    return "either" if month_first and day_first else "month-first" if month_first else "day-first" if day_first else None


def format_date(ms, family=None):
    """formatDate: YYYY-MM-DD, or YYYY-MM-DDTHH:mm:ss(.SSS) with a time of day (YYYY-MM for year-month columns)."""
    if not math.isfinite(ms):
        return ""
    d = from_ms(ms)
    iso = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}.{d.microsecond // 1000:03d}Z"
    if family == "year-month":
        return iso[:7]
    if ms % DAY_MS == 0:
        return iso[:10]
    return iso[:19] if iso.endswith(".000Z") else iso[:23]


def cycle_position(part, ms):
    """cyclePosition (calendar_features.ts): where the UTC time ms falls in its cycle, from 0 to 1."""
    t = from_ms(ms)
    if part == "hour":
        return (t.hour + t.minute / 60 + t.second / 3600) / 24
    if part == "day-of-week":
        return ((t.weekday() + 1) % 7 + t.hour / 24) / 7
    if part == "month":
        return (t.month - 1 + (t.day - 1) / days_in_month(t.year, t.month)) / 12
    return (ms - utc_ms(t.year, 0, 1)) / (365.25 * DAY_MS)


# ---- The table (csv_stream.ts, table_assembler.ts, column_builder.ts, column_stats.ts) -----------------------------


def detect_delimiter(text):
    """PapaParse's guess over , ; tab |: the most consistent field count over the first 10 rows, ties to more fields."""
    best, best_delta, best_fields = ",", None, None
    for delimiter in [",", ";", "\t", "|"]:
        try:
            rows = list(itertools.islice(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), 10))
        except csv.Error:
            continue
        delta = fields = empty = 0
        previous = None
        for r in rows:
            if js_trim("".join(r)) == "":
                empty += 1
                continue
            fields += len(r)
            if previous is None:
                previous = len(r)
            elif len(r) > 0:
                delta += abs(len(r) - previous)
                previous = len(r)
        average = fields / (len(rows) - empty) if len(rows) > empty else 0
        if average > 1.99 and (best_delta is None or delta < best_delta or (delta == best_delta and average > best_fields)):
            best, best_delta, best_fields = delimiter, delta, average
    return best


def cell_kind(cell, mark):
    if is_missing(cell):
        return "missing"
    return "value" if not math.isnan(parse_number(cell, mark)) or read_date(cell) is not None else "text"


def run_of_column_numbers(cells, mark):
    numbers = [v for v in (parse_number(c, mark) for c in cells) if not math.isnan(v)]
    return len(numbers) >= 3 and numbers[0] <= 1 and all(v == int(v) and (i == 0 or v == numbers[i - 1] + 1) for i, v in enumerate(numbers))


def looks_like_header(rows, mark):
    """looksLikeHeader: a column of values whose first cell is text votes for a header, a value against."""
    if len(rows) < 2:
        return True
    first = rows[0]
    if run_of_column_numbers(first, mark) and not run_of_column_numbers(rows[1], mark):
        return True
    votes_for = votes_against = 0
    for c in range(len(first)):
        kinds = [cell_kind(r[c] if c < len(r) else "", mark) for r in rows[1:]]
        values, texts = kinds.count("value"), kinds.count("text")
        if values == 0 or values < texts:
            continue
        head = cell_kind(first[c], mark)
        votes_for += head == "text"
        votes_against += head == "value"
    return votes_for > 0 or votes_against == 0


class Column:
    """A column typed as column_builder.ts types it: kind "number" or "date" (values: floats, NaN where missing or
    invalid; dates in UTC ms) or "text" (values: texts, None where missing)."""

    YEAR_NAME = re.compile(r"year|yr|jahr|ann[ée]e|año|anno", re.I)
    TIME_NAME = re.compile(r"time|date|epoch|unix|stamp|^ts\Z|^t\Z", re.I)

    def __init__(self, name, index, cells, mark):
        self.name, self.index, self.family, self.invalid = name, index, None, {}
        filled = [r for r, cell in enumerate(cells) if not is_missing(cell)]
        kind, values = "text", [None if is_missing(cell) else cell for cell in cells]
        # NA-like words a text column holds as texts until it is typed (ColumnBuilder.add): all of them when it is text
        # from its first value, those after the switch when it turns text while reading, none when it turns at the end
        words_from = 0
        if filled and not math.isnan(parse_number(cells[filled[0]], mark)):
            kind = "number"
        elif filled and read_date(cells[filled[0]]) is not None:
            kind, self.family = "date", read_date(cells[filled[0]])[0]
        if kind != "text":
            order = "month-first"
            if self.family == "day-month":  # the first cell that reads only one way decides (earlier ones read both ways)
                order = next((e for e in (day_month_evidence(cells[r]) for r in filled) if e in ("month-first", "day-first")), order)
            numbers, gave_up = [math.nan] * len(cells), False
            for n, r in enumerate(filled):
                if kind == "number":
                    v = parse_number(cells[r], mark)
                else:
                    d = read_date(cells[r], order)
                    v = d[1] if d is not None and d[0] == self.family else math.nan
                numbers[r] = v
                if math.isnan(v):
                    self.invalid[r] = cells[r]
                    if len(self.invalid) > 100 and len(self.invalid) > 0.1 * (n + 1):
                        gave_up = True  # the playground turns the column into text while reading, from here on
                        words_from = r + 1
                        break
            if not gave_up:
                words_from = len(cells)
            if gave_up or len(self.invalid) > 0.1 * len(filled):
                for r in filled:  # switchToText: values read so far become their display text, the rest stay as written
                    v = numbers[r]
                    if not math.isnan(v):
                        values[r] = format_date(v, self.family) if kind == "date" else js_number(v)
                kind, self.invalid, self.family = "text", {}, None
            else:
                values = numbers
        if kind == "text":  # a text column of at least 90% numbers is a number column (numbersFromMostlyNumericText)
            parsed = {r: parse_number(values[r], mark) for r in filled}
            numeric = sum(1 for v in parsed.values() if not math.isnan(v))
            if numeric > 0 and numeric >= 0.9 * len(filled):
                self.invalid = {r: values[r] for r, v in parsed.items() if math.isnan(v)}
                kind, values = "number", [parsed.get(r, math.nan) for r in range(len(cells))]
        if kind == "text":  # missingWordsUnlessWordList: in a list of many different single words, "Nan" is a word
            counts = collections.Counter(v for v in values if v is not None)
            used, words = len(counts), sum(1 for t in counts if is_single_word(t))
            if used > 20 and used > 0.5 * sum(counts.values()) and words >= 0.8 * used:
                values = [cell if cell != "" and is_missing(cell) and r >= words_from else v for r, (cell, v) in enumerate(zip(cells, values))]
        self.kind, self.values = kind, values
        self.unit = self.time_unit() if kind == "number" else None

    def time_unit(self):
        """numericTimeUnit: years 1000-2999 (a year-like name, or a first column that never decreases); Unix seconds or
        milliseconds (a time-like name, or whole and increasing)."""
        seen = [v for v in self.values if not math.isnan(v)]
        if len(set(seen)) < 2:
            return None
        lo, hi = min(seen), max(seen)
        whole = all(v == int(v) for v in seen)
        non_decreasing = all(b >= a for a, b in zip(seen, seen[1:]))
        increasing_whole = whole and non_decreasing and len(set(seen)) >= 3
        if whole and lo >= 1000 and hi <= 2999 and (self.YEAR_NAME.search(self.name) or (self.index == 0 and non_decreasing)):
            return "year"
        hinted = self.TIME_NAME.search(self.name) is not None
        if lo >= 1e8 and hi <= 4.2e9 and (hinted or increasing_whole):
            return "unix-seconds"
        if lo >= 1e11 and hi <= 4.2e12 and (hinted or increasing_whole):
            return "unix-ms"
        return None

    @property
    def is_date(self):
        return self.kind == "date" or self.unit is not None

    def text(self, r):
        """cellText: the cell as the playground shows it ('' when missing)."""
        if self.kind == "text":
            return self.values[r] or ""
        v = self.values[r]
        if math.isnan(v):
            return self.invalid.get(r, "")
        return format_date(v, self.family) if self.kind == "date" else js_number(v)

    def times(self):
        """timeValues: UTC ms of a date, year or Unix-time column, the numbers of another number column, else NaN."""
        if self.kind == "text":
            return [math.nan] * len(self.values)
        if self.unit == "year":
            return [v if math.isnan(v) else utc_ms(int(v), 0, 1) for v in self.values]
        return [v * 1000 if self.unit == "unix-seconds" else v for v in self.values]


class Table:
    """A CSV read as csv_stream.ts reads it: UTF-8 (a byte order mark dropped), the delimiter guessed from , ; tab |,
    cells trimmed, blank rows skipped, a header row found (or columns named column_1, ...) and the decimal mark guessed
    from the first 50 rows. Data row r (from 0) is the r-th row after the header that is not blank."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        self.delimiter = detect_delimiter(text)
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        rows = []
        for raw in csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter):
            cells = [js_trim(c) for c in raw]
            if any(cells):
                rows.append(cells)
        if not rows:
            raise SystemExit(f"{path} is empty: it needs a header row and at least one data row.")
        sample = rows[:50]
        self.mark = guess_decimal_mark((c for r in sample for c in r), self.delimiter)
        header = looks_like_header(sample, self.mark)
        self.names = rows[0] if header else [f"column_{i + 1}" for i in range(len(rows[0]))]
        width = len(self.names)
        self.rows = rows[1:] if header else rows
        for r, cells in enumerate(self.rows):
            while len(cells) > width and cells[-1] == "":
                cells.pop()
            if len(cells) < width and all(n == "" for n in self.names[len(cells):]):
                cells.extend([""] * (width - len(cells)))
            if len(cells) != width:
                raise SystemExit(f"{path}: row {r + 1} has {len(cells)} fields but the header has {width} columns.")
        self.count = len(self.rows)
        self.cache = {}

    def column(self, name):
        if name not in self.cache:
            where = [i for i, n in enumerate(self.names) if n == name]
            if len(where) != 1:
                known = ", ".join(repr(n) for n in self.names)
                raise SystemExit(f"{self.path}: " + (f"the column name {name!r} appears {len(where)} times in the header." if where else f"there is no column {name!r}; the columns are {known}."))
            self.cache[name] = Column(name, where[0], [r[where[0]] for r in self.rows], self.mark)
        return self.cache[name]

    def numbers(self, name):
        """The values of a column the model reads as numbers (modelNumbers); a cell that is not a number is an error."""
        col = self.column(name)
        if col.kind == "text":
            values = [math.nan if v is None else parse_number(v, self.mark) for v in col.values]
            bad = [r for r, v in enumerate(values) if math.isnan(v) and col.values[r] is not None]
        else:
            values, bad = col.values, sorted(col.invalid)
        if bad:
            raise SystemExit(f"{self.path}: row {bad[0] + 1}, column {name!r}: {col.text(bad[0])!r} is not a number" + (f" (and {len(bad) - 1} more like it)." if len(bad) > 1 else "."))
        return values

    def texts(self, name, use):
        col = self.column(name)
        if col.kind != "text":
            raise SystemExit(f"{self.path}: the model reads column {name!r} as {use}, but here it holds {'dates' if col.kind == 'date' else 'numbers'}.")
        return col.values

    def labels(self, m):
        """Class id of each row's label (labelsOf with model.json's class names); -1 where missing or unknown."""
        col, classes = self.column(m["targetColumns"][0]), {name: i for i, name in enumerate(m.get("classNames") or [])}
        if col.kind == "number" and col.invalid:
            r = min(col.invalid)
            raise SystemExit(f"{self.path}: row {r + 1} of label column {col.name!r} holds {col.invalid[r]!r} among numbers.")
        return [classes.get(col.text(r), -1) if col.text(r) != "" else -1 for r in range(self.count)]


# ---- Groups, series, gaps and missing values (groups.ts, forecast_series.ts, missing_values.ts, splits.ts) ---------


def group_rows(table, name):
    """(names, group of each row): groups in order of first appearance, -1 where the group cell is missing."""
    if not name:
        return [""], [0] * table.count
    col, names, codes, lookup = table.column(name), [], [], {}
    for r in range(table.count):
        key = col.values[r]
        if key is None or (isinstance(key, float) and math.isnan(key)):
            codes.append(-1)
            continue
        if key not in lookup:
            lookup[key] = len(names)
            names.append(col.text(r))
        codes.append(lookup[key])
    return names, codes


def rows_by_group(names, codes, times):
    """rowsByGroup: each group's rows, sorted by time (stably) when there are times; rows without a time left out."""
    groups = [[] for _ in names]
    for r, g in enumerate(codes):
        if g >= 0 and (times is None or not math.isnan(times[r])):
            groups[g].append(r)
    if times is not None:
        for rows in groups:
            rows.sort(key=lambda r: times[r])
    return groups


def typical_step(groups, times):
    """typicalStep: the median positive difference between consecutive times within the groups."""
    if times is None:
        return None
    steps = sorted(times[b] - times[a] for rows in groups for a, b in zip(rows, rows[1:]) if times[b] - times[a] > 0)
    return steps[len(steps) // 2] if steps else None


def time_cuts(length, split):
    return math.floor(length * (1 - split["valFraction"] - split["testFraction"])), math.floor(length * (1 - split["testFraction"]))


def fill_missing(values, policy, start=0, stop=None):
    """fillMissing: forward-fill (leading NaNs stay) or linear interpolation (leading and trailing NaNs stay) in place."""
    stop = len(values) if stop is None else stop
    if policy == "ffill":
        last = math.nan
        for i in range(start, stop):
            if math.isnan(values[i]):
                values[i] = last
            else:
                last = values[i]
    elif policy == "interpolate":
        previous = -1
        for i in range(start, stop):
            if math.isnan(values[i]):
                continue
            if previous >= 0 and i - previous > 1:
                step = (values[i] - values[previous]) / (i - previous)
                for j in range(previous + 1, i):
                    values[j] = values[previous] + step * (j - previous)
            previous = i


def build_series(rows, numeric, categories, times, step, policy, split):
    """buildGroupSeries: one group's positions in time order. A gap of more than 1.5 usual steps gets filled-in steps
    (row -1) when the policy fills values and the gap is at most 1000 steps, else a break that no window crosses. Then
    forward-fill runs over the whole series, interpolation within each split part, neither across a break."""
    positions, stamps, breaks = [], [], set()
    for i, r in enumerate(rows):
        if i > 0 and times is not None and step:
            previous = times[rows[i - 1]]
            diff = times[r] - previous
            if diff > 1.5 * step:
                missing_steps = math.floor(diff / step + 0.5) - 1
                if policy != "drop" and 1 <= missing_steps <= 1000:
                    positions += [-1] * missing_steps
                    stamps += [previous + k * diff / (missing_steps + 1) for k in range(1, missing_steps + 1)]
                else:
                    breaks.add(len(positions))
        positions.append(r)
        stamps.append(times[r] if times is not None else None)
    n = len(positions)
    train_end, validation_end = time_cuts(n, split)
    values = [[math.nan if p < 0 else column[p] for p in positions] for column in numeric]
    parts = [(0, n)] if policy == "ffill" else [(0, train_end), (train_end, validation_end), (validation_end, n)]
    for series in values:
        for start, stop in parts:
            cuts = [start] + [b for b in range(start + 1, stop) if b in breaks] + [stop]
            for a, b in zip(cuts, cuts[1:]):
                fill_missing(series, policy, a, b)
    cats = []
    for column in categories:
        out = []
        for p in positions:
            out.append(column[p] if p >= 0 else out[-1] if out else None)
        cats.append(out)
    return {"rows": positions, "times": stamps, "breaks": breaks, "numeric": values, "categories": cats, "train_end": train_end, "validation_end": validation_end}


def prefix_counts(flags):
    out = [0]
    for f in flags:
        out.append(out[-1] + (1 if f else 0))
    return out


# ---- The seeded class split (util/prng.ts, splits.ts) ---------------------------------------------------------------


class Mulberry32:
    """Prng of src/util/prng.ts (mulberry32): the same seed gives the same numbers as in the playground."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        M = 0xFFFFFFFF
        self.state = (self.state + 0x6D2B79F5) & M
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            a[i], a[j] = a[j], a[i]


def class_shares(n, val, test):
    """[train, validation, test] counts of a class of n: largest remainders, then at least one to train."""
    exact = [n * (1 - val - test), n * val, n * test]
    counts = [math.floor(e) for e in exact]
    bumped = [False] * 3
    left = n - sum(counts)
    for part in sorted(range(3), key=lambda p: (-(exact[p] - counts[p]), p)):
        if left <= 0:
            break
        counts[part] += 1
        bumped[part] = True
        left -= 1
    if counts[0] == 0 and n > 0:
        source = 1 if bumped[1] else 2 if bumped[2] else 1 if counts[1] >= counts[2] else 2
        counts[source] -= 1
        counts[0] += 1
    return counts


def stratified_parts(class_ids, classes, split, seed):
    """stratifiedSplit: per class (in class order, one generator), a seeded shuffle; the first nTest go to test (2),
    the next nVal to validation (1), the rest train (0)."""
    parts, rng = [0] * len(class_ids), Mulberry32(seed)
    for c in range(classes):
        members = [i for i, y in enumerate(class_ids) if y == c]
        _, n_val, n_test = class_shares(len(members), split["valFraction"], split["testFraction"])
        rng.shuffle(members)
        for k, i in enumerate(members):
            parts[i] = 2 if k < n_test else 1 if k < n_test + n_val else 0
    return parts


# ---- Windows and samples (forecast_set.ts, sequence_set.ts, text_set.ts; model_io/forecast_inputs.ts, inference_inputs.ts)


def features_of(m):
    return m.get("features") or [{"name": n, "column": n, "kind": "value"} for n in m["inputColumns"]]


def normalize(v, e):
    return (v - e["a"]) / e["b"]


def has_nan(values):
    return any(math.isnan(v) for v in values)


def tokenize(text, vocab, window, index):
    """Token ids of one text (text_set.ts tokenize): lowercased if the vocabulary says so, words or characters, cut to
    window and padded with padId on padSide."""
    s = text.lower() if vocab["lowercase"] else text
    pieces = list(js_trim(SPACES.sub(" ", s))) if vocab["level"] == "char" else WORD.findall(s)
    ids = [index.get(p, vocab["unknownId"]) for p in pieces][:window]
    pad = [vocab["padId"]] * (window - len(ids))
    return pad + ids if vocab["padSide"] == "left" else ids + pad


def make_sample(x, y, part, row, group=None, time=None, offset=None):
    return {"x": x, "y": y, "part": part, "row": row, "group": group, "time": time, "offset": offset}


MIXING = ("difference", "seasonal-difference", "window-normalize")


def transform_of(m):
    """The model's forecast target transform (target_transform.ts); older files have none."""
    return m.get("transform") or {"name": "none", "season": None, "columns": []}


def transform_window(t, x, horizon):
    """A time-mixing transform on one window (transformWindow in target_transform.ts): x is [window][features] with
    target k's raw value in column k; those columns become (v_t - v_{t-1}) / inputScale (0 at t = 0), or
    (v_t - mean) / inputScale for window-normalize, in place. Returns the references [horizon][targets] the outputs are
    relative to: the last value, the value one season before the step ahead, or the window's mean."""
    T, refs = len(x), [[0.0] * len(t["columns"]) for _ in range(horizon)]
    for k, col in enumerate(t["columns"]):
        v = [row[k] for row in x]
        if t["name"] == "window-normalize":
            mean = sum(v) / T
            for h in range(horizon):
                refs[h][k] = mean
            for i in range(T):
                x[i][k] = (v[i] - mean) / col["inputScale"]
            continue
        for h in range(1, horizon + 1):
            m = t["season"]
            refs[h - 1][k] = v[T - 1] if t["name"] == "difference" else v[T - 1 + h - m * math.ceil(h / m)]
        for i in range(T):
            x[i][k] = (v[i] - v[i - 1]) / col["inputScale"] if i > 0 else 0.0
    return refs


def decode_outputs(m, out, offsets):
    """Model outputs [batch][outputSize] back to original units: offset + scale · out per value (exp'd under the log
    transform); offsets [batch][outputSize] come with each sample (the references of a time-mixing transform, else
    the target normalization's a)."""
    t, K = transform_of(m), len(m["targetColumns"])
    if t["name"] in MIXING:
        scale = [t["columns"][o % K]["outputScale"] for o in range(m["config"]["outputSize"])]
    else:
        scale = [m["normalization"]["targets"][o % K]["b"] for o in range(m["config"]["outputSize"])]
    y = out * torch.tensor(scale, dtype=out.dtype) + torch.tensor(offsets, dtype=out.dtype)
    return y.exp() if t["name"] == "log" else y


def forecast_samples(m, table, with_targets):
    """Forecast windows. Predicting (with_targets False): every window of window steps of each series, stride 1, as
    predict does (forecast_inputs.ts). Training: windows at the model's stride whose horizon steps follow, split by the
    part holding all their targets (forecast_set.ts); windows touching a missing value or crossing a break are left out."""
    c, T, h = m["config"], m["window"], m["horizon"] if with_targets else 0
    feats = features_of(m)
    e_in, e_out = m["normalization"]["inputs"], m["normalization"]["targets"]
    targets = m["targetColumns"] if with_targets else []
    value_columns = list(dict.fromkeys([f["column"] for f in feats if f["kind"] == "value"] + targets))
    category_columns = list(dict.fromkeys(f["column"] for f in feats if f["kind"] == "onehot"))
    numeric = [table.numbers(name) for name in value_columns]
    categories = [table.texts(name, "categories") for name in category_columns]
    time_column = table.column(m["timeColumn"]) if m.get("timeColumn") else None
    times = time_column.times() if time_column else None
    is_date = time_column is not None and time_column.is_date
    if any(f["kind"] == "calendar" for f in feats) and not is_date:
        raise SystemExit(f"The model computes calendar features from column {m['timeColumn']!r}, but in {table.path} it does not hold dates.")
    names, codes = group_rows(table, m.get("groupColumn"))
    groups = rows_by_group(names, codes, times)
    step = typical_step(groups, times)
    split = m["split"] if with_targets else {"valFraction": 0, "testFraction": 0}
    t = transform_of(m)
    K, H = len(m["targetColumns"]), c["outputSize"] // len(m["targetColumns"])
    mixing, logged = t["name"] in MIXING, t["name"] == "log"
    log = lambda v: math.log(v) if v > 0 else math.nan
    out = []
    for g, rows in enumerate(groups):
        s = build_series(rows, numeric, categories, times, step, m["missing"], split)
        n = len(s["rows"])
        x_all = []
        for p in range(n):
            values = []
            for i, (f, e) in enumerate(zip(feats, e_in)):
                if f["kind"] == "value":
                    raw = s["numeric"][value_columns.index(f["column"])][p]
                elif f["kind"] == "onehot":
                    raw = 1.0 if s["categories"][category_columns.index(f["column"])][p] == f["value"] else 0.0
                else:
                    angle = 2 * math.pi * cycle_position(f["part"], s["times"][p])
                    raw = math.sin(angle) if f["fn"] == "sin" else math.cos(angle)
                # The targets come first: raw under a time-mixing transform (transformed per window), logged under log.
                values.append(raw if i < K and mixing else normalize(log(raw) if i < K and logged else raw, e))
            x_all.append(values)
        bad_x = prefix_counts(has_nan(v) for v in x_all)
        broken = prefix_counts(p in s["breaks"] for p in range(n))
        raw_y = [[s["numeric"][value_columns.index(name)][p] for name in targets] for p in range(n)]
        y_all = raw_y if mixing else [[normalize(log(v) if logged else v, e) for v, e in zip(r, e_out)] for r in raw_y]
        bad_y = prefix_counts(has_nan(v) for v in y_all)
        group = names[g] if m.get("groupColumn") else None
        for start in range(0, n - T - h + 1, m["stride"] if with_targets else 1):
            first, end = start + T, start + T + h
            if broken[end] - broken[start + 1] > 0 or bad_x[first] - bad_x[start] > 0 or bad_y[end] - bad_y[first] > 0:
                continue
            last = start + T - 1
            row = s["rows"][last]
            time = None
            if time_column is not None:
                time = time_column.text(row) if row >= 0 else format_date(s["times"][last]) if is_date else js_number(s["times"][last])
            x = [list(r) for r in x_all[start:first]]
            if mixing:
                refs = transform_window(t, x, H)
                offset = [refs[hh][k] for hh in range(H) for k in range(K)]
            else:
                offset = [e_out[k]["a"] for hh in range(H) for k in range(K)]
            if not with_targets:
                out.append(make_sample(x, None, 0, row, group, time, offset))
                continue
            part = 0 if end <= s["train_end"] else 1 if first >= s["train_end"] and end <= s["validation_end"] else 2 if first >= s["validation_end"] else None
            if part is None:
                continue
            if c["headOn"] == "every_step":  # step t predicts the step after it (step_targets.ts)
                y = [y_all[start + t + 1] for t in range(T)]
            elif mixing:  # (value - reference) / outputScale
                y = [(raw_y[first + hh][k] - refs[hh][k]) / t["columns"][k]["outputScale"] for hh in range(H) for k in range(K)]
            else:
                y = [v for p in range(first, end) for v in y_all[p]]
            out.append(make_sample(x, y, part, row, group, time, offset))
    return out


def sequence_samples(m, table, with_targets, labels):
    """Sequence classification: one sample per row (wide: the sequence columns as its steps) or per group (long: in
    time order, the last window steps, shorter ones zero-padded at the start; row = the group's first row)."""
    T, e = m["window"], m["normalization"]["inputs"]
    out = []
    if m["layout"] == "wide":
        columns = [table.numbers(name) for name in m["sequenceColumns"]]
        for r in range(table.count):
            if with_targets and labels[r] < 0:
                continue
            seq = [col[r] for col in columns]
            fill_missing(seq, m["missing"])
            if not has_nan(seq):
                out.append(make_sample([[normalize(v, e[0])] for v in seq], labels[r] if with_targets else None, 0, r))
        return out
    columns = [table.numbers(name) for name in m["inputColumns"]]
    times = table.column(m["timeColumn"]).times() if m.get("timeColumn") else None
    names, codes = group_rows(table, m["groupColumn"])
    for g, rows in enumerate(rows_by_group(names, codes, times)):
        if not rows:
            continue
        y = None
        if with_targets:
            ids = [labels[r] for r in rows if labels[r] >= 0]
            if not ids:
                continue
            if any(i != ids[0] for i in ids):
                raise SystemExit(f"{table.path}: series {names[g]!r} has two labels; in long format every row of a sequence carries the same label.")
            y = ids[0]
        steps = []
        for col in columns:
            series = [col[r] for r in rows]
            fill_missing(series, m["missing"])
            steps.append(series)
        if any(has_nan(series) for series in steps):
            continue
        x = [[normalize(steps[f][t], e[f]) for f in range(len(columns))] for t in range(max(0, len(rows) - T), len(rows))]
        out.append(make_sample([[0.0] * len(columns)] * (T - len(x)) + x, y, 0, rows[0], names[g]))
    return out


def text_samples(m, table, with_targets, labels):
    """Text classification: one sample per row; training leaves out rows without a label or without any token."""
    vocab, T = m["vocabulary"], m["window"]
    index = {t: i for i, t in enumerate(vocab["tokens"])}
    col = table.column(m["inputColumns"][0])
    out = []
    for r in range(table.count):
        text = col.text(r)
        if with_targets:
            level = vocab["level"]
            s = text.lower() if vocab["lowercase"] else text
            if labels[r] < 0 or not (js_trim(SPACES.sub(" ", s)) if level == "char" else WORD.findall(s)):
                continue
        out.append(make_sample(tokenize(text, vocab, T, index), labels[r] if with_targets else None, 0, r))
    return out


def build_examples(m, path, with_targets=True):
    """The model's samples from a CSV, as the playground builds them: {"x", "y", "part", "row", "group", "time"} with x
    normalized inputs [window][features] (token ids [window] for text), y normalized targets ([window][targets] for a
    head on every step) or a class id (None without targets), part 0 train / 1 validation / 2 test, row the 0-based
    data row of the prediction (-1 for a time step filled into a gap), group the series and time the time written for
    the last input step (or None)."""
    table = Table(path)
    labels = table.labels(m) if with_targets and m["task"] != "forecast" else None
    if m["task"] == "forecast":
        examples = forecast_samples(m, table, with_targets)
    elif m["task"] == "classify-text":
        examples = text_samples(m, table, with_targets, labels)
    else:
        examples = sequence_samples(m, table, with_targets, labels)
    if with_targets and m["task"] != "forecast":
        for ex, part in zip(examples, stratified_parts([ex["y"] for ex in examples], len(m["classNames"]), m["split"], m["seed"])):
            ex["part"] = part
    if not examples:
        raise SystemExit(f"{path} gives no complete window of {m['window']} steps (check the columns, the missing values and the window).")
    return examples
`;
