// The generate() part of load_in_pytorch.py for text-generation models: the same tokens and sampling rules as sampling.ts.

/** Python source: tokens, mulberry32, pick_token, step-by-step logits with the state carried, generate() and its CLI. */
export const PYTHON_GENERATE_SOURCE = String.raw`

# ---- Text generation (src/data/lm_tokens.ts, src/util/prng.ts, src/model_io/sampling.ts) ---------------------------
LM_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\n|[^\s\w]|_")
NO_SPACE_BEFORE = re.compile(r"^[.,;:!?)\]}’”»%]$")
NO_SPACE_AFTER = re.compile(r"^[(\[{“«\n]$")


def lm_tokenize(text, level):
    """Characters (code points; case, spaces and line breaks kept) or words and punctuation, line breaks as tokens."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return list(text) if level == "char" else LM_WORD.findall(text)


def lm_detokenize(tokens, level):
    if level == "char":
        return "".join(tokens)
    out, previous = "", "\n"
    for t in tokens:
        space = out != "" and not NO_SPACE_AFTER.match(previous) and not NO_SPACE_BEFORE.match(t) and t != "\n"
        out += (" " if space else "") + t
        previous = t
    return out


class Mulberry32:
    """The playground's seeded stream (util/prng.ts): the same seed gives the same numbers."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


def pick_token(logits, temperature, top_k, top_p, rng, banned):
    """sampling.ts pickToken: greedy at temperature 0 (lowest id on ties); else softmax(logits / T), sorted by
    probability (ties: lower id), top-k, then top-p, one draw u = rng.next() * kept total."""
    ids = [i for i in range(len(logits)) if i not in banned]
    if temperature == 0:
        best = ids[0]
        for i in ids:
            if logits[i] > logits[best]:
                best = i
        return best
    top = max(logits[i] / temperature for i in ids)
    p = [0.0] * len(logits)
    total = 0.0
    for i in ids:
        p[i] = math.exp(logits[i] / temperature - top)
        total += p[i]
    for i in ids:
        p[i] /= total
    ids.sort(key=lambda i: (-p[i], i))
    kept = ids[:top_k] if top_k > 0 else ids
    if top_p < 1:
        cumulative, n = 0.0, 0
        while n < len(kept) and cumulative < top_p:
            cumulative += p[kept[n]]
            n += 1
        kept = kept[:max(1, n)]
    total = 0.0
    for i in kept:
        total += p[i]
    u = rng.next() * total
    running = 0.0
    for i in kept:
        running += p[i]
        if running > u:
            return i
    return kept[-1]


def prime_ids(manifest, prime):
    v = manifest["vocabulary"]
    index = {t: i for i, t in enumerate(v["tokens"])}
    ids = [index.get(t, v["unknownId"]) for t in lm_tokenize(prime, v["level"])]
    return ids or [index.get("\n", min(2, len(v["tokens"]) - 1))]


def step_logits(model, ids, state=None):
    """Next-token logits [len(ids), vocab] after each of the token ids, and the recurrent state after the last."""
    with torch.no_grad():
        x = model.embedding(torch.tensor([ids], dtype=torch.long))
        y, state = getattr(model, model.cell)(x, state)
        return model.head(y)[0], state


def generate(model, manifest, prime="", length=300, temperature=0.8, top_k=0, top_p=1.0, seed=1):
    """Writes length tokens after prime with the playground's sampling rules; returns the text (prime not included)."""
    v = manifest["vocabulary"]
    rng = Mulberry32(seed)
    banned = {v["padId"], v["unknownId"]}
    logits, state = step_logits(model, prime_ids(manifest, prime))
    last = logits[-1].double().tolist()
    out = []
    for n in range(length):
        token = pick_token(last, temperature, top_k, top_p, rng, banned)
        out.append(token)
        if n < length - 1:
            logits, state = step_logits(model, [token], state)
            last = logits[-1].double().tolist()
    return lm_detokenize([v["tokens"][i] for i in out], v["level"])


def generate_main():
    parser = argparse.ArgumentParser(description="Write text with an LSTM Playground text-generation model in PyTorch.")
    parser.add_argument("--prime", default="", help="the text the model reads first (default: a line break)")
    parser.add_argument("--length", type=int, default=300, help="tokens to write")
    parser.add_argument("--temperature", type=float, default=0.8, help="0 is greedy")
    parser.add_argument("--top-k", type=int, default=0, help="0: all tokens")
    parser.add_argument("--top-p", type=float, default=1.0, help="1: all tokens")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parent), help="folder with model.json and model.safetensors")
    args = parser.parse_args()
    model, m = load_model(args.model_dir)
    sys.stdout.write(generate(model, m, args.prime, args.length, args.temperature, args.top_k, args.top_p, args.seed) + "\n")
`;
