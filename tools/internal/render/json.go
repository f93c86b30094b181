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
	Threshold  float64 `json:"threshold"`
	Alpha      float64 `json:"alpha"`
	MinEffect  float64 `json:"min_effect"`
	Confidence float64 `json:"confidence"`
}

type jsonSummary struct {
	N      int    `json:"n"`
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
	Old              *jsonSummary   `json:"old"`
	New              *jsonSummary   `json:"new"`
	DeltaPct         number         `json:"delta_pct"`
	P                number         `json:"p"`
	PHolm            number         `json:"p_holm"`
	WelchT           number         `json:"welch_t"`
	WelchDF          number         `json:"welch_df"`
	WelchP           number         `json:"welch_p"`
	CohenD           number         `json:"cohen_d"`
	Verdict          gate.Verdict   `json:"verdict"`
	Fail             bool           `json:"fail"`
	Degraded         []string       `json:"degraded,omitempty"`
	Warnings         []string       `json:"warnings,omitempty"`
}

type jsonReport struct {
	Old      []string    `json:"old"`
	New      []string    `json:"new"`
	Options  jsonOptions `json:"options"`
	Tests    int         `json:"tests"`
	Failed   bool        `json:"failed"`
	Rows     []jsonRow   `json:"rows"`
	Warnings []string    `json:"warnings"`
}

func summaryJSON(s gate.Summary) *jsonSummary {
	if s.N == 0 {
		return nil
	}
	return &jsonSummary{N: s.N, Center: number(s.Center), Lo: number(s.Lo), Hi: number(s.Hi)}
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
		Options:  jsonOptions{o.Threshold, o.Alpha, o.MinEffect, o.Confidence},
		Tests:    rep.Tests,
		Failed:   rep.Failed(),
		Rows:     make([]jsonRow, 0, len(rep.Rows)),
		Warnings: errStrings(rep.Warnings),
	}
	for _, r := range rep.Rows {
		out.Rows = append(out.Rows, jsonRow{
			Table: r.Table, Name: r.Name, Unit: r.Unit,
			Better: r.Better, DirectionAssumed: r.DirectionAssumed, Exact: r.Exact,
			Old: summaryJSON(r.Old), New: summaryJSON(r.New),
			DeltaPct: number(r.Delta), P: number(r.P), PHolm: number(r.PHolm),
			WelchT: number(r.Welch.T), WelchDF: number(r.Welch.DF), WelchP: number(r.Welch.P),
			CohenD: number(r.D), Verdict: r.Verdict, Fail: r.Fail,
			Degraded: r.Degraded, Warnings: errStrings(r.Warnings),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
