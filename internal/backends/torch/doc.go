// Package torch registers "torch-eager" and "torch-compile": a PyTorch
// baseline, GPT-2 from Hugging Face transformers (GPT2LMHeadModel, eager
// attention, fp32) run in a Python worker process that the Go session
// talks to over pipes.
//
// The backends are built only with -tags torch. Without the tag the package
// still registers both names, whose Open returns a backends.Unavailable
// error ("built without -tags torch").
//
// # What it measures
//
// Prefill is a round trip: Go encodes the tokens, writes them to the
// worker's stdin, the worker copies them to the device, runs the model,
// copies the logits to the host (.float().cpu().numpy()) and writes them
// back, and Go decodes them into the caller's buffer. Benchmarks written
// in Python usually time the model call alone and leave out the copy of
// the logits to the host; this backend includes it, as every other
// inferbench backend does. The worker also times the model call alone,
// CUDA-synchronized before and after, and sends it with each response:
// sessions implement ForwardTimer, and the package's BenchmarkWorkerForward
// reports it as worker-forward-p50-ms beside the round trip.
//
// # Numerics
//
// The worker turns TF32 off (torch.backends.cuda.matmul.allow_tf32 and
// torch.backends.cudnn.allow_tf32), so GPU matmuls are true fp32: with TF32
// the logits drift by ~1e-3 relative, which fails the fp32 accuracy gate's
// KL bound. The state is recorded as "torch-tf32". The attention mask is
// all ones. Sessions record torch and transformers versions, device and GPU.
//
// # Eager and compile
//
// torch-eager runs the module as is. torch-compile wraps it in
// torch.compile(mode="reduce-overhead", dynamic=False): Inductor kernels
// replayed through CUDA graphs, one compiled graph per (batch, seq) shape,
// compiled on the first call with that shape (the benchmarks' warm-up runs
// pay for it).
//
// # Set-up
//
// Open writes the model's Go weights once into the model cache as a
// Hugging Face directory (config.json and model.safetensors, keyed by the
// weights' sha256) and the embedded worker script beside it, then starts
// `$INFERBENCH_PYTHON worker.py --model DIR --mode eager|compile --device
// auto` (python3 by default). The worker picks cuda:0 when torch sees a
// GPU, else the CPU. Models without Go weights (foreign ONNX files), a
// missing interpreter, or a Python without torch or transformers make the
// backend unavailable with the reason. Errors in the worker come back as
// error frames and become Go errors naming the backend; a worker that dies
// gives ErrWorkerExited with the end of its stderr; one that does not
// answer within ten minutes is killed (ErrTimeout). Close closes the
// worker's stdin, waits, and kills it if it does not exit.
//
// # Measured
//
// Once on an NVIDIA H200 (torch 2.11.0+cu130, transformers 5.17.0, TF32
// off): against the float64 reference on gpt2-tiny, relative L2 1.1e-7 to
// 1.4e-7 for both backends (tolerance 1e-5). On gpt2-124m-arch the round
// trip is dominated by moving logits (vocab 50257 floats per token) through
// the pipe: torch-compile 1×20 takes 6.9 ms p50 of which the worker's
// forward is 1.4 ms; torch-eager 4×19 44.5 ms with an 11.9 ms forward.
// torch-compile compiles each new (batch, seq) on first use, tens of
// seconds each: allow for it in timeouts.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/torch"
package torch
