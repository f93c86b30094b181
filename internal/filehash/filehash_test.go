package filehash

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileAndBytesAgree(t *testing.T) {
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // sha256("abc"), FIPS 180-2
	if got := Bytes([]byte("abc")); got != abc {
		t.Errorf("Bytes(abc) = %s", got)
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := File(p); err != nil || got != abc {
		t.Errorf("File = %s, %v; want %s", got, err, abc)
	}
	if _, err := File(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("File(missing) succeeded")
	}
}
