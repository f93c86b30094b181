// Package cpu registers the "ort-cpu" backend: ONNX Runtime's CPU execution
// provider computing in fp32.
//
// Every session option is set explicitly and reported by Session.Config:
// intra-op threads from backends.Options.EffectiveThreads (the benchmarks'
// -threads flag, all cores by default), one inter-op thread, sequential
// execution, all graph optimisations (ORT_ENABLE_ALL), the CPU memory arena
// and memory-pattern planning on, and intra-op spinning on (ORT's default,
// made explicit).
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/backends/ort/cpu"
package cpu
