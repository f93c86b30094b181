#!/usr/bin/env python3
"""Train the gpt2-tiny fixture: a 4-layer, 64-wide GPT-2 (Hugging Face
GPT2LMHeadModel semantics, r50k_base vocabulary) on the Opticks train part and
the WikiText-2 validation split, then measure its perplexity on the Opticks
held-out part, which it never saw.

Input (--data): train.bin, val.bin, heldout.bin (uint16 little-endian token
ids) and data.json, all written by `go run ./tools/trainfixture/tokenize`.
val.bin is the tail of each training source, used only for checkpoint
selection; heldout.bin is used only once, at the end, on the chosen model.

Output (--out): model.safetensors (fp16, Hugging Face GPT-2 names without the
"transformer." prefix, no lm_head.weight, no attention-mask buffers),
config.json, MANIFEST.json and train.log (the caller tees stdout).

One or more training configurations (--runs) are tried in turn, each from the
same seed, within --time-limit seconds; the checkpoint with the lowest
validation loss over all of them is kept. The held-out perplexity is computed
in float32 from the fp16-rounded weights, i.e. on exactly the committed model,
with Hugging Face's sliding-window method (window 512, stride 256).
"""

import argparse
import hashlib
import json
import math
import os
import platform
import sys
import time
from contextlib import nullcontext

import numpy as np
import torch
import torch.nn.functional as F
import transformers
from safetensors.torch import save_file
from transformers import GPT2Config, GPT2LMHeadModel

MODEL_NAME = "gpt2-tiny"
ARCH = dict(n_layer=4, n_head=4, n_embd=64, n_positions=512, vocab_size=50257,
            layer_norm_epsilon=1e-5)
EOT = 50256


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="directory written by tools/trainfixture/tokenize")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--runs", default="3e-3:800,3e-3:2000,1.5e-3:4000",
                   help="comma-separated LR:STEPS configurations, tried in turn (best validation loss wins)")
    p.add_argument("--batch", type=int, default=32, help="sequences per step")
    p.add_argument("--seq", type=int, default=512, help="tokens per training window (<= n_positions)")
    p.add_argument("--warmup", type=int, default=100, help="linear warmup steps")
    p.add_argument("--min-lr-frac", type=float, default=0.1, help="cosine floor as a fraction of the peak LR")
    p.add_argument("--wd", type=float, default=0.1, help="AdamW weight decay (matrices and embeddings only)")
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip")
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--time-limit", type=float, default=270, help="seconds for all training runs together")
    p.add_argument("--window", type=int, default=512, help="held-out perplexity window")
    p.add_argument("--stride", type=int, default=256, help="held-out perplexity stride")
    p.add_argument("--sample-tokens", type=int, default=40, help="greedy tokens per sample prompt")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    return p.parse_args()


def log(*a):
    print(*a, flush=True)


def seed_all(seed):
    import random
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def load_tokens(path, device):
    a = np.fromfile(path, dtype="<u2").astype(np.int64)
    if a.size == 0:
        raise SystemExit(f"{path}: no tokens")
    if a.max() >= ARCH["vocab_size"]:
        raise SystemExit(f"{path}: token {a.max()} outside the vocabulary")
    return torch.from_numpy(a).to(device)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def make_config(dropout, attn_implementation):
    return GPT2Config(
        **ARCH,
        activation_function="gelu_new",
        resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout,
        bos_token_id=EOT, eos_token_id=EOT,
        tie_word_embeddings=True,
        attn_implementation=attn_implementation,
    )


def build_model(dropout, attn_implementation, device):
    """A fresh GPT2LMHeadModel whose lm_head is tied to wte (checked)."""
    model = GPT2LMHeadModel(make_config(dropout, attn_implementation))
    if model.lm_head.weight.data_ptr() != model.transformer.wte.weight.data_ptr():
        log("transformers left lm_head untied: tying it to wte by hand")
        model.lm_head.weight = model.transformer.wte.weight
    return model.to(device)


def lr_at(step, peak, steps, warmup, min_frac):
    """Linear warmup to peak, then cosine down to min_frac*peak at `steps`."""
    if step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, steps - warmup))
    return peak * (min_frac + (1 - min_frac) * 0.5 * (1 + math.cos(math.pi * t)))


def autocast(device):
    if device.startswith("cuda"):
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return nullcontext()


