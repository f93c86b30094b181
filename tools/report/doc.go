// Report writes a cross-backend benchmark report: report.md and PNG
// figures (p50 latency per scenario and backend with whiskers to the p95,
// throughput against tokens per call), a speed-up matrix against a
// baseline backend with Holm-adjusted Mann-Whitney p-values and Cliff's δ,
// per-scenario rankings of the significant speed-ups, session-creation
// overhead with break-even call counts, the accuracy table of
// -accuracy-out JSON files, the model, corpus and machine, and a
// VALID/INVALID banner with every reason.
//
// Usage:
//
//	go test -run '^$' -bench . -count 10 ./benchmarks > bench.txt
//	go test ./accuracy -accuracy-out acc.json   # optional
//	go run ./tools/report -o out bench.txt acc.json
//
// Arguments ending in .json are accuracy reports, the others benchmark
// output. Exit status: 0 VALID, 1 INVALID (the report is still written),
// 2 unusable input or bad flags. See tools/internal/report for the
// statistics and the validity rules.
package main
