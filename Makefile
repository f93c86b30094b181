# inferbench — `make bench` times every backend × scenario, `make test` checks
# correctness and accuracy. Both install ONNX Runtime first (make setup).

GO        ?= go
BENCHFLAGS ?=
# Smoke settings for `make test`: every benchmark runs once, so a broken
# benchmark fails the tests rather than the next person's `make bench`.
# Flags of the benchmark binary go after the package path.
SMOKEFLAGS ?= -scenarios single_micro,batch_short

.PHONY: setup bench test vet fuzz

## setup: install the pinned ONNX Runtime 1.30.0 library (npm pack, sha256-checked, idempotent)
setup:
	$(GO) run ./tools/ortsetup

## bench: go test -bench . ./benchmarks (BENCHFLAGS='-model gpt2-124m-arch -count 10' …)
bench: setup
	$(GO) test -run '^$$' -bench . -timeout 60m ./benchmarks $(BENCHFLAGS)

## test: vet, unit and accuracy tests, and a one-iteration run of every benchmark
test: setup vet
	$(GO) test -timeout 20m ./...
	$(GO) test -run '^$$' -bench . -benchtime 1x ./benchmarks $(SMOKEFLAGS)

vet:
	$(GO) vet ./...

## fuzz: run each parser fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./fixtures/safetensors
	$(GO) test -run '^$$' -fuzz '^FuzzUnmarshal$$' -fuzztime $(FUZZTIME) ./fixtures/onnx

-include tools/compare/compare.mk
