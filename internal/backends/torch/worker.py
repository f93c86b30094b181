"""inferbench torch worker: runs GPT-2 for the Go torch backends.

Usage: python3 worker.py --model DIR --mode eager|compile --device auto|cpu|cuda:0
                         [--threads N] [--attn sdpa|eager]

DIR is a Hugging Face GPT-2 directory (config.json, model.safetensors)
written by the Go side. The worker prints one JSON line on stdout (ready, or
why it cannot run), then serves binary little-endian frames on stdin/stdout
until stdin closes (protocol.go documents them; the two must agree):

  request:  u64 n | u32 op | u32 batch | u32 seq | u32 arg | payload[n-16]
  response: u32 status | u64 n | payload[n]
            status 0: u64 forward_ns | u64 count | u32 where | u32 0 | [float32 count if where == 1]
            status 1: UTF-8 error message

Ops: 0 prefill (logits to the host), 1 prefill leaving the logits on the
device, 2 copy the last device logits to the host, 3 map a shared-memory
segment (payload: its path; arg: its size in MiB), 4 decoder prefill (arg:
the cache's capacity), 5 decoder step (batch tokens), 6 decoder close,
7 echo (arg float32 values, no model call: the transport alone).
where: 0 no logits, 1 inline in the frame, 2 in the shared-memory segment.

forward_ns is the model call alone, synchronized on both sides: no input
copy to the device, no logits copy to the host. Logits reach the host with
one copy: from the device straight into the shared-memory segment, which is
registered with CUDA as pinned memory (cudaHostRegister), so the copy is a
DMA at the link's speed; the Go side then copies them into the caller's
buffer. Everything else the worker prints goes to stderr.

The model is fp32 with TF32 off, the attention implementation is what the
user asked for (sdpa, transformers' default, unless --attn eager), and the
attention mask is left out: transformers treats a missing mask as all ones
and takes its causal fast path, exactly as for a user's all-ones mask.
"""

import argparse
import json
import mmap
import os
import struct
import sys
import time
import traceback

