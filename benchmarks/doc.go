// Package benchmarks times every registered backend on every scenario:
//
//	go test -bench . ./benchmarks                       # gpt2-tiny, all backends
//	go test -bench . ./benchmarks -model gpt2-124m-arch -backends ort-cpu
//	go test -bench Prefill ./benchmarks -scenarios report -threads 2 -count 10 > new.txt
//
// Benchmarks are named BenchmarkPrefill/backend=<b>/scenario=<s>, so
// benchstat and benchgate can group them by backend= and scenario= keys.
// Besides ns/op, each reports tok/s, p50-ms, p95-ms, p99-ms (from
// per-iteration timings) and peak-RSS-bytes. Before the results the output
// carries benchfmt configuration lines: the model's identity (name,
// architecture, parameter count, weights sha256, trained or seeded), the
// corpus the inputs came from, the ONNX Runtime version, the Go version, the
// machine and the git commit; before each backend's results, every option its
// session was created with.
//
// A backend that cannot run here is skipped with its reason, never
// silently: go test -v shows it, and a "# skip <benchmark>: <reason>" line
// (which benchfmt ignores) shows it without -v.
//
// The flags -model -arch -corpus -threads -backends -scenarios and their
// INFERBENCH_* variables are package suite's (backends/suite), shared with
// the accuracy gates and the conformance tests; -reference-max-gflop is the
// benchmarks' own. The benchmark bodies live in package harness
// (harness.Prefill, harness.SessionCreate), which the public package
// inferbench runs on other modules' models too.
package benchmarks