def next_token_nll(model, ids, labels):
    """Summed float32 NLL of labels[:, 1:] given ids[:, :-1] (-100 is skipped)
    and the number of tokens scored."""
    logits = model(ids[:, :-1]).logits.float()  # causal: the last token is only a label
    tgt = labels[:, 1:]
    nll = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1),
                          ignore_index=-100, reduction="sum")
    return nll, int((tgt != -100).sum())


@torch.no_grad()
def val_loss(model, val, seq, device):
    """Mean NLL over val cut into consecutive windows of seq+1 tokens."""
    model.eval()
    n = (val.numel() - 1) // seq
    ix = torch.arange(n, device=val.device) * seq
    total, count = 0.0, 0
    for chunk in ix.split(64):
        w = val[chunk[:, None] + torch.arange(seq + 1, device=val.device)]
        with autocast(device):
            nll, c = next_token_nll(model, w, w)
        total += float(nll)
        count += c
    model.train()
    return total / count


def train_run(args, lr, steps, train, val, deadline):
    """One training run; returns a summary with the best checkpoint."""
    seed_all(args.seed)
    dev = args.device
    model = build_model(args.dropout, "sdpa", dev)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt_kw = dict(lr=lr, betas=(0.9, 0.95), eps=1e-8)
    if dev.startswith("cuda"):
        opt_kw["fused"] = True
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                             {"params": no_decay, "weight_decay": 0.0}], **opt_kw)
    gen = torch.Generator(device="cpu").manual_seed(args.seed)
    offs = torch.arange(args.seq + 1, device=dev)
    hi = train.numel() - args.seq - 1

    best = dict(val=float("inf"), step=-1, state=None, train_loss=None)
    hist, recent = [], []
    t0 = time.time()
    step = 0
    stopped = "steps"
    for step in range(1, steps + 1):
        for g in opt.param_groups:
            g["lr"] = lr_at(step - 1, lr, steps, args.warmup, args.min_lr_frac)
        ix = torch.randint(0, hi, (args.batch,), generator=gen).to(dev)
        w = train[ix[:, None] + offs]
        with autocast(dev):
            nll, c = next_token_nll(model, w, w)
        loss = nll / c
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        recent.append(loss.detach())
        last = step == steps or time.time() > deadline
        if step % args.eval_every == 0 or last:
            tl = float(torch.stack(recent).mean())
            recent = []
            vl = val_loss(model, val, args.seq, dev)
            hist.append(dict(step=step, train_loss=round(tl, 4), val_loss=round(vl, 4)))
            mark = ""
            if vl < best["val"]:
                best.update(val=vl, step=step, train_loss=tl,
                            state={k: v.detach().clone() for k, v in model.transformer.state_dict().items()})
                mark = " *"
            log(f"run lr={lr:g} steps={steps} step {step:5d} lr {opt.param_groups[0]['lr']:.2e} "
                f"train {tl:.4f} val {vl:.4f} ({time.time() - t0:.1f}s){mark}")
        if step < steps and time.time() > deadline:
            stopped = "time limit"
            break
    return dict(lr=lr, steps_planned=steps, steps_run=step, stopped_by=stopped,
                best_step=best["step"], best_val_loss=round(best["val"], 4),
                train_loss_at_best=round(best["train_loss"], 4), final_train_loss=hist[-1]["train_loss"],
                final_val_loss=hist[-1]["val_loss"], seconds=round(time.time() - t0, 1),
                history=hist, state=best["state"])


def export_state(state):
    """fp16 tensors under Hugging Face GPT-2 names without the
    "transformer." prefix, lm_head and attention-mask buffers."""
    out = {}
    for k, v in state.items():
        if k.endswith(".attn.bias") or k.endswith(".attn.masked_bias"):
            continue
        if not v.is_floating_point():
            raise SystemExit(f"unexpected non-float tensor {k}")
        out[k] = v.detach().to(torch.float16).contiguous().cpu()
    return out


def check_layout(tensors):
    d, L = ARCH["n_embd"], ARCH["n_layer"]
    want = {"wte.weight": [ARCH["vocab_size"], d], "wpe.weight": [ARCH["n_positions"], d],
            "ln_f.weight": [d], "ln_f.bias": [d]}
    for i in range(L):
        h = f"h.{i}."
        want.update({h + "ln_1.weight": [d], h + "ln_1.bias": [d],
                     h + "attn.c_attn.weight": [d, 3 * d], h + "attn.c_attn.bias": [3 * d],
                     h + "attn.c_proj.weight": [d, d], h + "attn.c_proj.bias": [d],
                     h + "ln_2.weight": [d], h + "ln_2.bias": [d],
                     h + "mlp.c_fc.weight": [d, 4 * d], h + "mlp.c_fc.bias": [4 * d],
                     h + "mlp.c_proj.weight": [4 * d, d], h + "mlp.c_proj.bias": [d]})
    got = {k: list(v.shape) for k, v in tensors.items()}
    if got != want:
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        wrong = sorted(k for k in set(want) & set(got) if want[k] != got[k])
        raise SystemExit(f"layout mismatch: missing {missing} extra {extra} wrong shapes {wrong}")


