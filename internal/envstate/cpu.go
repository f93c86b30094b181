package envstate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// cpuTimes are the system-wide counters of /proc/stat's "cpu" line, in
// clock ticks summed over every CPU.
type cpuTimes struct {
	total, busy, steal, iowait uint64
}

// readStat reads proc/stat under fsys.
func readStat(fsys fs.FS) (cpuTimes, error) {
	data, err := fs.ReadFile(fsys, "proc/stat")
	if err != nil {
		return cpuTimes{}, err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return cpuTimes{}, fmt.Errorf("/proc/stat: first line %q is not the cpu totals (want ≥ 8 counters)", line)
	}
	// user nice system idle iowait irq softirq steal [guest guest_nice]:
	// guest time is already counted in user and nice.
	var v [8]uint64
	for i := range v {
		if v[i], err = strconv.ParseUint(f[i+1], 10, 64); err != nil {
			return cpuTimes{}, fmt.Errorf("/proc/stat: cpu counter %d: %w", i+1, err)
		}
	}
	var t cpuTimes
	for _, x := range v {
		t.total += x
	}
	t.busy = v[0] + v[1] + v[2] + v[5] + v[6]
	t.iowait, t.steal = v[4], v[7]
	return t, nil
}

// readOwn reads this process' user and system time (all threads) from
// proc/self/stat under fsys, in clock ticks, the unit of /proc/stat.
func readOwn(fsys fs.FS) (uint64, error) {
	data, err := fs.ReadFile(fsys, "proc/self/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("/proc/self/stat: no command name")
	}
	f := strings.Fields(string(data[i+1:]))
	// After the name: state (3) … utime (14), stime (15).
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/self/stat: %d fields after the name, want ≥ 13", len(f))
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/self/stat: %w", err)
	}
	return u + s, nil
}

// readLoad1 reads the 1-minute load average from proc/loadavg.
func readLoad1(fsys fs.FS) (float64, error) {
	data, err := fs.ReadFile(fsys, "proc/loadavg")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0, errors.New("/proc/loadavg: empty")
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0, fmt.Errorf("/proc/loadavg: %w", err)
	}
	return v, nil
}

// cpufreqDir is where Linux's cpufreq describes each CPU.
const cpufreqDir = "sys/devices/system/cpu"

// cpufreqDirs returns the cpufreq directories of the CPUs, sorted by CPU
// number; empty without cpufreq (many VMs and containers).
func cpufreqDirs(fsys fs.FS) []string {
	ents, err := fs.ReadDir(fsys, cpufreqDir)
	if err != nil {
		return nil
	}
	var dirs []string
	var nums []int
	for _, e := range ents {
		n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), "cpu"))
		if err != nil || !strings.HasPrefix(e.Name(), "cpu") {
			continue
		}
		d := path.Join(cpufreqDir, e.Name(), "cpufreq")
		if _, err := fs.Stat(fsys, d); err == nil {
			dirs = append(dirs, d)
			nums = append(nums, n)
		}
	}
	idx := make([]int, len(dirs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return nums[a] - nums[b] })
	out := make([]string, len(dirs))
	for i, j := range idx {
		out[i] = dirs[j]
	}
	return out
}

// readKHz reads a cpufreq file holding kHz.
func readKHz(fsys fs.FS, name string) (float64, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	if err != nil {
		return 0, fmt.Errorf("/%s: %w", name, err)
	}
	return v, nil
}

// meanCurMHz is the mean current frequency of the CPUs in dirs, in MHz.
func meanCurMHz(fsys fs.FS, dirs []string) (float64, error) {
	var sum float64
	n := 0
	var errs []error
	for _, d := range dirs {
		khz, err := readKHz(fsys, path.Join(d, "scaling_cur_freq"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum += khz / 1000
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("no CPU's scaling_cur_freq is readable: %w", errors.Join(errs...))
	}
	return sum / float64(n), nil
}

// noCpufreq explains a missing cpufreq reading.
const noCpufreq = "unavailable: no /sys/devices/system/cpu/cpu*/cpufreq (no cpufreq driver: usual in VMs and containers)"

// CPUStatic returns the configuration lines of the CPU's frequency policy
// read from fsys (os.DirFS("/") on a real machine): cpu-governor (the
// scaling governor of every CPU, "mixed: …" when they differ) and
// cpu-nominal-mhz (base_frequency where the driver gives it, else
// cpuinfo_max_freq, named), each saying "unavailable: …" with the reason
// when it cannot be read.
func CPUStatic(fsys fs.FS) [][2]string {
	dirs := cpufreqDirs(fsys)
	if len(dirs) == 0 {
		return [][2]string{{"cpu-governor", noCpufreq}, {"cpu-nominal-mhz", noCpufreq}}
	}
	count := make(map[string]int)
	var order []string
	for _, d := range dirs {
		data, err := fs.ReadFile(fsys, path.Join(d, "scaling_governor"))
		g := strings.TrimSpace(string(data))
		if err != nil || g == "" {
			g = "unreadable"
		}
		if count[g] == 0 {
			order = append(order, g)
		}
		count[g]++
	}
	gov := order[0]
	if len(order) > 1 {
		parts := make([]string, len(order))
		for i, g := range order {
			parts[i] = fmt.Sprintf("%s×%d", g, count[g])
		}
		gov = "mixed: " + strings.Join(parts, ", ")
	}
	nominal := "unavailable: neither base_frequency nor cpuinfo_max_freq is readable in " + dirs[0]
	for _, f := range []string{"base_frequency", "cpuinfo_max_freq"} {
		if khz, err := readKHz(fsys, path.Join(dirs[0], f)); err == nil && khz > 0 {
			nominal = fmt.Sprintf("%.0f (%s)", khz/1000, f)
			break
		}
	}
	return [][2]string{{"cpu-governor", gov}, {"cpu-nominal-mhz", nominal}}
}
