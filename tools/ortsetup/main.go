// Command ortsetup installs the pinned ONNX Runtime shared library that
// inferbench's ORT backends load (see package ortlib).
//
// Usage:
//
//	ortsetup [-tarball onnxruntime-node-1.30.0.tgz]
//	ortsetup -flavor gpu [-wheel onnxruntime_gpu-1.30.0-…whl]
//
// The CPU flavor (default) runs `npm pack onnxruntime-node@1.30.0` in a
// temporary directory. The GPU flavor runs `pip download --no-deps
// --only-binary=:all: onnxruntime-gpu==1.30.0` for the pinned platform,
// checks the wheel's sha256 and extracts the base library and the shared,
// CUDA and TensorRT provider libraries into the cache's 1.30.0-gpu folder.
// Either does nothing when its files are already installed with their
// pinned sha256s.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/inferbench/inferbench/internal/backends/ort/ortlib"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ortsetup: ")
	flavor := flag.String("flavor", "cpu", "which ONNX Runtime build: cpu (npm "+ortlib.NPMPackage+") or gpu (PyPI "+ortlib.GPURequirement+")")
	tarball := flag.String("tarball", "", "cpu: use this "+ortlib.NPMPackage+" tarball instead of running npm pack (offline)")
	wheel := flag.String("wheel", "", "gpu: use this "+ortlib.GPUWheel+" instead of running pip download (offline)")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch *flavor {
	case "cpu":
		setupCPU(ctx, *tarball)
	case "gpu":
		setupGPU(ctx, *wheel)
	default:
		log.Fatalf("-flavor %q: want cpu or gpu", *flavor)
	}
}

func setupCPU(ctx context.Context, tarball string) {
	spec, err := ortlib.Target()
	if err != nil {
		log.Fatal(err)
	}
	changed, err := ortlib.Setup(ctx, spec, ortlib.NPMPackage, tarball, os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	verb := "already installed"
	if changed {
		verb = "installed"
	}
	fmt.Printf("ONNX Runtime %s %s at %s (sha256 %s)\n", ortlib.Version, verb, spec.Path, spec.SHA256)
}

func setupGPU(ctx context.Context, wheel string) {
	w, err := ortlib.GPUTarget()
	if err != nil {
		log.Fatal(err)
	}
	changed, err := ortlib.SetupWheel(ctx, w, ortlib.GPURequirement, ortlib.GPUPipArgs, wheel, os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	verb := "already installed"
	if changed {
		verb = "installed"
	}
	fmt.Printf("ONNX Runtime %s GPU build %s in %s (from %s, sha256 %s)\n", ortlib.GPUVersion, verb, w.Dir, ortlib.GPUWheel, ortlib.GPUWheelSHA256)
}
