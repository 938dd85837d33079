// Command buildkit-lint runs BuildKit's own Dockerfile checks (the ones `docker build --check` reports) on files
// without a daemon or a registry, and prints one JSON line per file. The conformance test uses it as the reference
// for Hullcheck's BuildKit-parity rules; base images resolve to a neutral stand-in config because the real one is
// not fetched.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// neutralResolver answers every base-image lookup with a non-empty linux image for the requested platform, so the
// conversion proceeds as it would for a real image whose config adds nothing (no extra ENV, no USER).
type neutralResolver struct{}

func (neutralResolver) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	os, arch, variant := "linux", "amd64", ""
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		os, arch, variant = opt.ImageOpt.Platform.OS, opt.ImageOpt.Platform.Architecture, opt.ImageOpt.Platform.Variant
	}
	cfg := map[string]any{
		"os": os, "architecture": arch, "variant": variant,
		"config": map[string]any{"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + strings.Repeat("0", 64)}},
	}
	dt, err := json.Marshal(cfg)
	return ref, "", dt, err
}

var llbCaps = pb.Caps.CapSet(pb.Caps.All())

type warning struct {
	Rule    string `json:"rule"`
	Line    int32  `json:"line"`
	EndLine int32  `json:"endLine"`
	Message string `json:"message"`
}

type result struct {
	File     string    `json:"file"`
	Warnings []warning `json:"warnings"`
	Error    string    `json:"error,omitempty"`
	Line     int32     `json:"errorLine,omitempty"`
}

// lintFile lints one file; the source state stands for the Dockerfile's origin, as the frontend's own source map does.
func lintFile(path string, src *llb.State, def *llb.Definition) (res result) {
	res = result{File: path, Warnings: []warning{}}
	// a crash on one file is reported for that file, the others still run
	defer func() {
		if r := recover(); r != nil {
			res.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	dt, err := os.ReadFile(path)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	opt := dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{},
		MetaResolver: neutralResolver{},
		// every LLB feature is available, as with a current BuildKit daemon
		LLBCaps:   &llbCaps,
		SourceMap: llb.NewSourceMap(src, path, "Dockerfile", dt),
	}
	opt.SourceMap.Definition = def
	out, err := dockerfile2llb.DockerfileLint(context.Background(), dt, opt)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	for _, w := range out.Warnings {
		item := warning{Rule: w.RuleName, Message: w.Detail}
		if w.Location != nil && len(w.Location.Ranges) > 0 {
			r := w.Location.Ranges[0]
			item.Line, item.EndLine = r.GetStart().GetLine(), r.GetEnd().GetLine()
		}
		res.Warnings = append(res.Warnings, item)
	}
	if out.Error != nil {
		res.Error = out.Error.Message
		if len(out.Error.Location.Ranges) > 0 {
			res.Line = out.Error.Location.Ranges[0].GetStart().GetLine()
		}
	}
	return res
}

// Paths come as arguments, or one per line on stdin when there are none (the corpus is too long for argv limits
// on some systems).
func main() {
	paths := os.Args[1:]
	if len(paths) == 0 {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if p := strings.TrimSpace(sc.Text()); p != "" {
				paths = append(paths, p)
			}
		}
	}
	src := llb.Local("dockerfile")
	def, err := src.Marshal(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, p := range paths {
		if err := enc.Encode(lintFile(p, &src, def)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
