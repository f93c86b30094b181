// Package benchmarks times every registered backend on every scenario:
//
//	go test -bench . ./benchmarks                       # gpt2-tiny, all backends
//	go test -bench . ./benchmarks -model gpt2-124m-arch -backends ort-cpu
//	go test -bench Prefill ./benchmarks -scenarios report -threads 2 -count 10 > new.txt
//
// Benchmarks are named BenchmarkPrefill/backend=<b>/scenario=<s>, so
// benchstat and benchgate can group them by backend= and scenario= keys.
// Besides ns/op, each reports tok/s, p50-ms, p95-ms, p99-ms (from
// per-iteration timings) and peak-RSS-bytes, and, where the machine
// counts the hardware event instructions:u (perf_event_open; most VMs do
// not, and the configuration line "instructions: not supported (…)"
// says so), instructions/op: nearly immune to other processes, it shows
// a regression in code on the CPU path with far less noise than time.
// -warmup (or INFERBENCH_WARMUP) sets the untimed prefills before timing:
// a count (default 3), or "stable", until the last 5 prefills' times vary
// by less than 2% (at most 100 or 2 s); the "warmup" configuration line
// records which. Before the results the output
// carries benchfmt configuration lines: the model's identity (name,
// architecture, parameter count, weights sha256, trained or seeded), the
// corpus the inputs came from, the ONNX Runtime version, the Go version, the
// machine, the project revision the binary was built from (harness.Revision)
// and every option each backend's sessions are created with, under keys
// named by the backend (harness.BackendConfig), so that they apply to every
// result and benchstat -col /backend compares backends side by side.
//
// BenchmarkGenerate/backend=<b>/scenario=<s> times greedy generation with
// a KV cache (scenarios gen_1x32+128, gen_1x128+128, gen_8x128+128 and
// gen_1x512+64, selected with -gen-scenarios): one op is one generation,
// reported as ttft-p50-ms, ttft-p99-ms, tpot-p50-ms, tpot-p99-ms,
// itl-p99-ms, e2e-ms, tok/s, kv-cache-bytes and peak-RSS-bytes, each unit's
// direction declared in the output. Backends whose sessions cannot
// generate, and scenarios longer than the model's n_positions, are skipped
// with the reason.
//
// Every result checks the outputs it timed against a baseline (the
// reference or ort-cpu) under its precision's bounds and reports
// verified-calls, top1-agree-%, worst-kl and worst-rel-l2 (prefill) or
// token-agree-% (generation); a result with wrong outputs carries
// invalid:<bound> metrics and fails the run (harness.Check).
//
// A backend that cannot run here is skipped with its reason, never
// silently: go test -v shows it, and a "# skip <benchmark>: <reason>" line
// (which benchfmt ignores) shows it without -v.
//
// On GPUs (builds with an accelerator tag, NVML present) each prefill
// also reports J/tok, gpu-mean-W and gpu-peak-mem-bytes, and GPU sessions
// whose placement proof counts compute kernels off their provider report
// fallback-nodes. -logits device times the GPU backends' forward pass
// with the logits left on the device (the device-to-host copy untimed);
// the default, host, is Prefill's contract. With -isolate (the default)
// each accelerator ONNX Runtime backend is first probed in a child
// process (-isolate-timeout bounds it), so a crash or hang in a native
// GPU library skips that backend with the reason instead of ending the
// run.
//
// The flags -model -arch -corpus -threads -backends -scenarios
// -gen-scenarios are registered as any user's test binary registers them
// (inferbench.RegisterFlags in TestMain), with the same precedence: a flag
// on the command line, then the INFERBENCH_* variable, then the default;
// -reference-max-gflop, -logits, -warmup, -isolate and -isolate-timeout
// are the benchmarks' own. The benchmark bodies
// (internal/benchmarks/harness) are the ones the root package's Prefill,
// Generate and SessionCreate run on other modules' models.
package benchmarks
