// Package layers states the module's import rules and checks them: layers
// run one way, fixtures → backends → benchmarks / accuracy → tools, with
// the module-level internal/ packages below them all.
//
// The forbidden arrows (Rules) cover production and test imports and every
// build tag the module uses (Tags): fixtures import no backend, benchmark,
// accuracy or tool package; backends no benchmark, accuracy or tool;
// benchmarks nothing of accuracy; tools nothing of benchmarks; internal/
// nothing above it. The check is this package's test, which runs go list
// over the module; Check is exported for it and for tools that want to
// report violations.
package layers
