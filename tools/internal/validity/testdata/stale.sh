#!/bin/sh
# Regenerates stale.txt: BenchmarkPrefill and BenchmarkGenerate of the
# benchmarks' test binary over its test backends fake-stale (outputs stale
# after its third call) and fake-honest (benchmarks/stale_test.go), as
# TestStaleOutputsAreCaught runs them. The run fails (the stale results are
# invalid), so its exit status is ignored.
set -u
cd "$(dirname "$0")/../../../.." || exit 1
INFERBENCH_TEST_FAKE_BACKENDS=1 go test -run '^$' -bench '^Benchmark(Prefill|Generate)$' -benchtime 2x ./benchmarks \
	-backends fake-stale,fake-honest -scenarios single_micro -gen-scenarios gen_1x32+128 -isolate=false \
	>tools/internal/validity/testdata/stale.txt
exit 0
