// Package isolate probes a backend in a child process before the parent
// process trusts it, so that a crash, a hang or a failed load inside an
// accelerator runtime (a segfault in a CUDA provider, a driver that never
// answers) marks that backend unavailable, with the signal, exit status or
// timeout as the reason, and the run goes on with the others.
//
// The child is a re-execution of the running binary (a go test binary:
// os.Executable with -test.run=^$) with EnvProbe naming the backend. The
// binary's TestMain calls Child first: in a child it runs the probe
// registered with SetProbe (typically: open the backend on a small model,
// run one prefill, close), prints the Marker line and exits, without
// running any test. Check, in the parent, runs the child once per backend
// and process, and caches the verdict.
package isolate
