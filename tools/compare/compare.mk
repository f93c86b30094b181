# Interleaved A/B benchmark comparison; the top-level Makefile includes
# this fragment.
#
#   make compare BASE=origin/main
#   make compare BASE=HEAD~1 COMPARE_BENCH=Prefill COMPARE_BUDGET=10m COMPARE_ARGS='-model gpt2-124m-arch'
#
# Builds the benchmark test binaries of BASE (in a temporary git worktree)
# and of the working tree, and runs them alternately (one process per side
# and round) until every benchmark's primary metric is decided, regressed
# (flagged, then confirmed on fresh rounds) or within the threshold, or
# COMPARE_BUDGET is spent; writes $(COMPARE_OUT)/old.txt and new.txt,
# prints benchstat's table and the verdict of every benchmark, and fails on
# a confirmed regression or an inconclusive comparison. COMPARE_BUDGET=0
# runs a fixed COMPARE_COUNT rounds judged by benchgate instead. compare's own exit status (0 pass, 1 regression,
# 2 error, 3 inconclusive) is in $(COMPARE_OUT)/exit-status: make itself
# exits 2 on any failure. The tool is built, not "go run": go run turns
# every failure into status 1.

GO                ?= go
BASE              ?=
COMPARE_PKG       ?= ./benchmarks
COMPARE_BENCH     ?= .
COMPARE_BENCHTIME ?=
COMPARE_COUNT     ?= 10
COMPARE_BUDGET    ?= 10m
COMPARE_TAGS      ?=
COMPARE_OUT       ?= out/compare
# Extra flags for tools/compare, e.g. -format markdown -summary "$$GITHUB_STEP_SUMMARY" -threshold 3.
COMPARE_FLAGS     ?=
# Arguments for the benchmark binaries, e.g. -model gpt2-tiny -scenarios report.
COMPARE_ARGS      ?=
# Prerequisites: the ONNX Runtime library the benchmarks load.
COMPARE_DEPS      ?= setup
COMPARE_BIN       ?= bin/compare

.PHONY: compare compare-base

## compare: interleaved A/B benchmarks of BASE=<git ref> vs the working tree; benchstat table and benchgate verdict, confirmed
compare: compare-base $(COMPARE_DEPS)
	$(GO) build -o '$(COMPARE_BIN)' ./tools/compare
	@status=0; '$(COMPARE_BIN)' -base '$(BASE)' -pkg '$(COMPARE_PKG)' -bench '$(COMPARE_BENCH)' \
		-benchtime '$(COMPARE_BENCHTIME)' -count '$(COMPARE_COUNT)' -budget '$(COMPARE_BUDGET)' -tags '$(COMPARE_TAGS)' \
		-out '$(COMPARE_OUT)' $(COMPARE_FLAGS) -- $(COMPARE_ARGS) || status=$$?; \
	if [ "$$status" -eq 3 ]; then \
		echo "make compare: inconclusive (exit 3): some benchmark was not decided; raise COMPARE_BUDGET (now $(COMPARE_BUDGET)), or COMPARE_COUNT with COMPARE_BUDGET=0, or quiet the machine" >&2; \
	fi; \
	exit $$status

compare-base:
	@test -n '$(BASE)' || { echo 'usage: make compare BASE=<git ref> [COMPARE_BUDGET=10m COMPARE_BENCH=regexp COMPARE_ARGS="-model ..."]' >&2; exit 2; }
