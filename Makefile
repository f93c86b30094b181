# inferbench — `make bench` times every backend × scenario, `make test` checks
# correctness and accuracy. Both install ONNX Runtime first (make setup).

GO        ?= go
BENCHFLAGS ?=
# Smoke settings for `make test`: every benchmark runs once, so a broken
# benchmark fails the tests rather than the next person's `make bench`.
# Flags of the benchmark binary go after the package path.
SMOKEFLAGS ?= -scenarios single_micro,batch_short -gen-scenarios gen_1x32+128

.PHONY: setup bench test vet fuzz

# The project revision recorded in every result's "commit:" line (see
# internal/benchmarks/harness.Revision); empty outside a git checkout, where the
# binaries fall back to build info or report "unknown".
REVISION := $(shell git rev-parse HEAD 2>/dev/null)
MODIFIED := $(shell git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo true || echo false)
HARNESS  := github.com/inferbench/inferbench/internal/benchmarks/harness
LDFLAGS  := $(if $(REVISION),-ldflags '-X $(HARNESS).commit=$(REVISION) -X $(HARNESS).commitModified=$(MODIFIED)')

# ORT_FLAVOR=gpu installs the onnxruntime-gpu build (pip download) for the
# cuda and tensorrt tags; the default is the CPU library from npm.
ORT_FLAVOR ?= cpu

## setup: install the pinned ONNX Runtime 1.30.0 library (npm pack, sha256-checked, idempotent; ORT_FLAVOR=gpu: pip download onnxruntime-gpu)
setup:
	$(GO) run ./tools/ortsetup -flavor $(ORT_FLAVOR)

## bench: go test -bench . ./benchmarks (BENCHFLAGS='-model gpt2-124m-arch -count 10' …)
bench: setup
	$(GO) test $(LDFLAGS) -run '^$$' -bench . -timeout 60m ./benchmarks $(BENCHFLAGS)

# EXAMPLES are separate modules whose tests use only the public API
# (the root package, inferbench); `make test` runs their tests and benchmarks too.
EXAMPLES ?= examples/custommodel

## test: vet, unit and accuracy tests, a one-iteration run of every benchmark, and the example modules
test: setup vet
	$(GO) test -timeout 20m ./...
	$(GO) test $(LDFLAGS) -run '^$$' -bench . -benchtime 1x ./benchmarks $(SMOKEFLAGS)
	for d in $(EXAMPLES); do \
		(cd $$d && $(GO) test -timeout 10m ./... && $(GO) test $(LDFLAGS) -run '^$$' -bench . -benchtime 1x ./...) || exit 1; \
	done

vet:
	$(GO) vet ./...
	for d in $(EXAMPLES); do (cd $$d && $(GO) vet ./...) || exit 1; done

## fuzz: run each parser fuzz target for FUZZTIME (default 500000x: a count, not a duration, because Go 1.26's
## fuzz coordinator can fail a duration run with "context deadline exceeded" at its end, go.dev/issue/75804);
## TestMakeFuzzRunsEveryTarget checks this list is complete
FUZZTIME ?= 500000x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/lm/safetensors
	$(GO) test -run '^$$' -fuzz '^FuzzUnmarshal$$' -fuzztime $(FUZZTIME) ./internal/lm/onnx
	$(GO) test -run '^$$' -fuzz '^FuzzParseConfig$$' -fuzztime $(FUZZTIME) ./internal/lm/gpt2
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./tools/internal/benchdata
	$(GO) test -run '^$$' -fuzz '^FuzzReadRecords$$' -fuzztime $(FUZZTIME) ./tools/internal/benchdata
	$(GO) test -run '^$$' -fuzz '^FuzzHistory$$' -fuzztime $(FUZZTIME) ./tools/internal/history
	$(GO) test -run '^$$' -fuzz '^FuzzAccuracy$$' -fuzztime $(FUZZTIME) ./tools/internal/report
	$(GO) test -run '^$$' -fuzz '^FuzzParseAndRender$$' -fuzztime $(FUZZTIME) ./tools/internal/render
	$(GO) test -run '^$$' -fuzz '^FuzzParseCPUs$$' -fuzztime $(FUZZTIME) ./tools/internal/quiet

-include tools/compare/compare.mk
