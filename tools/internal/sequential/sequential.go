package sequential

import (
	"errors"
	"fmt"
	"math"

	"github.com/inferbench/inferbench/tools/internal/abtest"
)

// ErrOption reports invalid Options.
var ErrOption = errors.New("invalid sequential option")

// Options are the sequential gate's parameters.
type Options struct {
	// Threshold is the relative slowdown that fails the gate and the
	// margin within which a row passes, as a fraction (0.05 is 5%).
	Threshold float64
	// Alpha bounds both errors: the family-wise probability of failing
	// a family in which no row got worse, and, per row, the probability
	// of passing a row that got worse by Threshold or more.
	Alpha float64
	// MinRounds is the fewest rounds a row is decided on.
	MinRounds int
	// SkipConfirm makes a flagged row a regression at once, without
	// the confirm stage on fresh rounds.
	SkipConfirm bool
	// G is the variance of the normal prior on the standardized effect
	// (the mean of the per-round log differences over their standard
	// deviation); 0 means DefaultG.
	G float64
}

// DefaultG is the prior variance Options.G defaults to: the e-value
// grows fastest for standardized effects near √G, and the effects the
// gate must see on a shared machine (a 5% margin or a 10% slowdown
// against 5–20% per-round noise) lie between 0.2 and 1.5. The seeded
// calibration in the tests chose it among 0.25, 0.5 and 1.
const DefaultG = 0.5

// DefaultOptions are the defaults of tools/compare.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, MinRounds: 3, G: DefaultG}

// Validate reports an invalid option.
func (o Options) Validate() error {
	switch {
	case !(o.Threshold > 0):
		return fmt.Errorf("%w: threshold %v must be > 0", ErrOption, o.Threshold)
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("%w: alpha %v must be in (0, 1)", ErrOption, o.Alpha)
	case o.MinRounds < 2:
		return fmt.Errorf("%w: min rounds %d must be ≥ 2", ErrOption, o.MinRounds)
	case !(o.G >= 0):
		return fmt.Errorf("%w: prior variance %v must be ≥ 0", ErrOption, o.G)
	}
	return nil
}

func (o Options) g() float64 {
	if o.G == 0 {
		return DefaultG
	}
	return o.G
}

// Verdict is a row's state.
type Verdict int

// Verdicts.
const (
	// Open: neither a regression nor a change within the threshold is
	// shown yet.
	Open Verdict = iota
	// Flagged: the first stage found a regression (Holm over the family
	// at Alpha, estimated change worse than Threshold); fresh rounds
	// must confirm it.
	Flagged
	// Regression: flagged, and confirmed on fresh rounds alone.
	Regression
	// Within: shown not to be worse by Threshold or more (it may be
	// better, equal, or worse by less), in the first stage or, for a
	// flagged row, in the confirm stage.
	Within
)

func (v Verdict) String() string {
	switch v {
	case Flagged:
		return "flagged, confirming"
	case Regression:
		return "regression"
	case Within:
		return "within threshold"
	}
	return "open"
}

// Evidence is one stage's sequential tests of a row.
type Evidence struct {
	// D are the per-round differences log(new) − log(old), signed so
	// that a positive difference is worse (slower, or fewer tok/s).
	D []float64
	// PWorse is the anytime-valid p-value of "not worse" (the mean
	// difference ≤ 0); PWorseHolm is it after Holm's adjustment over
	// the family (PWorse itself in the confirm stage). PWithin is the
	// anytime-valid p-value of "worse by Threshold or more". 1 before
	// any evidence.
	PWorse, PWorseHolm, PWithin float64
	// Change is the estimated change in percent, exp(mean D) − 1, worse
	// positive; Lo and Hi bound it with an always-valid confidence
	// sequence whose ends are one-sided 1−Alpha bounds, as the tests are
	// (a two-sided 1−2·Alpha sequence; ±Inf until it can be computed).
	Change, Lo, Hi float64
	// MDE is the approximate worsening, in percent, that this stage
	// would show as a regression with 80% probability at its rounds and
	// noise, at level Alpha/m; +Inf until it can be computed.
	MDE float64

	recWorse, recWithin float64 // record e-values of the two tests
}