@torch.no_grad()
def heldout_ppl(model, ids, window, stride):
    """Hugging Face's sliding-window perplexity: each window scores only the
    tokens no earlier window scored (the first scores all but its first)."""
    model.eval()
    ids = ids[None, :]
    n = ids.size(1)
    total, count, prev_end = 0.0, 0, 0
    for begin in range(0, n, stride):
        end = min(begin + window, n)
        trg = end - prev_end
        x = ids[:, begin:end]
        y = x.clone()
        y[:, :-trg] = -100
        nll, c = next_token_nll(model, x, y)
        total += float(nll)
        count += c
        prev_end = end
        if end == n:
            break
    if count != n - 1:
        raise SystemExit(f"sliding window scored {count} tokens, want {n - 1}")
    mean = total / count
    return dict(tokens_scored=count, total_nll=total, mean_nll=mean, ppl=math.exp(mean))


@torch.no_grad()
def greedy(model, prompt, n, device):
    ids = torch.tensor([prompt], device=device)
    for _ in range(n):
        logits = model(ids[:, -ARCH["n_positions"]:]).logits[:, -1]
        ids = torch.cat([ids, logits.argmax(-1, keepdim=True)], dim=1)
    return ids[0, len(prompt):].tolist()


def main():
    args = parse_args()
    wall0 = time.time()
    if args.seq > ARCH["n_positions"]:
        raise SystemExit("--seq exceeds n_positions")
    runs = []
    for r in args.runs.split(","):
        lr, steps = r.split(":")
        runs.append((float(lr), int(steps)))
    dev = args.device
    if dev.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.data, "data.json")) as f:
        data = json.load(f)
    for name, meta in data["files"].items():
        got = sha256_file(os.path.join(args.data, name))
        if got != meta["sha256"]:
            raise SystemExit(f"{name}: sha256 {got} != data.json's {meta['sha256']}")
    train = load_tokens(os.path.join(args.data, "train.bin"), dev)
    val = load_tokens(os.path.join(args.data, "val.bin"), dev)
    held = load_tokens(os.path.join(args.data, "heldout.bin"), dev)
    gpu = torch.cuda.get_device_name(0) if dev.startswith("cuda") else platform.processor() or "cpu"
    log(f"torch {torch.__version__} transformers {transformers.__version__} device {dev} ({gpu})")
    log(f"tokens: train {train.numel()} val {val.numel()} heldout {held.numel()}; runs {runs}")

    deadline = time.time() + args.time_limit
    results = []
    for lr, steps in runs:
        if time.time() > deadline:
            log(f"skipping run lr={lr:g} steps={steps}: time limit reached")
            continue
        res = train_run(args, lr, steps, train, val, deadline)
        log(f"run lr={lr:g} steps={steps}: ran {res['steps_run']} ({res['stopped_by']}), "
            f"best val {res['best_val_loss']:.4f} at step {res['best_step']}, {res['seconds']}s")
        results.append(res)
    chosen = min(results, key=lambda r: r["best_val_loss"])
    log(f"chosen: lr={chosen['lr']:g} steps={chosen['steps_planned']} best step {chosen['best_step']} "
        f"val {chosen['best_val_loss']:.4f}")

    # The committed model: fp16 weights, evaluated in float32.
    tensors = export_state(chosen["state"])
    check_layout(tensors)
    wpath = os.path.join(args.out, "model.safetensors")
    save_file(tensors, wpath, metadata={"format": "pt"})
    wsha = sha256_file(wpath)

    if dev.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    model = build_model(0.0, "eager", dev).float().eval()
    missing, unexpected = model.transformer.load_state_dict(
        {k: v.float() for k, v in tensors.items()}, strict=False)
    if unexpected or any(not (k.endswith(".attn.bias") or k.endswith(".attn.masked_bias")) for k in missing):
        raise SystemExit(f"reload: missing {missing} unexpected {unexpected}")
    if model.lm_head.weight.data_ptr() != model.transformer.wte.weight.data_ptr():
        raise SystemExit("lm_head is not tied to wte")
    params = sum(p.numel() for p in model.parameters())  # tied weight counted once
    val16 = val_loss_fp32(model, val, args.seq)
    ppl = heldout_ppl(model, held, args.window, args.stride)
    log(f"fp16 model: params {params} val loss {val16:.4f}; held-out {data['heldout']['name']}: "
        f"{ppl['tokens_scored']} tokens scored, mean NLL {ppl['mean_nll']:.4f}, PPL {ppl['ppl']:.2f} "
        f"(window {args.window}, stride {args.stride}, float32)")

    samples = []
    for p in data["prompts"]:
        cont = greedy(model, p["ids"], args.sample_tokens, dev)
        samples.append(dict(prompt=p["text"], prompt_ids=p["ids"], continuation_ids=cont))
        log(f"sample {p['text']!r}: {cont}")

    config = dict(ARCH, model_type="gpt2", architectures=["GPT2LMHeadModel"],
                  activation_function="gelu_new", n_ctx=ARCH["n_positions"],
                  bos_token_id=EOT, eos_token_id=EOT, tie_word_embeddings=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")

    manifest = dict(
        model=MODEL_NAME,
        config=dict(ARCH, activation_function="gelu_new", tie_word_embeddings=True),
        params=params,
        weights=dict(file="model.safetensors", sha256=wsha, bytes=os.path.getsize(wpath),
                     dtype="float16", tensors=len(tensors),
                     layout="Hugging Face GPT-2 names without the transformer. prefix; "
                            "Conv1D weights [in, out]; lm_head tied to wte.weight"),
        tokenizer="r50k_base",
        training=dict(
            corpora=data["sources"],
            val_fraction=data["val_fraction"],
            train_tokens=train.numel(), val_tokens=val.numel(),
            steps=chosen["steps_run"], steps_planned=chosen["steps_planned"],
            best_step=chosen["best_step"],
            final_train_loss=round(chosen["final_train_loss"], 4),
            train_loss_at_best=round(chosen["train_loss_at_best"], 4),
            best_val_loss=round(chosen["best_val_loss"], 4),
            val_loss_fp16=round(val16, 4),
            optimizer=dict(name="AdamW", lr=chosen["lr"], betas=[0.9, 0.95], eps=1e-8,
                           weight_decay=args.wd, warmup=args.warmup, schedule="cosine",
                           min_lr_frac=args.min_lr_frac, grad_clip=args.clip),
            batch=args.batch, seq=args.seq, dropout=args.dropout,
            precision="bf16 autocast, fp32 master weights",
            seed=args.seed,
            runs_tried=[{k: v for k, v in r.items() if k not in ("state", "history")} for r in results],
        ),
        heldout=dict(name=data["heldout"]["name"], bytes=data["heldout"]["bytes"],
                     sha256=data["heldout"]["sha256"], tokens=data["heldout"]["tokens"],
                     tokens_scored=ppl["tokens_scored"], mean_nll=round(ppl["mean_nll"], 6),
                     ppl=round(ppl["ppl"], 4), window=args.window, stride=args.stride,
                     method="Hugging Face sliding window; float32 compute on the fp16 weights"),
        samples=samples,
        env=dict(torch=torch.__version__, transformers=transformers.__version__,
                 python=platform.python_version(), gpu=gpu,
                 cuda=torch.version.cuda if dev.startswith("cuda") else None),
        wall_seconds=round(time.time() - wall0, 1),
        command="python3 tools/trainfixture/train_tiny.py " + " ".join(sys.argv[1:]),
    )
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "history.json"), "w") as f:
        json.dump([dict(lr=r["lr"], steps=r["steps_planned"], history=r["history"]) for r in results], f)
        f.write("\n")
    log(json.dumps({k: manifest[k] for k in ("params", "weights", "heldout")}, indent=2))
    if ppl["ppl"] >= 1000:
        raise SystemExit(f"held-out PPL {ppl['ppl']:.1f} >= 1000: the fixture has not learned enough")


@torch.no_grad()
def val_loss_fp32(model, val, seq):
    """val_loss without autocast (the fp16-weight model in float32)."""
    model.eval()
    n = (val.numel() - 1) // seq
    ix = torch.arange(n, device=val.device) * seq
    total, count = 0.0, 0
    for chunk in ix.split(16):
        w = val[chunk[:, None] + torch.arange(seq + 1, device=val.device)]
        nll, c = next_token_nll(model, w, w)
        total += float(nll)
        count += c
    return total / count


if __name__ == "__main__":
    main()
