package eval

import (
	"fmt"
	"io"
	"time"
)

// progress prints a line every interval while an evaluation runs, and a
// final line if it printed any.
type progress struct {
	w       io.Writer
	label   string
	every   time.Duration
	total   int // windows
	scored  int // positions to score in all
	start   time.Time
	last    time.Time
	printed bool
}

func newProgress(opt Options, total, scored int, start time.Time) *progress {
	every := opt.ProgressEvery
	if every <= 0 {
		every = DefaultProgressEvery
	}
	return &progress{w: opt.Progress, label: opt.Label, every: every, total: total, scored: scored, start: start, last: start}
}

// update reports windows done and the last position scored so far.
func (p *progress) update(done, scored int) {
	if p.w == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last, p.printed = now, true
	el := now.Sub(p.start)
	eta := "?"
	if scored > 0 {
		// At the rate so far: the windows are equal but for the last.
		eta = (time.Duration(float64(el) * float64(p.scored-scored) / float64(scored))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "accuracy: %s: windows %d/%d, %d of %d tokens scored, %.0f tok/s, %s elapsed, ETA %s\n",
		p.label, done, p.total, scored, p.scored, float64(scored)/el.Seconds(), el.Round(time.Second), eta)
}

func (p *progress) finish(done, scored int, el time.Duration) {
	if p.w == nil || !p.printed {
		return
	}
	fmt.Fprintf(p.w, "accuracy: %s: done: windows %d/%d, %d tokens scored, %.0f tok/s, %s\n",
		p.label, done, p.total, scored, float64(scored)/el.Seconds(), el.Round(time.Millisecond))
}
