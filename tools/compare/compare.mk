# Interleaved A/B benchmark comparison; the top-level Makefile includes
# this fragment.
#
#   make compare BASE=origin/main
#   make compare BASE=HEAD~1 COMPARE_BENCH=Prefill COMPARE_COUNT=20 COMPARE_ARGS='-model gpt2-124m-arch'
#
# Builds the benchmark test binaries of BASE (in a temporary git worktree)
# and of the working tree, runs them alternately COMPARE_COUNT times, writes
# $(COMPARE_OUT)/old.txt and new.txt, prints benchstat's table and
# benchgate's verdict, and fails (exit 1) on a regression.

GO                ?= go
BASE              ?=
COMPARE_PKG       ?= ./benchmarks
COMPARE_BENCH     ?= .
COMPARE_BENCHTIME ?=
COMPARE_COUNT     ?= 10
COMPARE_TAGS      ?=
COMPARE_OUT       ?= out/compare
# Extra flags for tools/compare, e.g. -format markdown -summary "$$GITHUB_STEP_SUMMARY" -threshold 3.
COMPARE_FLAGS     ?=
# Arguments for the benchmark binaries, e.g. -model gpt2-tiny -scenarios report.
COMPARE_ARGS      ?=
# Prerequisites: the ONNX Runtime library the benchmarks load.
COMPARE_DEPS      ?= setup

.PHONY: compare compare-base

## compare: interleaved A/B benchmarks of BASE=<git ref> vs the working tree; benchstat table and benchgate verdict
compare: compare-base $(COMPARE_DEPS)
	$(GO) run ./tools/compare -base '$(BASE)' -pkg '$(COMPARE_PKG)' -bench '$(COMPARE_BENCH)' \
		-benchtime '$(COMPARE_BENCHTIME)' -count '$(COMPARE_COUNT)' -tags '$(COMPARE_TAGS)' \
		-out '$(COMPARE_OUT)' $(COMPARE_FLAGS) -- $(COMPARE_ARGS)

compare-base:
	@test -n '$(BASE)' || { echo 'usage: make compare BASE=<git ref> [COMPARE_COUNT=10 COMPARE_BENCH=regexp COMPARE_ARGS="-model ..."]' >&2; exit 2; }
