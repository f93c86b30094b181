package eval

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
	"github.com/inferbench/inferbench/internal/parallel"
	"github.com/inferbench/inferbench/internal/vocab"
)

// DefaultBatch is the number of windows per forward pass when Options.Batch
// is zero. Two batches are in flight (one scored while the sessions run
// the next), so logits take 2 × batch × window × vocab float32 values per
// session: with 2, as much as one batch of 4 did.
const DefaultBatch = 2

// DefaultProgressEvery is the interval between progress lines when
// Options.ProgressEvery is zero.
const DefaultProgressEvery = 5 * time.Second

// ErrNoWindow reports a window length that cannot be resolved: no -window
// was given and the model does not declare n_positions.
var ErrNoWindow = errors.New("no window length")

// Options configure an evaluation.
type Options struct {
	// Window is the window length; 0, or more than the model's n_positions,
	// means n_positions.
	Window int
	// Batch is the number of equal-length windows per Prefill (default
	// DefaultBatch).
	Batch int
	// Progress, if set, receives a progress line every ProgressEvery.
	Progress      io.Writer
	ProgressEvery time.Duration
	// Label names the evaluation in progress lines.
	Label string
}

// WindowFor resolves the window length for a model: opt (if positive)
// capped at n_positions.
func WindowFor(m *model.Model, window int) (int, error) {
	switch {
	case window > 0 && (m.Positions <= 0 || window <= m.Positions):
		return window, nil
	case m.Positions > 0:
		return m.Positions, nil
	}
	return 0, fmt.Errorf("eval: model %s: %w: it declares no n_positions and has no learned position embedding to read it from; give the window length (at most the model's context)", m.Identity.Name, ErrNoWindow)
}

// Run is a named session.
type Run struct {
	Name    string
	Session backends.Session
}

// Score is one session's result.
type Score struct {
	Name       string
	Perplexity metrics.Perplexity
	// Divergence from the baseline (zero for the baseline itself).
	Divergence metrics.Summary
	// Forward is the time spent in the session's Prefill (or PrefillRows).
	Forward time.Duration
	// Warnings are weak statistics, never failures.
	Warnings []error
}

// Result is an evaluation of a baseline and its candidates on the same
// windows.
type Result struct {
	Window, Stride, Batch int
	Windows               []metrics.Window
	Tokens                int // tokens evaluated (scored: Tokens-1)
	Baseline              Score
	Candidates            []Score
	Elapsed               time.Duration
}

// Evaluate scores the baseline and every candidate over tokens with the
// sliding windows of package metrics.
func Evaluate(m *model.Model, tokens []int64, base Run, cands []Run, opt Options) (*Result, error) {
	window, err := WindowFor(m, opt.Window)
	if err != nil {
		return nil, err
	}
	if m.Vocab <= 0 {
		return nil, fmt.Errorf("eval: model %s declares no vocabulary size: %w", m.Identity.Name, model.ErrBadShape)
	}
	if err := vocab.Check(tokens, m.Vocab); err != nil {
		return nil, fmt.Errorf("eval: model %s: %w: %w", m.Identity.Name, err, model.ErrBadToken)
	}
	stride := metrics.Stride(window)
	ws, err := metrics.Windows(len(tokens), window, stride)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	batch := opt.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	e := newEvaluator(m.Vocab, tokens, append([]Run{base}, cands...), min(batch, len(ws)), window)
	start := time.Now()
	prog := newProgress(opt, len(ws), len(tokens)-1, start)
	done := 0
	// Two groups in flight: while one group's logits are scored, the
	// sessions run the next group into the other buffers.
	groups := metrics.Groups(ws, batch)
	if err := e.forward(groups[0], 0); err != nil {
		return nil, err
	}
	for i, g := range groups {
		next := make(chan error, 1)
		if i+1 < len(groups) {
			go func() { next <- e.forward(groups[i+1], (i+1)%2) }()
		} else {
			next <- nil
		}
		err := e.score(g, i%2)
		if ferr := <-next; err == nil {
			err = ferr
		}
		if err != nil {
			return nil, err
		}
		done += len(g)
		prog.update(done, g[len(g)-1].End-1)
	}
	res := &Result{Window: window, Stride: stride, Batch: batch, Windows: ws, Tokens: len(tokens), Elapsed: time.Since(start)}
	res.Baseline, res.Candidates = e.scores()
	prog.finish(done, len(tokens)-1, res.Elapsed)
	return res, nil
}

// evaluator holds the buffers of one evaluation: two sets of logits, one
// being scored while the other is filled.
type evaluator struct {
	vocab   int
	tokens  []int64
	runs    []Run
	input   [2][]int64
	rows    bool               // every session is a backends.RowPrefiller
	from    [2]int             // per buffer set: first window row with logits
	logits  [2][][]float32     // per buffer set, per run: [batch, window, vocab]
	nll     [][]float64        // per run, per position
	cmp     [][]metrics.Row    // per candidate (run i+1), per position
	fwdTime []time.Duration    // per run: time in Prefill
	scratch []metrics.Baseline // per worker
}

