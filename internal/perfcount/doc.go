// Package perfcount counts the user-space instructions a process
// retires (the hardware event instructions:u) through perf_event_open,
// where the kernel and the machine expose it.
//
// Instruction counts are nearly deterministic: another process stealing
// the CPU changes a benchmark's time, not the instructions it retires. A
// regression in code that runs on the CPU (our harness, a tokenizer, a
// pure-Go backend) therefore shows in instructions/op with far less
// noise than in sec/op, which is why CodSpeed gates on them. Many
// virtual machines do not expose the performance monitoring unit; then
// Open returns an error that says so (perf stat would print "not
// supported"), and callers must report that, never a count of zero.
//
// A Counter counts the threads of the calling process that exist when
// Open is called (one event per thread, summed): threads that start
// later are not counted, so open it after the work's thread pools exist.
package perfcount
