// Package suite is the one setup every inferbench test binary shares: the
// benchmarks, the accuracy gates, the backends' conformance tests and the
// public API (the module's root package, inferbench) all read their
// model, corpus, threads, backends and scenarios from here, load the model
// and corpus the same way and skip an unavailable backend the same way.
//
// # Flags and environment
//
// Importing the package registers no flag. A test package that wants them
// registers them on its command line (Main here; inferbench.RegisterFlags
// for other modules); each defaults to its environment variable, so a
// setting can come from CI's environment as well as from `go test … -args`.
// A flag given on the command line wins over the variable.
//
//	flag            variable                  meaning
//	-model          INFERBENCH_MODEL          zoo name (gpt2-tiny, …) or file:PATH (.onnx or a Hugging Face GPT-2 directory)
//	-arch           INFERBENCH_ARCH           declared architecture of a file: model (e.g. gpt2-124m); a parameter-count mismatch is an error
//	-corpus         INFERBENCH_CORPUS         UTF-8 text whose tokens feed every run (default: the held-out part of Go's Opticks)
//	-threads        INFERBENCH_THREADS        intra-op threads per session (0: all cores, resolved by backends.Options.EffectiveThreads)
//	-backends       INFERBENCH_BACKENDS       comma-separated backends (default: every registered backend)
//	-scenarios      INFERBENCH_SCENARIOS      comma-separated scenarios, or all, report, long (package workload)
//	-gen-scenarios  INFERBENCH_GEN_SCENARIOS  comma-separated generation scenarios (gen_<batch>x<prompt>+<new>), or all (package workload)
//
// The other variables inferbench reads belong to the component they
// configure and are listed here so that the set is documented in one place:
//
//	INFERBENCH_CACHE                 model cache directory (package zoo; default ~/.cache/inferbench/models)
//	INFERBENCH_PYTHON                interpreter of the torch backends' worker (package torch)
//	ONNXRUNTIME_SHARED_LIBRARY_PATH  ONNX Runtime library to load instead of the `make setup` one (package ortlib)
//
// A variable that does not parse (INFERBENCH_THREADS=many) is reported by
// Load, naming the variable, rather than silently ignored.
//
// # Loading and skipping
//
// Load resolves the settings' model (package zoo) and corpus once per
// process and checks that every corpus token lies in the model's
// vocabulary. Require is Load for a test: it fails on bad input and skips,
// with the reason, only when the default corpus is not installed (a GPU
// machine without Go, say). Open opens a backend's session or skips with
// the backend's own reason, printing the reason on a line benchfmt ignores
// ("# skip <test>: <reason>") so that it shows without -v.
//
// Importing suite registers every backend (package internal/backends/all).
package suite
