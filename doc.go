// Package inferbench is inferbench's public API: the testing-framework
// extension another Go module's _test.go files import to get this
// repository's backend × scenario sub-benchmarks and perplexity gates on
// their own model, in a few lines:
//
//	func BenchmarkMyModel(b *testing.B) {
//		inferbench.Prefill(b, inferbench.Model("file:testdata/model.onnx"))
//	}
//
//	func TestMyModelAccuracy(t *testing.T) {
//		inferbench.PerplexityGate(t, inferbench.Model("file:/models/my-gpt2"), inferbench.Arch("gpt2-124m"))
//	}
//
// Prefill runs BenchmarkPrefill's body (package harness): sub-benchmarks
// named backend=B/scenario=S, each reporting ns/op, tok/s, p50-ms, p95-ms,
// p99-ms and peak-RSS-bytes, preceded by the benchfmt configuration lines
// of the machine, the model's identity, the corpus and every session
// option, so benchstat and benchgate read the output as they read ours.
// Generate runs BenchmarkGenerate's (package harness): greedy generation
// with a KV cache, sub-benchmarks backend=B/scenario=S over the generation
// shapes (gen_<batch>x<prompt>+<new>), each reporting ttft-p50-ms,
// ttft-p99-ms, tpot-p50-ms, tpot-p99-ms, itl-p99-ms, e2e-ms, tok/s,
// kv-cache-bytes and peak-RSS-bytes.
// PerplexityGate runs TestPerplexityGate's (package accuracy): the model
// is evaluated by a baseline and every candidate backend, and each
// candidate is judged against its precision's bounds in a subtest named
// backend=B; seeded or untrained models are refused, never passed.
//
// Options override the test binary's settings, which package suite
// registers as flags (-model -arch -corpus -threads -backends -scenarios
// -gen-scenarios)
// with INFERBENCH_* environment defaults, so `go test -bench . -args
// -backends ort-cpu` works in the other module as it does here. A model is
// a zoo name (gpt2-tiny, gpt2-124m-arch, …) or file:PATH naming an .onnx
// file or a Hugging Face GPT-2 directory (config.json and
// model.safetensors). A backend that cannot run on the machine is skipped
// with its reason.
//
// # Where the package lives, and why
//
// The package must reach both the benchmark bodies (internal/benchmarks/harness)
// and the gates (accuracy). The layers run fixtures → backends →
// benchmarks / accuracy → tools, and the import rules (internal/layers)
// forbid benchmarks → accuracy and tools → benchmarks, so neither a
// benchmarks/ nor a tools/ home can hold it; accuracy may import
// benchmarks, so accuracy/inferbench can, without an exception to the
// rules. Its dependencies are re-exported as far as callers need them:
// examples/custommodel, a module of its own, imports nothing else of this
// repository.
package inferbench
