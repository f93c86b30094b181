// Package vocab checks that token ids lie in a model's vocabulary. Every
// place that takes token ids from outside (a model's prefill, the pure-Go
// forward pass, evaluation, calibration, the benchmark and accuracy suites'
// corpus) runs this one check, so an id outside [0, size) is reported the
// same way everywhere: with the id, its position and the size.
package vocab
