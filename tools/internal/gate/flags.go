package gate

import (
	"flag"
	"strconv"
	"strings"
)

// RegisterFlags defines -threshold (in percent), -alpha, -min-effect and
// -confidence on fs, with o's current values as defaults, storing into o.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	fs.Var((*percent)(&o.Threshold), "threshold", "fail on slowdowns of the median beyond this `percent`")
	fs.Float64Var(&o.Alpha, "alpha", o.Alpha, "family-wise significance `level` (Holm-adjusted Mann-Whitney p)")
	fs.Float64Var(&o.MinEffect, "min-effect", o.MinEffect, "smallest |Cohen's d| of a significant change")
	fs.Float64Var(&o.Confidence, "confidence", o.Confidence, "confidence `level` of the medians' intervals")
}

// percent is a flag value written in percent ("5" or "5%") and stored as
// a fraction.
type percent float64

func (p *percent) String() string {
	if p == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*p)*100, 'g', -1, 64)
}

func (p *percent) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil {
		return err
	}
	*p = percent(v / 100)
	return nil
}
