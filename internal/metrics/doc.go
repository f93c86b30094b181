// Package metrics is the arithmetic of inferbench's accuracy gates: sliding-
// window perplexity and the divergence between two backends' next-token
// distributions. It has no dependency on backends; package eval drives
// sessions and feeds their logits here.
//
// # Perplexity
//
// Perplexity over a token sequence longer than a model's context is computed
// with Hugging Face's sliding-window method. Windows of length W start every
// S = W/2 tokens; the last window ends at the sequence's end and may be
// shorter. A window [Begin, End) scores the targets at positions
// [Score, End), where Score is the previous window's End (1 for the first
// window: position 0 has no context). Every position 1…n-1 is therefore
// scored exactly once, by a window that gives it at least W-S tokens of
// context (except in the first window). The logits that predict target t sit
// at row t-1-Begin of the window's output.
//
// Log-softmax is computed in float64 after subtracting the row maximum, so
// float32 logits of any magnitude give finite log-probabilities.
//
// # Divergence
//
// Against a baseline's logits on the same rows, Divergence accumulates, per
// scored position, KL(P‖Q) of the baseline's next-token distribution P and
// the candidate's Q, whether their top-1 tokens agree, the largest absolute
// logit difference and the squared logit differences for a relative L2 norm.
// Per-position values are kept so that the summary can report the p99 KL
// (nearest rank) and so that the sums do not depend on evaluation order.
package metrics
