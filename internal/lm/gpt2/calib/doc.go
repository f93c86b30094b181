// Package calib calibrates the activation ranges of the int8 GPT-2 graph
// (see package graph: the float input of every Conv1D MatMul is a
// quantization point).
//
// Calibrate builds the fp32 graph with those tensors as extra outputs
// (graph.Options.ExposeActivations), has a Runner run it over windows of
// calibration text and reduces what each point saw to a range, with one of
// two methods:
//
//	minmax            the smallest and largest value seen (the default,
//	                  which measured best; see DefaultMethod);
//	percentile-P      each tail clipped to 1 − P/100 of the values
//	                  (P = 99.99 unless set), from a histogram.
//
// The default calibration text is the train part of Go's Opticks, the text
// gpt2-tiny was trained on, disjoint from the default evaluation text
// (corpus.Heldout), so a quantized model is never calibrated on what it is
// judged on. Windows are evenly spaced over the whole text (default 32 of
// 128 tokens).
//
// The histogram (Observer) has Bins bins over [−h, h), h the smallest power
// of two above every |x| seen, merging pairs of bins whenever a value
// doubles h; percentile bounds are bin edges and err on the wide side by
// less than a bin.
//
// The Runner comes from outside (Options.Run): this package sits below the
// backends and drives no inference engine. ONNX Runtime's runner is
// ort.Calibrator in internal/backends/ort, which int8 backends pass with their own
// thread count.
//
// Options.Key and Options.Describe name a calibration for caches and model
// identities: method, windows × length, and the corpus' sha256.
package calib
