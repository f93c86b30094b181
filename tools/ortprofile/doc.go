// Ortprofile summarises ONNX Runtime JSON profiles: per file, the runs
// profiled, the kernels per run and their time per run, then per operator
// type and execution provider the kernels per run, the time per run and
// its share. It answers "how many kernels does a forward launch, and where
// does its time go" for a session profiled with the benchmarks'
// -ort-profile flag (or any ORT profile).
//
// Usage:
//
//	ortprofile profile.json...
//
// The times are ORT's node timings (the "dur" of each
// "<node>_kernel_time" event): on a GPU provider they include the launch,
// not necessarily the device time, and a profiled session runs slower
// than an unprofiled one, so use them for shares and counts, never as
// results.
package main
