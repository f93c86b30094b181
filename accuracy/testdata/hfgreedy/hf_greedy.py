"""Greedy continuations of gpt2-tiny by Hugging Face transformers, the
reference that inferbench's KV-cache decoders are checked against.

Usage (on a machine with torch and transformers; the GPU machine has both):
    python3 hf_greedy.py MODEL_DIR prompts.json hf_greedy.json

MODEL_DIR is fixtures/gpt2tiny (config.json + model.safetensors).
prompts.json holds token ids cut from the held-out Opticks text at the
offsets it records (accuracy's TestGreedyMatchesHuggingFace checks that they
still are). Each prompt is continued by generate(do_sample=False) for
new_tokens tokens with no stopping at end-of-text: in float64 on the CPU (the
golden tokens) and, where CUDA is present, in float32 with TF32 off. For every
step the script also records the margin between the best and second-best
logit, so a disagreement can be told apart from a near tie.
"""
import json
import sys

import torch
import transformers
from transformers import GenerationConfig, GPT2LMHeadModel


def run(model_dir, prompts, new_tokens, device, dtype):
    model = GPT2LMHeadModel.from_pretrained(model_dir, dtype=dtype).to(device).eval()
    cfg = GenerationConfig(do_sample=False, num_beams=1, max_new_tokens=new_tokens,
                           eos_token_id=None, pad_token_id=0)
    out = []
    for p in prompts:
        ids = torch.tensor([p["ids"]], device=device)
        with torch.no_grad():
            g = model.generate(ids, attention_mask=torch.ones_like(ids), generation_config=cfg,
                               output_scores=True, return_dict_in_generate=True)
        tokens = g.sequences[0, ids.shape[1]:].tolist()
        margins = []
        for s in g.scores:
            top = s[0].double().topk(2).values
            margins.append(float(top[0] - top[1]))
        assert len(tokens) == new_tokens, (len(tokens), new_tokens)
        out.append({"offset": p["offset"], "tokens": tokens, "min_margin": min(margins),
                    "margins": margins})
    return out


def main():
    model_dir, prompts_path, out_path = sys.argv[1:4]
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    with open(prompts_path) as f:
        doc = json.load(f)
    n = doc["new_tokens"]
    result = {
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "new_tokens": n,
        "golden": "cpu-float64",
        "runs": {"cpu-float64": run(model_dir, doc["prompts"], n, "cpu", torch.float64)},
    }
    if torch.cuda.is_available():
        result["device"] = torch.cuda.get_device_name(0)
        result["runs"]["cuda-float32"] = run(model_dir, doc["prompts"], n, "cuda", torch.float32)
        same = [a["tokens"] == b["tokens"] for a, b in
                zip(result["runs"]["cpu-float64"], result["runs"]["cuda-float32"])]
        print("cuda float32 equals cpu float64 per prompt:", same)
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for r in result["runs"]["cpu-float64"]:
        print("offset", r["offset"], "min margin %.4g" % r["min_margin"], r["tokens"][:12], "...")


if __name__ == "__main__":
    main()