func newEvidence() *Evidence {
	return &Evidence{PWorse: 1, PWorseHolm: 1, PWithin: 1, Change: math.NaN(), Lo: math.Inf(-1), Hi: math.Inf(1), MDE: math.Inf(1)}
}

// Row is the sequential test of one benchmark's primary metric.
type Row struct {
	Name    string
	Verdict Verdict
	// Rounds is the number of rounds the row was measured in, both
	// stages; FirstRounds those of the first stage.
	Rounds, FirstRounds int
	// First is the first stage's evidence; Confirm the confirm stage's,
	// nil until the row is flagged.
	First, Confirm *Evidence
}

// Last returns the evidence of the row's current stage.
func (r *Row) Last() *Evidence {
	if r.Confirm != nil {
		return r.Confirm
	}
	return r.First
}

// Tracker runs the sequential tests of a family of rows, one
// observation per row and round. The family is every row added: each
// must be decided for the comparison to end.
type Tracker struct {
	o    Options
	rows []*Row
	byN  map[string]*Row
}

// NewTracker returns a tracker of the named rows.
func NewTracker(o Options, names []string) (*Tracker, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	t := &Tracker{o: o, byN: make(map[string]*Row)}
	for _, n := range names {
		if t.byN[n] != nil {
			return nil, fmt.Errorf("%w: row %q twice", ErrOption, n)
		}
		r := &Row{Name: n, First: newEvidence()}
		t.rows = append(t.rows, r)
		t.byN[n] = r
	}
	return t, nil
}

// Rows returns the family's rows in the order they were added.
func (t *Tracker) Rows() []*Row { return t.rows }

// Row returns the named row, or nil.
func (t *Tracker) Row(name string) *Row { return t.byN[name] }

// Observe adds one round's difference to a row still measured (open or
// flagged); observations of decided or unknown rows are ignored: a
// decided row is frozen, its verdict reached at a stopping time.
func (t *Tracker) Observe(name string, d float64) {
	r := t.byN[name]
	if r == nil || !r.Measured() {
		return
	}
	e := r.Last()
	e.D = append(e.D, d)
	r.Rounds++
	if r.Confirm == nil {
		r.FirstRounds++
	}
}

// Measured reports whether the row still needs rounds.
func (r *Row) Measured() bool { return r.Verdict == Open || r.Verdict == Flagged }

// Measured returns the rows that still need rounds.
func (t *Tracker) Measured() []*Row {
	var out []*Row
	for _, r := range t.rows {
		if r.Measured() {
			out = append(out, r)
		}
	}
	return out
}

// Outcome returns the comparison's state: Regression as soon as one row
// is confirmed (the gate fails; the other rows need no more rounds),
// Within when every row is, else Open.
func (t *Tracker) Outcome() Verdict {
	within := 0
	for _, r := range t.rows {
		switch r.Verdict {
		case Regression:
			return Regression
		case Within:
			within++
		}
	}
	if within == len(t.rows) {
		return Within
	}
	return Open
}

// Done reports whether the comparison needs no more rounds.
func (t *Tracker) Done() bool { return t.Outcome() != Open }

// Update recomputes the statistics of the rows still measured after a
// round and decides those whose evidence suffices.
func (t *Tracker) Update() {
	m := len(t.rows)
	for _, r := range t.rows {
		if r.Verdict == Open {
			t.o.update(r.First, m)
		}
	}
	ps := make([]float64, m)
	for i, r := range t.rows {
		ps[i] = r.First.PWorse
	}
	for i, adj := range abtest.Holm(ps) {
		r := t.rows[i]
		r.First.PWorseHolm = adj
		if r.Verdict != Open || len(r.First.D) < t.o.MinRounds {
			continue
		}
		switch {
		case adj < t.o.Alpha && r.First.Change > 100*t.o.Threshold && t.o.SkipConfirm:
			r.Verdict = Regression
		case adj < t.o.Alpha && r.First.Change > 100*t.o.Threshold:
			r.Verdict = Flagged
			r.Confirm = newEvidence()
		case r.First.PWithin < t.o.Alpha:
			r.Verdict = Within
		}
	}
	// The confirm stage tests each flagged row alone on rounds after
	// the flag: the first stage already holds the family to Alpha, and
	// the confirm stage can only remove failures.
	for _, r := range t.rows {
		if r.Verdict != Flagged {
			continue
		}
		e := r.Confirm
		t.o.update(e, 1)
		e.PWorseHolm = e.PWorse
		if len(e.D) < t.o.MinRounds {
			continue
		}
		switch {
		case e.PWorse < t.o.Alpha && e.Change > 100*t.o.Threshold:
			r.Verdict = Regression
		case e.PWithin < t.o.Alpha:
			r.Verdict = Within
		}
	}
}