func newEvaluator(vocab int, tokens []int64, runs []Run, batch, window int) *evaluator {
	e := &evaluator{vocab: vocab, tokens: tokens, runs: runs, rows: true}
	for _, r := range runs {
		if _, ok := r.Session.(backends.RowPrefiller); !ok {
			e.rows = false
		}
	}
	n := len(tokens)
	for i := range runs {
		for k := range e.logits {
			e.logits[k] = append(e.logits[k], make([]float32, batch*window*vocab))
		}
		e.nll = append(e.nll, make([]float64, n))
		if i > 0 {
			e.cmp = append(e.cmp, make([]metrics.Row, n))
		}
	}
	for k := range e.input {
		e.input[k] = make([]int64, 0, batch*window)
	}
	e.fwdTime = make([]time.Duration, len(runs))
	e.scratch = make([]metrics.Baseline, runtime.GOMAXPROCS(0))
	return e
}

// job is one scored position: target t, predicted by row of window w in
// the group.
type job struct{ w, row, t int }

// forward runs one batch of equal-length windows through every session
// into buffer set k. When every session is a backends.RowPrefiller, only
// the rows from the group's first scored row on are computed: with the
// stride half the window, every window after the first scores its last
// half, so the LM head (most of a small model's pass) runs over about half
// the rows. A session that turns out unable to (an error wrapping
// backends.ErrUnavailable) switches the evaluation to whole prefills.
func (e *evaluator) forward(g []metrics.Window, k int) error {
	seq := g[0].Len()
	in := e.input[k][:0]
	from := seq - 1
	for _, w := range g {
		in = append(in, e.tokens[w.Begin:w.End]...)
		from = min(from, w.Row(w.Score))
	}
	e.input[k] = in
	if e.rows {
		err := e.prefill(g, k, from)
		if !errors.Is(err, backends.ErrUnavailable) {
			return err
		}
		e.rows = false
	}
	return e.prefill(g, k, 0)
}

// prefill runs every session on buffer set k's input, writing rows from …
// seq−1 of each window (by PrefillRows in row mode, else Prefill).
func (e *evaluator) prefill(g []metrics.Window, k, from int) error {
	seq, in := g[0].Len(), e.input[k]
	e.from[k] = from
	n := len(g) * (seq - from) * e.vocab
	for i, r := range e.runs {
		start := time.Now()
		var err error
		if e.rows {
			err = r.Session.(backends.RowPrefiller).PrefillRows(in, len(g), seq, from, e.logits[k][i][:n])
		} else {
			err = r.Session.Prefill(in, len(g), seq, e.logits[k][i][:n])
		}
		e.fwdTime[i] += time.Since(start)
		if err != nil {
			return fmt.Errorf("eval: %s: prefill of windows [%d, %d): %w", r.Name, g[0].Begin, g[len(g)-1].End, err)
		}
	}
	return nil
}

// score scores the positions of group g from buffer set k concurrently;
// each position's results land in its own slot, so the sums taken later do
// not depend on the split.
func (e *evaluator) score(g []metrics.Window, k int) error {
	seq := g[0].Len()
	var jobs []job
	for wi, w := range g {
		for t := w.Score; t < w.End; t++ {
			jobs = append(jobs, job{wi, w.Row(t), t})
		}
	}
	errs := make([]error, len(e.scratch))
	parallel.For(len(jobs), len(e.scratch), func(w, lo, hi int) {
		errs[w] = e.scoreRange(jobs[lo:hi], seq, e.from[k], e.logits[k], &e.scratch[w])
	})
	return errors.Join(errs...)
}

// scoreRange scores jobs from logits holding rows from … seq−1 of each
// window.
func (e *evaluator) scoreRange(jobs []job, seq, from int, logits [][]float32, b *metrics.Baseline) error {
	v, rows := e.vocab, seq-from
	for _, j := range jobs {
		off := (j.w*rows + j.row - from) * v
		target := int(e.tokens[j.t])
		if len(e.runs) == 1 { // perplexity only: no probabilities to keep
			nll, err := metrics.NLL(logits[0][off:off+v], target)
			if err != nil {
				return fmt.Errorf("eval: %s: position %d: %w", e.runs[0].Name, j.t, err)
			}
			e.nll[0][j.t] = nll
			continue
		}
		if err := b.Set(logits[0][off : off+v]); err != nil {
			return fmt.Errorf("eval: %s: position %d: %w", e.runs[0].Name, j.t, err)
		}
		e.nll[0][j.t] = b.NLL(target)
		for i := 1; i < len(e.runs); i++ {
			r, err := b.Compare(logits[i][off:off+v], target)
			if err != nil {
				return fmt.Errorf("eval: %s: position %d: %w", e.runs[i].Name, j.t, err)
			}
			e.nll[i][j.t] = r.NLL
			e.cmp[i-1][j.t] = r
		}
	}
	return nil
}

// scores sums the per-position results in position order.
func (e *evaluator) scores() (Score, []Score) {
	out := make([]Score, len(e.runs))
	for i, r := range e.runs {
		s := Score{Name: r.Name, Forward: e.fwdTime[i]}
		var d metrics.Divergence
		for t := 1; t < len(e.tokens); t++ {
			s.Perplexity.Add(e.nll[i][t])
			if i > 0 {
				d.Add(e.cmp[i-1][t])
			}
		}
		s.Warnings = s.Perplexity.Warnings()
		if i > 0 {
			s.Divergence = d.Summary()
			s.Warnings = append(s.Warnings, s.Divergence.Warnings()...)
		}
		out[i] = s
	}
	return out[0], out[1:]
}
