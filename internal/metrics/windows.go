package metrics

import (
	"errors"
	"fmt"
)

var (
	// ErrWindow reports a window or stride that cannot score every token
	// exactly once.
	ErrWindow = errors.New("invalid window")
	// ErrTooShort reports a sequence with nothing to score (fewer than two
	// tokens).
	ErrTooShort = errors.New("too few tokens to score")
)

// Window is one forward pass of the sliding-window evaluation: the model
// sees tokens [Begin, End) and the targets at positions [Score, End) are
// scored. The logits predicting target t are at row t-1-Begin.
type Window struct {
	Begin, End, Score int
}

// Len is the number of tokens the window feeds to the model.
func (w Window) Len() int { return w.End - w.Begin }

// Scored is the number of targets the window scores.
func (w Window) Scored() int { return w.End - w.Score }

// Row returns the window row whose logits predict the target at position t.
func (w Window) Row(t int) int { return t - 1 - w.Begin }

// Stride is the stride used for a window length: half the window, at least
// one token.
func Stride(window int) int { return max(1, window/2) }

// Windows lays out the sliding windows over n tokens, as Hugging Face's
// perplexity recipe does: windows start every stride tokens, each is
// window tokens long except the last, which ends at n, and each scores only
// the targets at or after the previous window's end. Positions 1…n-1 are
// scored exactly once.
func Windows(n, window, stride int) ([]Window, error) {
	switch {
	case n < 2:
		return nil, fmt.Errorf("metrics: %d tokens: %w", n, ErrTooShort)
	case window < 2:
		return nil, fmt.Errorf("metrics: window %d: %w: need at least 2 tokens", window, ErrWindow)
	case stride < 1 || stride >= window:
		return nil, fmt.Errorf("metrics: stride %d for window %d: %w: need 1 ≤ stride < window", stride, window, ErrWindow)
	}
	out := make([]Window, 0, (n+stride-1)/stride)
	prev := 0
	for begin := 0; ; begin += stride {
		end := min(begin+window, n)
		out = append(out, Window{Begin: begin, End: end, Score: max(prev, 1)})
		prev = end
		if end == n {
			return out, nil
		}
	}
}

// Groups splits windows into runs of equal length of at most batch windows
// each, preserving order, so that each run can be one batched forward pass.
// With Windows' layout every window but the last has the full length, so
// the last (shorter) window runs alone.
func Groups(ws []Window, batch int) [][]Window {
	batch = max(batch, 1)
	var out [][]Window
	for i := 0; i < len(ws); {
		j := i + 1
		for j < len(ws) && j-i < batch && ws[j].Len() == ws[i].Len() {
			j++
		}
		out = append(out, ws[i:j])
		i = j
	}
	return out
}
