package envstate

import (
	"io/fs"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedFS is a MapFS the test may change while a Sampler reads it.
type lockedFS struct {
	mu sync.Mutex
	m  fstest.MapFS
}

func (l *lockedFS) Open(name string) (fs.File, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	data, err := fs.ReadFile(l.m, name)
	if err != nil {
		return l.m.Open(name) // directories, and the error
	}
	return fstest.MapFS{name: {Data: data}}.Open(name)
}

func (l *lockedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fs.ReadDir(l.m, name)
}

func (l *lockedFS) set(name, data string) {
	l.mu.Lock()
	l.m[name] = &fstest.MapFile{Data: []byte(data)}
	l.mu.Unlock()
}

// machine is a 2-CPU machine with cpufreq: governor powersave on one CPU.
func machine() *lockedFS {
	m := fstest.MapFS{
		"proc/stat":      {Data: []byte("cpu  1000 0 500 8000 100 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")},
		"proc/self/stat": {Data: []byte("4242 (go test (x)) R 1 2 3 4 5 6 7 8 9 10 300 100 0 0 20 0 4\n")},
		"proc/loadavg":   {Data: []byte("3.50 2.00 1.00 2/300 4242\n")},
	}
	for _, c := range []struct{ cpu, gov string }{{"cpu0", "performance"}, {"cpu1", "powersave"}} {
		d := "sys/devices/system/cpu/" + c.cpu + "/cpufreq/"
		m[d+"scaling_governor"] = &fstest.MapFile{Data: []byte(c.gov + "\n")}
		m[d+"scaling_cur_freq"] = &fstest.MapFile{Data: []byte("2000000\n")}
		m[d+"base_frequency"] = &fstest.MapFile{Data: []byte("2400000\n")}
	}
	m["sys/devices/system/cpu/online"] = &fstest.MapFile{Data: []byte("0-1\n")}
	return &lockedFS{m: m}
}

// A throttle event played in the middle of the loop, another process
// appearing and CPU steal are all recorded, and the result is judged
// disturbed for each, with its reason.
func TestSamplerThrottleMidLoop(t *testing.T) {
	fsys := machine()
	cool := GPUSample{SMMHz: 1980, MemMHz: 3201, TempC: 40}
	hot := GPUSample{SMMHz: 990, MemMHz: 3201, TempC: 88, Reasons: ReasonHwThermalSlowdown | ReasonSwPowerCap,
		Others: []Proc{{PID: 7, MemBytes: 2 << 30}}}
	gpu := &Scripted{Samples: []GPUSample{cool, cool, hot, cool}}
	s := Start(Options{GPU: gpu, FS: fsys, Period: time.Millisecond})
	for {
		if n, _ := gpu.Calls(); n >= 4 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	// Over the loop: 1000 ticks, 100 of them stolen, 200 busy of which
	// this process used 50 (300+100 → 330+120).
	fsys.set("proc/stat", "cpu  1150 0 550 8700 100 0 0 100 0 0\n")
	fsys.set("proc/self/stat", "4242 (go test (x)) R 1 2 3 4 5 6 7 8 9 10 330 120 0 0 20 0 4\n")
	r := s.Stop()
	n, closed := gpu.Calls()
	assert.False(t, closed, "Stop leaves the reader to its owner")

	get := func(u string) float64 {
		v, ok := r.Get(u)
		require.True(t, ok, "%s recorded", u)
		return v
	}
	assert.Equal(t, 990.0, get(SMMinMHz))
	assert.Less(t, get(SMMHz), 1980.0)
	assert.Greater(t, get(SMMHz), 990.0)
	assert.Equal(t, 3201.0, get(MemMinMHz))
	assert.InDelta(t, 100/float64(n), get(ThermalPct), 1e-9, "only the third sample is hot")
	assert.Equal(t, get(ThermalPct), get(PowerCapPct))
	assert.Zero(t, get(HWSlowPct))
	assert.Equal(t, 88.0, get(TempC))
	assert.Equal(t, 1.0, get(OtherProcs))
	assert.Equal(t, float64(2<<30), get(OtherMem))
	assert.InDelta(t, 10, get(StealPct), 1e-9)
	assert.InDelta(t, 0, get(IOWaitPct), 1e-9)
	assert.InDelta(t, 15, get(OtherBusyPct), 1e-9)
	assert.Equal(t, 3.5, get(Load1))
	assert.Equal(t, 2000.0, get(CPUMHz))
	assert.Empty(t, r.Absent)

	why := r.Disturbed(Default)
	require.Len(t, why, 4, "%q", why)
	assert.Contains(t, why[0], "gpu power cap")
	assert.Contains(t, why[1], "gpu thermal slowdown")
	assert.Contains(t, why[2], "1 other process(es) on the gpu holding 2048 MiB")
	assert.Contains(t, why[3], "cpu steal 10.0% > 5%")
}

// A quiet loop is not disturbed, and readings that cannot be made are
// absent with their reason, never zero.
func TestSamplerQuietAndAbsent(t *testing.T) {
	fsys := &lockedFS{m: fstest.MapFS{"proc/stat": {Data: []byte("cpu  1000 0 500 8000 100 0 0 0 0 0\n")}}}
	s := Start(Options{GPUAbsent: "CPU-only build (no accelerator tag)", FS: fsys, Period: time.Hour})
	fsys.set("proc/stat", "cpu  1100 0 500 8900 100 0 0 0 0 0\n")
	r := s.Stop()
	assert.Nil(t, r.Disturbed(Default))
	for _, u := range []string{SMMHz, OtherProcs, OtherBusyPct, Load1, CPUMHz} {
		_, ok := r.Get(u)
		assert.False(t, ok, "%s must be absent", u)
	}
	v, ok := r.Get(StealPct)
	assert.True(t, ok)
	assert.Zero(t, v)
	assert.Equal(t, []string{
		"gpu: CPU-only build (no accelerator tag)",
		"cpu other-busy: /proc/self/stat: open proc/self/stat: file does not exist",
		"load1: open proc/loadavg: file does not exist",
		"cpu-MHz: " + noCpufreq,
	}, r.Absent)
}

func TestJudgeThresholds(t *testing.T) {
	for _, tt := range []struct {
		name   string
		units  []string
		values []float64
		want   int
	}{
		{"nothing recorded", nil, nil, 0},
		{"quiet gpu", []string{PowerCapPct, ThermalPct, HWSlowPct, OtherProcs}, []float64{0, 0, 0, 0}, 0},
		{"steal at threshold", []string{StealPct}, []float64{5}, 0},
		{"steal above", []string{StealPct}, []float64{5.1}, 1},
		{"hw slowdown once", []string{HWSlowPct}, []float64{2}, 1},
		{"other process", []string{OtherProcs, OtherMem}, []float64{1, 0}, 1},
		{"last value counts", []string{StealPct, StealPct}, []float64{50, 1}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Len(t, JudgeValues(tt.units, tt.values, Default), tt.want)
		})
	}
	assert.True(t, IsUnit(DisturbedUnit))
	assert.True(t, IsUnit(StealPct))
	assert.False(t, IsUnit("sec/op"))
}

func TestCPUStatic(t *testing.T) {
	assert.Equal(t, [][2]string{{"cpu-governor", "mixed: performance×1, powersave×1"}, {"cpu-nominal-mhz", "2400 (base_frequency)"}},
		CPUStatic(machine()))
	assert.Equal(t, [][2]string{{"cpu-governor", noCpufreq}, {"cpu-nominal-mhz", noCpufreq}}, CPUStatic(fstest.MapFS{}))
}

func TestParseErrors(t *testing.T) {
	for _, stat := range []string{"", "intr 1 2\n", "cpu 1 2 3\n", "cpu a b c d e f g h\n"} {
		_, err := readStat(fstest.MapFS{"proc/stat": {Data: []byte(stat)}})
		assert.Error(t, err, "%q", stat)
	}
	for _, self := range []string{"", "1 (x) R 1\n", "1 (x) R 1 2 3 4 5 6 7 8 9 10 u s\n"} {
		_, err := readOwn(fstest.MapFS{"proc/self/stat": {Data: []byte(self)}})
		assert.Error(t, err, "%q", self)
	}
}

// On this machine: what the CPU side records over a short busy loop.
func TestRealMachine(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, kv := range CPUStatic(os.DirFS("/")) {
		t.Logf("%s: %s", kv[0], kv[1])
	}
	s := Start(Options{GPUAbsent: "not read by this test"})
	end := time.Now().Add(300 * time.Millisecond)
	x := 0
	for time.Now().Before(end) {
		x++
	}
	r := s.Stop()
	for _, m := range r.Metrics {
		t.Logf("%s %g", m.Unit, m.Value)
	}
	for _, a := range r.Absent {
		t.Logf("absent: %s", a)
	}
	t.Logf("disturbed: %q", r.Disturbed(Default))
	_, ok := r.Get(StealPct)
	assert.True(t, ok, "a Linux machine has /proc/stat")
}

func TestDescends(t *testing.T) {
	fsys := fstest.MapFS{
		"proc/100/stat": {Data: []byte("100 (bench.test) S 50 1 1\n")},
		"proc/200/stat": {Data: []byte("200 (python3 (worker)) S 100 1 1\n")},
		"proc/300/stat": {Data: []byte("300 (python3) S 1 1 1\n")},
		"proc/50/stat":  {Data: []byte("50 (bash) S 1 1 1\n")},
	}
	assert.True(t, Descends(fsys, 100, 100))
	assert.True(t, Descends(fsys, 200, 100), "a worker this process started")
	assert.False(t, Descends(fsys, 300, 100), "a stranger")
	assert.False(t, Descends(fsys, 50, 100), "the parent")
	assert.False(t, Descends(fsys, 4242, 100), "a pid /proc does not show")
	assert.True(t, Descends(os.DirFS("/"), os.Getpid(), os.Getpid()))
}

func TestMapped(t *testing.T) {
	fsys := fstest.MapFS{"proc/self/maps": {Data: []byte(`7f0000000000-7f0000001000 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libcuda.so.580.65.06
7f0000002000-7f0000003000 rw-p 00000000 00:00 0
7f0000004000-7f0000005000 r-xp 00000000 08:01 124 /opt/x/libcudart.so.13
`)}}
	assert.True(t, Mapped(fsys, "libcuda.so"))
	assert.False(t, Mapped(fsys, "libnvidia-ml.so"))
	assert.False(t, Mapped(fstest.MapFS{}, "libcuda.so"))
}
