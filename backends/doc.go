// Package backends defines the Backend and Session interfaces every inference
// runtime implements, and the registry the benchmarks and accuracy gates
// iterate over.
//
// Implementations live in sub-packages and register themselves from init:
//
//   - reference: the pure-Go GPT-2 forward pass (float64 accumulation).
//   - ort: shared ONNX Runtime plumbing (library resolution, environment,
//     shape-cached I/O tensors); ort/cpu registers "ort-cpu".
//   - accelerator backends (CUDA, TensorRT, WebGPU, PyTorch) are selected by
//     build tags; without their tag they register as unavailable with the
//     reason, so every run says what it skipped and why.
//
// A backend that cannot run returns an error wrapping ErrUnavailable (see
// Unavailable); callers skip it with that reason, never silently.
//
// Sessions may implement optional interfaces, found by type assertion:
// Degrader (the session does not run as its backend claims) and Generator
// (KV-cache decoding: a Decoder prefills prompts into its cache and then
// steps one token per sequence, from buffers allocated up front). Sessions
// without Generator are skipped by generation benchmarks and tests with the
// reason NoGeneration. RowPrefiller computes the logits of only the last
// positions of each sequence (a sliding-window perplexity scores only
// those); a session that cannot after all (a foreign file) returns an
// error wrapping ErrUnavailable and callers prefill whole sequences.
//
// Options.Overlapped tells a backend that its caller computes beside the
// session (the accuracy pass), so its threads should not busy-wait.
package backends
