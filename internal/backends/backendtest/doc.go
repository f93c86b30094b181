// Package backendtest checks that a backend computes the model it claims
// to: its logits are compared with a baseline backend's (normally the pure-Go
// reference) on the same weights and inputs, per scenario.
//
// Every check poisons the output buffer with NaN first, so an element the
// backend never wrote fails, and any NaN or Inf fails. Future backends (CUDA,
// TensorRT, WebGPU) reuse the same checks with their own tolerances.
//
// The model and corpus tokens of a conformance test come from package
// suite (suite.Flags.Require: -model, -corpus, … or their INFERBENCH_*
// variables), like every other test binary's.
//
// Stale wraps a backend so that its outputs go stale after a few calls, a
// replayed graph in miniature: tests register it to prove that the
// benchmarks' output checks catch and mark it.
package backendtest