// update recomputes e's statistics for a family of m rows.
//
// The p-values come from the records of the two e-processes. Under the
// boundary of each null (no change; a change of exactly the threshold)
// the paired differences of exchangeable sides are symmetric about it,
// and the e-process is symmetric too (it depends on t only through t²):
// the first time it exceeds 1/(2a), which happens with probability at
// most 2a by Ville's inequality, its t is on the alternative's side
// with probability one half. So a level a is rejected when the first
// crossing of 1/(2a) lies on the alternative's side: the p-value is
// 1/(2·E) for the records E set with t on that side.
func (o Options) update(e *Evidence, m int) {
	n := len(e.D)
	if n < 2 {
		return
	}
	g := o.g()
	margin := math.Log1p(o.Threshold)
	mean, sd := moments(e.D)
	e.Change = 100 * math.Expm1(mean)
	tw := tStat(e.D, 0)
	if bf := BayesFactor(tw, n, g); bf > e.recWorse {
		e.recWorse = bf
		if tw > 0 {
			e.PWorse = math.Min(e.PWorse, 1/(2*bf))
		}
	}
	tm := tStat(e.D, margin)
	if bf := BayesFactor(tm, n, g); bf > e.recWithin {
		e.recWithin = bf
		if tm < 0 {
			e.PWithin = math.Min(e.PWithin, 1/(2*bf))
		}
	}
	se := sd / math.Sqrt(float64(n))
	if se == 0 {
		return
	}
	if c := criticalT(n, g, 1/(2*o.Alpha)); !math.IsInf(c, 1) {
		e.Lo, e.Hi = 100*math.Expm1(mean-c*se), 100*math.Expm1(mean+c*se)
	}
	if c := criticalT(n, g, float64(m)/(2*o.Alpha)); !math.IsInf(c, 1) {
		// Worse by the threshold and significant at α/m, with 80%
		// power: the mean must clear both, plus 0.84 standard errors.
		e.MDE = 100 * math.Expm1(math.Max(c*se, margin)+0.8416*se)
	}
}

// Why explains an open row: what its evidence shows and what it could
// have seen.
func (r *Row) Why(o Options) string {
	if !r.Measured() {
		return ""
	}
	e, stage := r.Last(), ""
	if r.Verdict == Flagged {
		stage = "flagged in the first stage; confirm stage: "
	}
	switch {
	case len(e.D) < o.MinRounds:
		return fmt.Sprintf("%s%d of the %d rounds needed before a decision", stage, len(e.D), o.MinRounds)
	case e.PWorseHolm < o.Alpha:
		return fmt.Sprintf("%sworse (%+.1f%%, %s), but not shown beyond nor within %g%%", stage, e.Change, interval(e.Lo, e.Hi), 100*o.Threshold)
	}
	return fmt.Sprintf("%schange %+.1f%% %s spans %g%%; minimum detectable slowdown ≈ %s at this noise", stage, e.Change, interval(e.Lo, e.Hi), 100*o.Threshold, pct(e.MDE))
}

func interval(lo, hi float64) string { return "[" + pct(lo) + ", " + pct(hi) + "]" }

func pct(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsInf(v, -1):
		return "−∞"
	case math.IsNaN(v):
		return "?"
	}
	return fmt.Sprintf("%+.1f%%", v)
}
