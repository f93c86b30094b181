// Package custommodel shows another Go module benchmarking and gating its
// own model with inferbench: a module of its own (go.mod with a replace to
// this repository), whose tests import nothing of inferbench but its public
// package, github.com/inferbench/inferbench/accuracy/inferbench.
//
// The model is a Hugging Face GPT-2 checkpoint directory (config.json and
// model.safetensors), named by path as any team's would be: here the
// repository's trained gpt2-tiny checkpoint, so the example runs offline.
// Point -model (or INFERBENCH_MODEL) at another directory or an .onnx file
// to run the same tests on it:
//
//	go test ./...                                  # the gates
//	go test -run '^$' -bench . ./...               # the benchmarks
//	go test ./... -args -model file:/models/gpt2 -arch gpt2-124m
package custommodel
