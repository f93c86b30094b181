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
// Prefill runs BenchmarkPrefill's body: sub-benchmarks
// named backend=B/scenario=S, each reporting ns/op, tok/s, p50-ms, p95-ms,
// p99-ms and peak-RSS-bytes, preceded by the benchfmt configuration lines
// of the machine, the model's identity, the corpus and every session
// option, so benchstat and benchgate read the output as they read ours.
// Generate runs BenchmarkGenerate's: greedy generation
// with a KV cache, sub-benchmarks backend=B/scenario=S over the generation
// shapes (gen_<batch>x<prompt>+<new>), each reporting ttft-p50-ms,
// ttft-p99-ms, tpot-p50-ms, tpot-p99-ms, itl-p99-ms, e2e-ms, tok/s,
// kv-cache-bytes and peak-RSS-bytes.
// PerplexityGate runs TestPerplexityGate's: the model
// is evaluated by a baseline and every candidate backend, and each
// candidate is judged against its precision's bounds in a subtest named
// backend=B; seeded or untrained models are refused, never passed.
//
// # Settings
//
// A run's settings (model, architecture, corpus, threads, backends,
// scenarios, generation scenarios) come from, first to last:
//
//  1. the flag given on the command line, if the test binary registered the
//     flags (RegisterFlags in TestMain: -model -arch -corpus -threads
//     -backends -scenarios -gen-scenarios);
//  2. the Option in code (Model, Backends, …);
//  3. the INFERBENCH_* variable (INFERBENCH_MODEL, INFERBENCH_BACKENDS, …);
//  4. the default (gpt2-tiny, every registered backend, every scenario).
//
// Importing the package registers no flag, so a module whose tests define
// a -model flag of their own imports it safely. A model is a zoo name
// (gpt2-tiny, gpt2-124m-arch, …) or file:PATH naming an .onnx file or a
// Hugging Face GPT-2 directory (config.json and model.safetensors). A
// backend that cannot run on the machine is skipped with its reason.
//
// Third-party backends implement the interfaces of package backends and
// register themselves with backends.Register; the model they are handed is
// described by package backends/model.
package inferbench
