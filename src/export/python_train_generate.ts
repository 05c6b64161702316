// The text-generation part of train_pytorch.py: the text read, tokenized and cut into next-token windows as
// generate_set.ts does, the every-step cross-entropy and the language-model metrics.
import { PYTHON_GENERATE_SOURCE } from './python_generate';

/** Python source (with load_in_pytorch.py's tokenizer): generate_examples, NextTokenLoss, next_token_metrics. */
export const PYTHON_TRAIN_GENERATE_SOURCE = String.raw`${PYTHON_GENERATE_SOURCE}

# ---- Training a text-generation model (src/data/generate_set.ts) ----------------------------------------------------
def read_lm_text(m, path):
    """The text the model learned from: a .txt file whole (UTF-8, a byte order mark dropped), or the CSV's text column,
    its filled rows joined with model.json's separator (generate_set.ts textOfColumn)."""
    if m["dataset"]["columns"]:
        table = Table(path)
        col = table.column(m["inputColumns"][0])
        if col.kind != "text":
            raise SystemExit(f"{path}: column {col.name!r} holds {'dates' if col.kind == 'date' else 'numbers'}, not text; the model learned to write column {col.name!r}.")
        return m.get("separator", "\n").join(col.text(r) for r in range(table.count) if col.values[r] is not None)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read()
    except UnicodeDecodeError as e:
        raise SystemExit(f"{path} is not UTF-8 text (byte {e.start}); save it as UTF-8.")


def lm_tokens(m, path):
    """The text's tokens. A .txt file the page read (as lines) lost its final line break: model.json's token count
    (dataset.rows) tells which reading the playground trained on."""
    level = m["vocabulary"]["level"]
    text = read_lm_text(m, path)
    tokens = lm_tokenize(text, level)
    expected = None if m["dataset"]["columns"] else m["dataset"]["rows"]
    if expected is not None and len(tokens) != expected:
        lines = text.replace("\r\n", "\n").replace("\r", "\n")
        if lines.endswith("\n") and len(lm_tokenize(lines[:-1], level)) == expected:
            return lm_tokenize(lines[:-1], level)
        print(f"note: {path} has {len(tokens)} tokens, but the playground's text had {expected}: the windows and split differ from its own.", file=sys.stderr)
    return tokens


def generate_examples(m, path):
    """buildGenerateSet: the tokens cut by position (the first floor(n (1 - validation - test)) train, up to
    floor(n (1 - test)) validate, the rest test); training windows every stride tokens, validation and test windows
    side by side; x tokens s..s+T-1, y tokens s+1..s+T (one next token per step); ids from model.json's vocabulary."""
    v = m["vocabulary"]
    index = {t: i for i, t in enumerate(v["tokens"])}
    ids = [index.get(t, v["unknownId"]) for t in lm_tokens(m, path)]
    n, T, split = len(ids), m["window"], m["split"]
    train_end = math.floor(n * (1 - split["valFraction"] - split["testFraction"]))
    validation_end = math.floor(n * (1 - split["testFraction"]))
    out = []
    for part, start, stop, step in ((0, 0, train_end, m["stride"]), (1, train_end, validation_end, T), (2, validation_end, n, T)):
        for s in range(start, stop - T, step):
            out.append({"x": ids[s:s + T], "y": ids[s + 1:s + T + 1], "part": part, "row": s, "offset": None})
    return out


class NextTokenLoss(nn.Module):
    """The playground's language-model loss: cross-entropy of every step's logits [batch, window, vocabulary] against
    the next token, the mean over all steps of all windows."""

    def forward(self, out, y):
        return nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))


def next_token_metrics(m, out, y, loss, prefix):
    """Next-token accuracy over every step, perplexity exp(loss) and bits per token (per character for characters)."""
    unit = "char" if m["vocabulary"]["level"] == "char" else "token"
    return {
        f"{prefix}_accuracy": (out.argmax(-1) == y).float().mean().item(),
        f"{prefix}_perplexity": math.exp(loss),
        f"{prefix}_bits_per_{unit}": loss / math.log(2),
    }
`;