OP_PREFILL, OP_PREFILL_DEVICE, OP_COPY_LAST, OP_MAP, OP_DEC_PREFILL, OP_DEC_STEP, OP_DEC_CLOSE, OP_ECHO = range(8)
WHERE_NONE, WHERE_INLINE, WHERE_SHM = 0, 1, 2


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--mode", choices=["eager", "compile"], default="eager")
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--attn", choices=["sdpa", "eager"], default="sdpa")
    a = p.parse_args()

    # The protocol owns the real stdout; stray prints go to stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=1 << 20)
    os.dup2(2, 1)
    inp = os.fdopen(0, "rb", buffering=1 << 20)

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
            a.model, attn_implementation=a.attn, dtype=torch.float32
        ).to(dev).eval()
        fwd = model
        step_fwd = model
        if a.mode == "compile":
            import torch._dynamo

            # One compiled graph per (batch, seq): allow many shapes.
            torch._dynamo.config.cache_size_limit = 256
            fwd = torch.compile(model, mode="reduce-overhead", dynamic=False)
            # Decode steps: the forward compiled once per batch over a
            # static cache, replayed through CUDA graphs.
            step_fwd = torch.compile(model.forward, mode="reduce-overhead", dynamic=False)
    except Exception as e:
        traceback.print_exc()
        hello({"ready": False, "error": "%s: %s" % (type(e).__name__, e)})
        return 1

    def sync():
        if cuda:
            torch.cuda.synchronize()

    def mark_step():
        if a.mode == "compile" and cuda:
            torch.compiler.cudagraph_mark_step_begin()

    hello({
        "ready": True,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "cuda": torch.version.cuda or "",
        "device": dev,
        "gpu": torch.cuda.get_device_name(0) if cuda else "",
        "mode": a.mode,
        "attn": model.config._attn_implementation,
        "dtype": str(next(model.parameters()).dtype).replace("torch.", ""),
        "tf32": bool(torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32),
        "threads": torch.get_num_threads(),
    })

    state = {"last": None, "shm": None, "shm_t": None, "pinned": False, "dec": None}

    def unmap():
        if state["shm_t"] is not None and state["pinned"]:
            torch.cuda.cudart().cudaHostUnregister(state["shm_t"].data_ptr())
        state["shm_t"], state["pinned"] = None, False
        mm, state["shm"] = state["shm"], None
        if mm is not None:
            try:
                mm.close()
            except BufferError:
                pass  # a view is still alive: the mapping goes with it

    def map_segment(path, size):
        unmap()
        fd = os.open(path, os.O_RDWR)
        try:
            mm = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        t = torch.frombuffer(mm, dtype=torch.float32)
        pinned = False
        if cuda:
            try:
                pinned = int(torch.cuda.cudart().cudaHostRegister(t.data_ptr(), size, 0)) == 0
            except Exception:
                traceback.print_exc()
        state["shm"], state["shm_t"], state["pinned"] = mm, t, pinned

    def reply(ns, t):
        """Sends forward time and the logits t (None: no logits)."""
        if t is None:
            out.write(struct.pack("<IQQQII", 0, 24, ns, 0, WHERE_NONE, 0))
            out.flush()
            return
        flat = t.reshape(-1)
        n = flat.numel()
        shm_t = state["shm_t"]
        if shm_t is not None and shm_t.numel() >= n:
            shm_t[:n].copy_(flat, non_blocking=state["pinned"])
            sync()
            out.write(struct.pack("<IQQQII", 0, 24, ns, n, WHERE_SHM, 0))
            out.flush()
            return
        data = flat.float().cpu().numpy().tobytes()
        out.write(struct.pack("<IQQQII", 0, 24 + len(data), ns, n, WHERE_INLINE, 0))
        out.write(data)
        out.flush()

    def timed(f):
        sync()
        t0 = time.perf_counter_ns()
        r = f()
        sync()
        return r, time.perf_counter_ns() - t0

    def ids_of(body, batch, seq):
        return torch.frombuffer(bytearray(body), dtype=torch.int64).view(batch, seq).to(dev)

    def new_cache(batch, capacity):
        if a.mode != "compile":
            return transformers.DynamicCache()
        try:
            return transformers.StaticCache(config=model.config, max_batch_size=batch,
                                            max_cache_len=capacity, device=dev, dtype=torch.float32)
        except TypeError:
            return transformers.StaticCache(config=model.config, max_cache_len=capacity)

    def serve(op, batch, seq, arg, body):
        if op in (OP_PREFILL, OP_PREFILL_DEVICE):
            ids = ids_of(body, batch, seq)
            mark_step()
            logits, ns = timed(lambda: fwd(input_ids=ids, use_cache=False).logits)
            if op == OP_PREFILL:
                state["last"] = None
                reply(ns, logits)
            else:
                # Kept (cloned under compile, whose graph outputs the next
                # replay overwrites) until the next call copies it out.
                state["last"] = logits.clone() if a.mode == "compile" else logits
                reply(ns, None)
        elif op == OP_COPY_LAST:
            if state["last"] is None:
                raise RuntimeError("no device logits to copy: call prefill-device first")
            reply(0, state["last"])
        elif op == OP_MAP:
            map_segment(body.decode(), arg << 20)
            reply(1 if state["pinned"] else 0, None)  # forward_ns carries "pinned"
        elif op == OP_DEC_PREFILL:
            ids = ids_of(body, batch, seq)
            cache = new_cache(batch, arg)
            pos = torch.arange(seq, device=dev)
            o, ns = timed(lambda: model(input_ids=ids, past_key_values=cache, use_cache=True,
                                        cache_position=pos))
            state["dec"] = {"cache": o.past_key_values, "len": seq, "cap": arg}
            reply(ns, o.logits)
        elif op == OP_DEC_STEP:
            d = state["dec"]
            if d is None:
                raise RuntimeError("decoder step before decoder prefill")
            if d["len"] >= d["cap"]:
                raise RuntimeError("decoder full: %d positions" % d["cap"])
            ids = ids_of(body, batch, 1)
            pos = torch.tensor([d["len"]], device=dev)
            mark_step()
            o, ns = timed(lambda: step_fwd(input_ids=ids, past_key_values=d["cache"], use_cache=True,
                                           cache_position=pos))
            d["len"] += 1
            reply(ns, o.logits[:, -1, :])
        elif op == OP_DEC_CLOSE:
            state["dec"] = None
            reply(0, None)
        elif op == OP_ECHO:
            if state.get("echo") is None or state["echo"].numel() != arg:
                state["echo"] = torch.zeros(arg, dtype=torch.float32, device=dev)
            reply(0, state["echo"])
        else:
            raise RuntimeError("unknown op %d" % op)

    while True:
        h = inp.read(24)
        if len(h) == 0:
            unmap()
            return 0
        if len(h) < 24:
            print("worker: short request header", file=sys.stderr)
            return 2
        n, op, batch, seq, arg = struct.unpack("<QIIII", h)
        body = inp.read(n - 16)
        if len(body) != n - 16:
            print("worker: short request body", file=sys.stderr)
            return 2
        try:
            with torch.inference_mode():
                serve(op, batch, seq, arg, body)
        except Exception as e:
            traceback.print_exc()
            msg = ("%s: %s" % (type(e).__name__, e)).encode()
            out.write(struct.pack("<IQ", 1, len(msg)) + msg)
            out.flush()


if __name__ == "__main__":
    sys.exit(main())
