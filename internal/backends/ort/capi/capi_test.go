package capi_test

import (
	"testing"
	"unsafe"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/capi"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

// TestRunWithBinding runs the tiny model through capi alone: the session
// pointer read from onnxruntime_go, tensors over C memory, a binding and
// run options. The logits must be the tiny model's.
func TestRunWithBinding(t *testing.T) {
	orttest.Require(t)
	if err := capi.Load(ort.LibraryPath()); err != nil {
		t.Fatal(err)
	}
	m := orttest.Tiny(t)
	s, err := ort.Open("capi-test", m, cpu.Options(backends.Options{Threads: 1}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw := capi.SessionOf(s.ORT())
	if err := capi.CheckSession(raw, 2, 1); err != nil {
		t.Fatal(err)
	}
	if err := capi.CheckSession(raw, 3, 1); err == nil {
		t.Error("CheckSession accepted a wrong input count")
	}
	mem, err := capi.CPUMemInfo()
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Destroy()

	const batch, seq = 2, 3
	n := batch * seq
	idsBuf, maskBuf := capi.HostAlloc(uintptr(8*n)), capi.HostAlloc(uintptr(8*n))
	outBuf := capi.HostAlloc(uintptr(4 * m.LogitsLen(batch, seq)))
	defer capi.HostFree(idsBuf)
	defer capi.HostFree(maskBuf)
	defer capi.HostFree(outBuf)
	ids, mask := unsafe.Slice((*int64)(idsBuf), n), unsafe.Slice((*int64)(maskBuf), n)
	logits := unsafe.Slice((*float32)(outBuf), m.LogitsLen(batch, seq))
	for i := range mask {
		mask[i] = 1
	}
	shape := []int64{batch, seq}
	vIDs, err := capi.NewTensor(mem, idsBuf, uintptr(8*n), shape, capi.Int64)
	if err != nil {
		t.Fatal(err)
	}
	defer vIDs.Destroy()
	vMask, err := capi.NewTensor(mem, maskBuf, uintptr(8*n), shape, capi.Int64)
	if err != nil {
		t.Fatal(err)
	}
	defer vMask.Destroy()
	vOut, err := capi.NewTensor(mem, outBuf, uintptr(4*len(logits)), []int64{batch, seq, int64(m.Vocab)}, capi.Float32)
	if err != nil {
		t.Fatal(err)
	}
	defer vOut.Destroy()
	b, err := s.ORT().CreateIoBinding()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Destroy()
	rb := capi.BindingOf(b)
	for _, step := range []error{
		capi.BindInput(rb, model.InputIDs, vIDs),
		capi.BindInput(rb, model.AttentionMask, vMask),
		capi.BindOutput(rb, model.Logits, vOut),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	if err := capi.BindInput(rb, "no_such_input", vIDs); err == nil {
		t.Error("binding an unknown input succeeded")
	}
	ro, err := capi.NewRunOptions([][2]string{{"gpu_graph_id", "1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Destroy()
	for _, tokens := range [][]int64{{6, 0, 5, 1, 4, 2}, {0, 1, 2, 3, 4, 5}} {
		copy(ids, tokens) // same memory, new contents: the binding stays
		if err := capi.Run(raw, ro, rb); err != nil {
			t.Fatal(err)
		}
		want := orttest.TinyLogits(tokens)
		for i := range want {
			if logits[i] != want[i] {
				t.Fatalf("tokens %v: logits[%d] = %v, want %v", tokens, i, logits[i], want[i])
			}
		}
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := capi.Run(raw, nil, rb); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Run allocates %v times per call, want 0", allocs)
	}
}

// TestORTLogIsRouted: ORT's messages reach capi's logger rather than ORT's
// own printing. With the environment at verbose level, creating a session
// logs; inside Quiet those messages come back to the caller.
func TestORTLogIsRouted(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t)
	if err := ortgo.SetEnvironmentLogLevel(ortgo.LoggingLevelVerbose); err != nil {
		t.Fatal(err)
	}
	defer ortgo.SetEnvironmentLogLevel(ortgo.LoggingLevelWarning)
	msgs, err := capi.Quiet(func() error {
		s, err := ort.Open("capi-log-test", m, cpu.Options(backends.Options{Threads: 1}))
		if err == nil {
			s.Close()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		t.Fatal("no ORT message reached the logger while a session was created at verbose level")
	}
	t.Logf("%d messages, the first: %v", len(msgs), msgs[0])
}
