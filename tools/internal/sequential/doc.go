// Package sequential decides an A/B benchmark comparison round by round:
// tools/compare adds interleaved rounds (one old and one new process,
// the process being the unit of replication) until every benchmark is
// decided or a time budget is spent, and this package says after each
// round which benchmarks are decided and why the rest are not.
//
// # Why sequential, and why e-values
//
// A fixed number of rounds is wrong in both directions on a shared
// machine: too few when the noise is high (the comparison ends
// inconclusive), too many when it is low (CI time wasted). Looking at
// the data after every round and stopping when it suffices is optional
// stopping, under which a fixed-sample p-value is invalid: peeking at a
// t-test after every round makes its false-alarm rate several times α.
//
// Two designs keep the error control under optional stopping.
// Group-sequential alpha spending (O'Brien–Fleming, Lan–DeMets) needs a
// maximum number of looks fixed in advance and normal statistics at
// every look; here the number of rounds a budget holds depends on the
// machine's load, rows drop out as they are decided, and the variance is
// unknown and estimated from as few as three rounds, where normal
// boundaries are badly wrong. Anytime-valid e-processes need neither:
// their guarantee holds at any stopping time, however chosen, so the
// budget, the round limit and the other rows' progress may decide when
// to stop. This package uses them.
//
// # The test
//
// Each benchmark's primary metric (time per op by default) gives one
// value per process. Round i gives the paired difference
// d_i = log(new_i) − log(old_i), signed so that positive is worse: the
// pairing removes drift shared by the two processes of a round, and the
// log makes the change relative. For the mean μ of the d_i two nulls
// are tested with the same e-process, the Bayes factor of the
// one-sample t-test with a normal prior of variance G on the
// standardized effect and the scale-invariant prior 1/σ (BayesFactor;
// Rouder et al. 2009). Because that prior is the right Haar measure of
// the scale group, the factor is a test martingale under the null
// whatever σ (Pérez-Ortiz, Lardy, de Heide and Grünwald, "E-statistics,
// group invariance and anytime-valid testing", Annals of Statistics
// 2024), the "safe t-test": by Ville's inequality it ever exceeds 1/a
// with probability at most a.
//
//   - "not worse" (μ ≤ 0), on the d_i. Rejecting it at Holm-adjusted
//     level Alpha, with an estimated change worse than Threshold,
//     flags the benchmark (Flagged).
//   - "worse by Threshold or more" (μ ≥ log(1+Threshold)), on
//     d_i − log(1+Threshold). Rejecting it at level Alpha shows the
//     benchmark within the threshold (Within): equal, better, or worse
//     by less than the threshold.
//
// Both are one-sided. The factor is symmetric in t, and under the
// boundary of each null the paired differences of exchangeable sides
// are symmetric, so the first time the factor exceeds 1/(2a) its t lies
// on the alternative's side with probability one half: the p-value is
// 1/(2E) over the record values E set on that side. Anytime-valid
// p-values are valid at any stopping time, so Holm's procedure applies
// to them at whatever round the comparison stops: the family is the
// primary metric of every benchmark, the size of the question asked.
// "All benchmarks within the threshold" needs each one shown, so it
// keeps level Alpha without correction (intersection–union).
//
// A flagged benchmark is confirmed on fresh rounds only: its second
// stage starts from nothing at the next round and must flag it again,
// alone, at level Alpha (Regression), or show it within the threshold
// (Within). The first stage already holds the family to Alpha; the
// confirm stage only removes failures, and a single noisy burst of
// processes cannot fail the gate. The comparison fails as soon as one
// benchmark is confirmed, passes when every benchmark is within the
// threshold, and is otherwise inconclusive when the budget is spent:
// inconclusive is never a pass.
//
// Every row reports the rounds it needed, its estimated change and an
// always-valid confidence sequence whose ends are one-sided 1−Alpha
// bounds (the changes neither one-sided test would reject), and, while
// open, why: which side of the threshold its
// evidence stays on, and the slowdown it could have detected with 80%
// probability at its rounds and noise (Evidence.MDE).
//
// # Calibration
//
// Seeded simulations in the tests (calibration_test.go) run whole
// comparisons, 1000 per case, through the same Tracker, with the CI
// job's family of 12 benchmarks, one of them changed, at most 45 rounds
// (what a 10-minute budget holds at about 12 s per round), and noise
// models of per-process log noise: normal with CV 3%, 5%, 8% and 16%;
// CV 3% with contention bursts (one process in ten slowed by an
// exponential +10% on average, all its benchmarks together); and
// per-benchmark CVs of 35–75% with 14 rounds, fitted to the CI job's
// make compare on a 2-core VM shared by eight engineers. In every case
// unchanged or faster code fails in at most α of the trials (measured:
// at most 0.1%), and a benchmark slower by the threshold or more passes
// in at most α (at +5%: at most 3.4%; at +7%: at most 0.3%): α is the
// design's β for passing a slowdown beyond the margin. The budget
// decides only where the noise allows: unchanged code passes in 100% of
// the trials at CV 3% (17.5 rounds on average), 90% with bursts, 68% at
// CV 5%, almost never from CV 8% on, where it ends inconclusive instead;
// +10% is confirmed in 100%, 99.8% and 100% of the trials at CV 3%, with
// bursts and at CV 5%, 74% at CV 8%, 3% at CV 16%, never on the
// crowded VM. A machine whose processes vary by more than about 4%
// needs a longer budget, fewer benchmarks, or a quieter measure
// (package quiet, the benchmarks' -warmup stable and instructions/op)
// for the gate to decide.
package sequential
