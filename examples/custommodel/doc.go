// Package custommodel shows another Go module benchmarking and gating its
// own model with inferbench: a module of its own (go.mod with a replace to
// this repository), whose tests import nothing of inferbench but its public
// package, github.com/inferbench/inferbench.
//
// The model is a Hugging Face GPT-2 checkpoint directory (config.json and
// model.safetensors), named by path as any team's would be: here the
// repository's trained gpt2-tiny checkpoint, so the example runs offline.
// The module's tests have a -model flag of their own, as many do;
// importing inferbench leaves it alone (inferbench registers its flags only
// when asked, RegisterFlags). Point -model at another directory or an
// .onnx file to run the same tests on it; INFERBENCH_BACKENDS and the other
// INFERBENCH_* variables choose what the code does not:
//
//	go test ./...                                  # the gates
//	go test -run '^$' -bench . ./...               # the benchmarks
//	go test ./... -args -model file:/models/gpt2
package custommodel
