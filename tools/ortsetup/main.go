// Command ortsetup installs the pinned ONNX Runtime shared library that
// inferbench's ORT backends load (see package ortlib).
//
// Usage:
//
//	ortsetup [-tarball onnxruntime-node-1.30.0.tgz]
//
// Without -tarball it runs `npm pack onnxruntime-node@1.30.0` in a temporary
// directory. It does nothing when the library is already installed with the
// pinned sha256.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/inferbench/inferbench/backends/ort/ortlib"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ortsetup: ")
	tarball := flag.String("tarball", "", "use this "+ortlib.NPMPackage+" tarball instead of running npm pack (offline)")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	spec, err := ortlib.Target()
	if err != nil {
		log.Fatal(err)
	}
	changed, err := ortlib.Setup(ctx, spec, ortlib.NPMPackage, *tarball, os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	if changed {
		fmt.Printf("installed ONNX Runtime %s at %s (sha256 %s)\n", ortlib.Version, spec.Path, spec.SHA256)
	} else {
		fmt.Printf("ONNX Runtime %s already installed at %s (sha256 %s)\n", ortlib.Version, spec.Path, spec.SHA256)
	}
}
