"""inferbench torch worker: runs GPT-2 for the Go torch backends.

Usage: python3 worker.py --model DIR --mode eager|compile --device auto|cpu|cuda:0 [--threads N]

DIR is a Hugging Face GPT-2 directory (config.json, model.safetensors)
written by the Go side. The worker prints one JSON line on stdout (ready, or
why it cannot run), then serves binary little-endian frames on stdin/stdout
until stdin closes:

  request:  u64 n | u32 batch | u32 seq | int64 tokens[batch*seq]
  response: u32 status | u64 n | payload
            status 0: u64 forward_ns | float32 logits[batch, seq, vocab]
            status 1: UTF-8 error message

forward_ns is the model call alone, CUDA-synchronized on both sides: no
input copy to the device, no logits copy to the host. Everything else the
worker prints goes to stderr. The model is fp32 with TF32 off (matmul and
cuDNN), eager attention, and an all-ones attention mask.
"""

import argparse
import json
import os
import struct
import sys
import time
import traceback


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--mode", choices=["eager", "compile"], default="eager")
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()

    # The protocol owns the real stdout; stray prints go to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = os.fdopen(0, "rb", buffering=1 << 16)

    def hello(d):
        out.write((json.dumps(d) + "\n").encode())
        out.flush()

    for mod in ("torch", "transformers"):
        try:
            __import__(mod)
        except Exception as e:  # ImportError, or a broken install
            hello({"ready": False, "import": mod, "error": "%s: %s" % (type(e).__name__, e)})
            return 3
    import torch
    import transformers

    try:
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        if a.threads > 0:
            torch.set_num_threads(a.threads)
        dev = a.device
        if dev == "auto":
            dev = "cuda:0" if torch.cuda.is_available() else "cpu"
        cuda = dev.startswith("cuda")
        model = transformers.GPT2LMHeadModel.from_pretrained(
            a.model, attn_implementation="eager", dtype=torch.float32
        ).to(dev).eval()
        fwd = model
        if a.mode == "compile":
            import torch._dynamo

            # One compiled graph per (batch, seq): allow many shapes.
            torch._dynamo.config.cache_size_limit = 256
            fwd = torch.compile(model, mode="reduce-overhead", dynamic=False)
    except Exception as e:
        traceback.print_exc()
        hello({"ready": False, "error": "%s: %s" % (type(e).__name__, e)})
        return 1

    def sync():
        if cuda:
            torch.cuda.synchronize()

    hello({
        "ready": True,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "device": dev,
        "gpu": torch.cuda.get_device_name(0) if cuda else "",
        "mode": a.mode,
        "tf32": bool(torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32),
        "threads": torch.get_num_threads(),
    })

    while True:
        h = inp.read(16)
        if len(h) == 0:
            return 0
        if len(h) < 16:
            print("worker: short request header", file=sys.stderr)
            return 2
        n, batch, seq = struct.unpack("<QII", h)
        body = inp.read(n - 8)
        if len(body) != n - 8:
            print("worker: short request body", file=sys.stderr)
            return 2
        try:
            with torch.inference_mode():
                ids = torch.frombuffer(bytearray(body), dtype=torch.int64).view(batch, seq).to(dev)
                mask = torch.ones_like(ids)
                sync()
                t0 = time.perf_counter_ns()
                logits = fwd(input_ids=ids, attention_mask=mask).logits
                sync()
                ns = time.perf_counter_ns() - t0
                data = logits.float().cpu().numpy().tobytes()
        except Exception as e:
            traceback.print_exc()
            msg = ("%s: %s" % (type(e).__name__, e)).encode()
            out.write(struct.pack("<IQ", 1, len(msg)) + msg)
            out.flush()
            continue
        out.write(struct.pack("<IQQ", 0, 8 + len(data), ns))
        out.write(data)
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
