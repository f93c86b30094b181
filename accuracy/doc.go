// Package accuracy gates inference backends on perplexity and on the
// divergence of their next-token distributions from a baseline's, as plain
// Test functions:
//
//	go test -v ./accuracy                                 # gpt2-tiny, held-out Opticks
//	go test -v ./accuracy -model file:/path/to/gpt2 -arch gpt2-124m -backends ort-cpu
//	go test -v ./accuracy -run PerplexityGate -max-tokens 4096 -accuracy-out acc.json
//
// TestPerplexityGate/backend=B judges every registered backend other than the
// baseline: the relative perplexity delta, the mean and p99 KL(P‖Q) of the
// baseline's and the candidate's next-token distributions, and their top-1
// agreement must stay within the bounds of the candidate's precision
// (Thresholds). TestModelIsTrained refuses models whose perplexity shows
// untrained weights; seeded zoo models are refused before anything runs. On
// such a model every gate fails as INVALID, or is skipped with
// -allow-untrained, never passed.
//
// TestGreedyDecodeMatchesReference/backend=B decodes greedily with every
// backend that can generate, teacher-forced with the reference's tokens:
// each step's argmax must be the reference's (near ties within the
// precision's error aside), and each step's cached logits must match both
// the reference's and the backend's own prefill of the whole prefix.
//
// The non-test API is what the tests, tools and the public package
// inferbench share: Thresholds and Judge (the verdict), CheckIdentity and
// CheckTrained (validity), Evaluate (a gate run over chosen backends),
// RunGates and SelectBackends (the whole run: the baseline rule, the
// reference taking over an unavailable default baseline, the candidates)
// and Report (its JSON form and tables). The model, corpus, -threads and
// -backends come from package suite (internal/backends/suite), whose flags
// the test binary registers in TestMain.
// Packages metrics and eval hold the arithmetic and the session driver.
package accuracy
