// Package torch registers "torch-eager" and "torch-compile": the PyTorch
// peer, GPT-2 from Hugging Face transformers (GPT2LMHeadModel, fp32) run in
// a Python worker process that the Go session talks to over pipes, set up
// the way a transformers user runs it at its best.
//
// The backends are built only with -tags torch. Without the tag the package
// still registers both names, whose Open returns a backends.Unavailable
// error ("built without -tags torch").
//
// # The peer at its best, declared
//
// Attention is sdpa, transformers' default (INFERBENCH_TORCH_ATTN=eager
// selects eager attention); no attention mask is passed, which transformers
// treats as all ones and answers with its causal fast path, as it does for
// a user's all-ones mask; calls run under torch.inference_mode, prefill
// without building a cache. TF32 is off (matmul and cuDNN), so GPU matmuls
// are true fp32: with TF32 the logits drift by ~1e-3 relative, which fails
// the fp32 accuracy gate. Sessions record torch, transformers and CUDA
// versions, device, GPU, dtype, TF32, attention, mask and transport.
//
// # What it measures
//
// Prefill is a round trip: Go writes the tokens to the worker's stdin, the
// worker copies them to the device, runs the model and copies the logits
// with one DMA into a shared-memory segment (/dev/shm, mapped by both
// processes, registered with CUDA as pinned memory), and Go copies them
// with one memmove into the caller's buffer. Without shared memory the
// logits travel inline through a 1 MiB pipe, read straight into the
// caller's buffer. Sessions also implement backends.DeviceLogits: with
// `-logits device` the worker answers with its timing alone and keeps the
// logits on the device until CopyLogits. The worker times the model call
// alone, synchronized before and after, and sends it with each response:
// sessions implement ForwardTimer, and BenchmarkWorkerForward reports it
// as worker-forward-p50-ms beside the round trip (overhead-x is their
// ratio); BenchmarkWorkerTransport times the transport alone per MB.
//
// # Eager and compile
//
// torch-eager runs the module as is. torch-compile wraps it in
// torch.compile(mode="reduce-overhead", dynamic=False): Inductor kernels
// replayed through CUDA graphs, one compiled graph per (batch, seq) shape,
// compiled on the first call with that shape (the benchmarks' warm-up runs
// pay for it).
//
// # Generation
//
// Sessions implement backends.Generator. torch-eager decodes with
// transformers' DynamicCache; torch-compile with a StaticCache of the
// decoder's capacity, its prompt run eagerly and its decode step compiled
// (reduce-overhead, CUDA graphs), each step marked with
// torch.compiler.cudagraph_mark_step_begin and its logits copied out before
// the next replay overwrites them. The worker holds one cache at a time.
//
// # Set-up
//
// Open writes the model's Go weights once into the model cache as a
// Hugging Face directory (config.json and model.safetensors, keyed by the
// weights' sha256) and the embedded worker script beside it, then starts
// `$INFERBENCH_PYTHON worker.py --model DIR --mode eager|compile --device
// auto --attn sdpa|eager` (python3 by default). The worker picks cuda:0
// when torch sees a GPU, else the CPU. Models without Go weights (foreign
// ONNX files), a missing interpreter, or a Python without torch or
// transformers make the backend unavailable with the reason. Errors in the
// worker come back as error frames and become Go errors naming the
// backend; a worker that dies gives ErrWorkerExited with the end of its
// stderr; one that does not answer within ten minutes is killed
// (ErrTimeout). Close closes the worker's stdin, waits, and kills it if it
// does not exit; the shared segment is unlinked as soon as both processes
// have mapped it, so nothing is left behind.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/torch"
package torch
