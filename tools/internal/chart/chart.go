package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/inferbench/inferbench/internal/atomicfile"
)

// Size of every figure.
const (
	Width  = 20 * vg.Centimeter
	Height = 12 * vg.Centimeter
)

// ErrBlank reports a figure without anything drawn on it.
var ErrBlank = errors.New("blank image")

// Point is a value with an optional range around it (Lo ≤ Y ≤ Hi; equal
// to Y when there is no range).
type Point struct {
	X, Y, Lo, Hi float64
}

// Series is one named set of points.
type Series struct {
	Name   string
	Points []Point
	// Dashed marks series to be read with care (degraded results).
	Dashed bool
}

// Dots draws, for every category on the x axis, one point per series with
// its range as whiskers; points of different series are set side by side.
// X of each point is the category's index. logY draws the y axis on a
// log scale (all values must then be positive).
func Dots(title, ylabel string, categories []string, series []Series, logY bool) (*plot.Plot, error) {
	if logY {
		if err := positive(series, false, true, true); err != nil {
			return nil, err
		}
	}
	p := newPlot(title, "", ylabel)
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	width := 0.6
	for i, s := range series {
		shift := 0.0
		if len(series) > 1 {
			shift = -width/2 + width*float64(i)/float64(len(series)-1)
		}
		xys := make(plotter.XYs, len(s.Points))
		errs := make(plotter.YErrors, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: pt.X + shift, Y: pt.Y}
			errs[j].Low, errs[j].High = pt.Y-pt.Lo, pt.Hi-pt.Y
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: %s: %w", s.Name, err)
		}
		sc.GlyphStyle.Color = plotutil.Color(i)
		sc.GlyphStyle.Shape = plotutil.Shape(i)
		sc.GlyphStyle.Radius = vg.Points(3)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xys, errs})
		if err != nil {
			return nil, fmt.Errorf("chart: %s: %w", s.Name, err)
		}
		eb.LineStyle.Color = plotutil.Color(i)
		if s.Dashed {
			eb.LineStyle.Dashes = plotutil.Dashes(1)
		}
		p.Add(eb, sc)
		p.Legend.Add(s.Name, sc)
	}
	p.NominalX(categories...)
	p.X.Min, p.X.Max = -0.6, float64(len(categories))-0.4
	p.X.Tick.Label.Rotation = math.Pi / 8
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YTop
	headroom(p, len(series), logY)
	return p, nil
}

// Lines draws each series as a line with points. logX and logY draw the
// axes on log scales.
func Lines(title, xlabel, ylabel string, series []Series, logX, logY bool) (*plot.Plot, error) {
	if err := positive(series, logX, logY, false); err != nil {
		return nil, err
	}
	p := newPlot(title, xlabel, ylabel)
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for i, s := range series {
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: pt.X, Y: pt.Y}
		}
		l, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: %s: %w", s.Name, err)
		}
		l.Color, sc.Color, sc.Shape = plotutil.Color(i), plotutil.Color(i), plotutil.Shape(i)
		if s.Dashed {
			l.Dashes = plotutil.Dashes(1)
		}
		p.Add(l, sc)
		p.Legend.Add(s.Name, l, sc)
	}
	if logX {
		// Label the x values themselves: log ticks at powers of ten
		// leave a narrow range unlabelled.
		var ticks []plot.Tick
		seen := make(map[float64]bool)
		for _, s := range series {
			for _, pt := range s.Points {
				if !seen[pt.X] {
					seen[pt.X] = true
					ticks = append(ticks, plot.Tick{Value: pt.X, Label: strconv.FormatFloat(pt.X, 'g', 4, 64)})
				}
			}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	headroom(p, len(series), logY)
	return p, nil
}

// Changes draws a series of points in order (x = 0, 1, …) with each
// segment's level as a horizontal line and a vertical line before every
// change point. labels name the x positions (commits); at most about a
// dozen are printed.
func Changes(title, ylabel string, y []float64, labels []string, changes []int, level func(from, to int) float64) (*plot.Plot, error) {
	p := newPlot(title, "commit", ylabel)
	xys := make(plotter.XYs, len(y))
	for i, v := range y {
		xys[i] = plotter.XY{X: float64(i), Y: v}
	}
	l, sc, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	l.Color, sc.Color = color.Gray{Y: 120}, plotutil.Color(0)
	p.Add(l, sc)
	bounds := append(append([]int{0}, changes...), len(y))
	lo, hi := minMax(y)
	for i := 0; i+1 < len(bounds); i++ {
		a, b := bounds[i], bounds[i+1]
		lv := level(a, b)
		seg, err := plotter.NewLine(plotter.XYs{{X: float64(a) - 0.5, Y: lv}, {X: float64(b) - 0.5, Y: lv}})
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		seg.Color, seg.Width = plotutil.Color(1), vg.Points(2)
		p.Add(seg)
		if i > 0 {
			mark, err := plotter.NewLine(plotter.XYs{{X: float64(a) - 0.5, Y: lo}, {X: float64(a) - 0.5, Y: hi}})
			if err != nil {
				return nil, fmt.Errorf("chart: %w", err)
			}
			mark.Color, mark.Dashes, mark.Width = plotutil.Color(2), plotutil.Dashes(2), vg.Points(1.5)
			p.Add(mark)
		}
	}
	step := max(1, (len(labels)+11)/12)
	var ticks []plot.Tick
	for i, s := range labels {
		t := plot.Tick{Value: float64(i)}
		if i%step == 0 {
			t.Label = s
		}
		ticks = append(ticks, t)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	return p, nil
}

// ErrLogScale reports a value a log-scale axis cannot show.
var ErrLogScale = errors.New("value not positive on a log scale")

// positive checks that the chosen coordinates of every point are positive.
func positive(series []Series, x, y, yRange bool) error {
	for _, s := range series {
		for _, pt := range s.Points {
			if (x && !(pt.X > 0)) || (y && !(pt.Y > 0)) || (yRange && !(pt.Lo > 0 && pt.Hi > 0)) {
				return fmt.Errorf("chart: %s: point %+v: %w", s.Name, pt, ErrLogScale)
			}
		}
	}
	return nil
}

// headroom raises the top of the y axis so the legend, top right, with
// one line per series, clears the data.
func headroom(p *plot.Plot, series int, logY bool) {
	if logY {
		p.Y.Max *= math.Pow(1.6, float64(series))
		return
	}
	p.Y.Max += 0.08 * float64(series) * (p.Y.Max - p.Y.Min)
}

func minMax(y []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range y {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// Save writes p as a PNG file.
//
// The file is replaced atomically: a failed save leaves the old one, and
// no partial image.
func Save(p *plot.Plot, path string) error {
	wt, err := p.WriterTo(Width, Height, strings.TrimPrefix(filepath.Ext(path), "."))
	if err == nil {
		err = atomicfile.Write(path, func(w io.Writer) error {
			_, err := wt.WriteTo(w)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("chart: %s: %w", path, err)
	}
	return nil
}

// Verify checks that path holds a PNG image with something drawn on it:
// more than one colour, and at least 1% of the pixels differing from the
// most common one.
func Verify(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return notBlank(path, img)
}

func notBlank(name string, img image.Image) error {
	counts := make(map[color.RGBA64]int)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			counts[color.RGBA64{uint16(r), uint16(g), uint16(bl), uint16(a)}]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := b.Dx() * b.Dy()
	if total == 0 || len(counts) < 2 || float64(total-most) < 0.01*float64(total) {
		return fmt.Errorf("%s: %w (%d colours, %d of %d pixels differ from the background)", name, ErrBlank, len(counts), total-most, total)
	}
	return nil
}
