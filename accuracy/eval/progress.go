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
	total   int
	start   time.Time
	last    time.Time
	printed bool
}

func newProgress(opt Options, total int, start time.Time) *progress {
	every := opt.ProgressEvery
	if every <= 0 {
		every = DefaultProgressEvery
	}
	return &progress{w: opt.Progress, label: opt.Label, every: every, total: total, start: start, last: start}
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
	fmt.Fprintf(p.w, "accuracy: %s: windows %d/%d, %d tokens scored, %.0f tok/s, %s elapsed\n",
		p.label, done, p.total, scored, float64(scored)/el.Seconds(), el.Round(time.Second))
}

func (p *progress) finish(done, scored int, el time.Duration) {
	if p.w == nil || !p.printed {
		return
	}
	fmt.Fprintf(p.w, "accuracy: %s: done: windows %d/%d, %d tokens scored, %.0f tok/s, %s\n",
		p.label, done, p.total, scored, float64(scored)/el.Seconds(), el.Round(time.Millisecond))
}
