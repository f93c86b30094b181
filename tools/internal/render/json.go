package render

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

// number is a float64 that encodes NaN as null and ±Inf as strings.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

type jsonOptions struct {
	Threshold    float64 `json:"threshold"`
	Alpha        float64 `json:"alpha"`
	MinEffect    float64 `json:"min_effect"`
	Confidence   float64 `json:"confidence"`
	Power        float64 `json:"power"`
	MinRuns      int     `json:"min_runs"`
	MinWithinCV  float64 `json:"min_within_cv"`
	Inconclusive string  `json:"inconclusive"`
	AllowEnvDiff bool    `json:"allow_env_diff"`
}

type jsonSummary struct {
	N      int    `json:"n"`
	Runs   int    `json:"runs"`
	Center number `json:"center"`
	Lo     number `json:"lo"`
	Hi     number `json:"hi"`
}

type jsonRow struct {
	Table            string         `json:"table,omitempty"`
	Name             string         `json:"name"`
	Unit             string         `json:"unit"`
	Better           gate.Direction `json:"better"`
	DirectionAssumed bool           `json:"direction_assumed"`
	Exact            bool           `json:"exact"`
	Basis            gate.Basis     `json:"basis"`
	Old              *jsonSummary   `json:"old"`
	New              *jsonSummary   `json:"new"`
	DeltaPct         number         `json:"delta_pct"`
	P                number         `json:"p"`
	PHolm            number         `json:"p_holm"`
	WelchT           number         `json:"welch_t"`
	WelchDF          number         `json:"welch_df"`
	WelchP           number         `json:"welch_p"`
	CohenD           number         `json:"cohen_d"`
	MDEPct           number         `json:"mde_pct"`
	PEquiv           number         `json:"p_equivalence"`
	WithinCV         number         `json:"within_run_cv"`
	Verdict          gate.Verdict   `json:"verdict"`
	Reason           string         `json:"reason,omitempty"`
	Fail             bool           `json:"fail"`
	Degraded         []string       `json:"degraded,omitempty"`
	Disturbed        []string       `json:"disturbed,omitempty"`
	Warnings         []string       `json:"warnings,omitempty"`
}

type jsonDiff struct {
	Key string   `json:"key"`
	Old []string `json:"old"`
	New []string `json:"new"`
}

type jsonReport struct {
	Old      []string    `json:"old"`
	New      []string    `json:"new"`
	Options  jsonOptions `json:"options"`
	Tests    int         `json:"tests"`
	Failed   bool        `json:"failed"`
	Exit     int         `json:"exit"`
	Outcome  string      `json:"outcome"`
	Runtime  []jsonDiff  `json:"runtime_differs,omitempty"`
	Machine  []jsonDiff  `json:"machine_differs,omitempty"`
	Rows     []jsonRow   `json:"rows"`
	Warnings []string    `json:"warnings"`
}

func summaryJSON(s gate.Summary) *jsonSummary {
	if s.N == 0 {
		return nil
	}
	return &jsonSummary{N: s.N, Runs: s.Runs, Center: number(s.Center), Lo: number(s.Lo), Hi: number(s.Hi)}
}

// outcomes name the exit statuses.
var outcomes = map[int]string{
	gate.ExitPass: "pass", gate.ExitRegression: "regression", gate.ExitInconclusive: "inconclusive",
}

func diffs(ds []gate.KeyDiff) []jsonDiff {
	var out []jsonDiff
	for _, d := range ds {
		out = append(out, jsonDiff{d.Key, d.Old, d.New})
	}
	return out
}

func errStrings(errs []error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// JSON writes rep as an indented JSON object.
func JSON(w io.Writer, rep *gate.Report) error {
	o := rep.Options
	out := jsonReport{
		Old: rep.Files[0], New: rep.Files[1],
		Options: jsonOptions{o.Threshold, o.Alpha, o.MinEffect, o.Confidence, gate.Power, rep.MinRuns, o.MinWithinCV,
			map[bool]string{false: "fail", true: "pass"}[o.InconclusivePass], o.AllowEnvDiff},
		Tests:    rep.Tests,
		Failed:   rep.Failed(),
		Exit:     rep.Outcome(),
		Outcome:  outcomes[rep.Outcome()],
		Runtime:  diffs(rep.Runtime),
		Machine:  diffs(rep.Machine),
		Rows:     make([]jsonRow, 0, len(rep.Rows)),
		Warnings: errStrings(rep.Warnings),
	}
	for _, r := range rep.Rows {
		out.Rows = append(out.Rows, jsonRow{
			Table: r.Table, Name: r.Name, Unit: r.Unit,
			Better: r.Better, DirectionAssumed: r.DirectionAssumed, Exact: r.Exact, Basis: r.Basis,
			Old: summaryJSON(r.Old), New: summaryJSON(r.New),
			DeltaPct: number(r.Delta), P: number(r.P), PHolm: number(r.PHolm),
			WelchT: number(r.Welch.T), WelchDF: number(r.Welch.DF), WelchP: number(r.Welch.P),
			CohenD: number(r.D), MDEPct: number(r.MDE), PEquiv: number(r.PEquiv), WithinCV: number(r.WithinCV),
			Verdict: r.Verdict, Reason: r.Reason, Fail: r.Fail,
			Degraded: r.Degraded, Disturbed: r.Disturbed, Warnings: errStrings(r.Warnings),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
