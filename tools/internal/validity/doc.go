// Package validity reads what a benchmark result says about its own
// outputs: whether they were checked against a baseline and found wrong
// (invalid) or could not be checked (unverified). The benchmarks
// (internal/benchmarks/harness) check the outputs they time and mark a result
// whose outputs broke the precision's bounds with an invalid:<bound>
// metric; a result may also be marked invalid by an "invalid" name key or
// configuration key. benchgate refuses to compare an invalid result and
// tools/report lists it under INVALID, never ranking it: a fast number
// with wrong answers is not a result.
package validity
