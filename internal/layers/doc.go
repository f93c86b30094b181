// Package layers states the module's import rules and checks them: layers
// run one way, fixtures → backends → benchmarks / accuracy → the root
// package (the public API), the test suites and tools, with the utilities
// under internal/ below them all.
//
// Each layer has public and internal directories (Layers): fixtures/ and
// backends/model with internal/lm; backends/ with internal/backends;
// accuracy/ with internal/benchmarks and internal/accuracy. A package may
// import its own layer and those below, never one above; inside a layer,
// benchmarks and accuracy stay apart and tools do not import the harness
// (Apart). Every package must belong to a layer. The checks cover
// production and test imports under every build tag the module uses
// (Tags). The check is this package's test, which runs go list over the
// module; Check is exported for it and for tools that want to report
// violations.
package layers
