package perfcount

import "errors"

// ErrUnsupported reports that this machine or kernel gives no
// instruction counter.
var ErrUnsupported = errors.New("instructions:u not supported")

// Event is the configuration line value naming what is counted.
const Event = "instructions:u"

// ConfigLine returns the benchfmt configuration line that records
// whether instructions are counted: "instructions: instructions:u
// (perf_event_open)" or "instructions: not supported (reason)".
func ConfigLine(err error) string {
	if err != nil {
		return "instructions: not supported (" + err.Error() + ")"
	}
	return "instructions: " + Event + " (perf_event_open, per thread)"
}

// Probe opens and closes a counter, and returns the configuration value
// that records the result: "instructions:u (perf_event_open, per
// thread)" or "not supported (reason)".
func Probe() string {
	c, err := Open()
	if err == nil {
		c.Close()
	}
	line := ConfigLine(err)
	return line[len("instructions: "):]
}
