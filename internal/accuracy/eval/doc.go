// Package eval drives backend sessions over the sliding windows of package
// metrics and scores their logits.
//
// Evaluate runs a baseline session and any number of candidate sessions in
// lockstep on the same windows: each group of equal-length windows is one
// batched Prefill per session, after which every scored position is scored
// under the baseline (perplexity) and compared with each candidate
// (perplexity and divergence). While one group is scored, the sessions
// already run the next group, so forward passes and scoring overlap; logits
// are never stored beyond those two groups, so memory is 2 × batch × window
// × vocab float32 values per session, and the baseline runs once however
// many candidates it judges. A session's forward time is measured while
// scoring runs beside it.
//
// When every session is a backends.RowPrefiller, a group's forward pass
// computes only the logits of the rows from its first scored row on: with
// the stride half the window, every window after the first scores its last
// half, so the LM head, most of a small model's pass, runs over half the
// rows. The scores are those of whole prefills (the row-prefill graphs
// compute the kept rows as the prefill graphs do); a session that turns
// out unable to (ErrUnavailable) switches the evaluation to Prefill.
//
// Per-position results are computed concurrently and summed in position
// order, so a result does not depend on the batch size or the number of
// cores.
package eval
