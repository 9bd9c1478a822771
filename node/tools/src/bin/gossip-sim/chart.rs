//! One kind of chart, drawn with plotters into an SVG file: lines, dashed
//! lines (the theory) and points (the measurements), with a legend. Log axes
//! are drawn by plotting log10 of the values and labelling the ticks back.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use std::ops::Range;
use std::path::Path;

/// How a series is drawn.
#[derive(Clone, Copy)]
pub enum Look {
    /// Measured: a line through marked points.
    Measured,
    /// Expected: a dashed line.
    Theory,
}

pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    pub look: Look,
}

pub struct Chart<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub log_x: bool,
    pub log_y: bool,
    /// Where the legend goes.
    pub legend: SeriesLabelPosition,
}

/// Colors that stay apart on a projector and in print.
pub const BLUE: RGBColor = RGBColor(31, 119, 180);
pub const ORANGE: RGBColor = RGBColor(230, 120, 20);
pub const GREEN: RGBColor = RGBColor(44, 160, 44);
pub const PURPLE: RGBColor = RGBColor(148, 103, 189);
pub const GREY: RGBColor = RGBColor(110, 110, 110);

/// A tick label for a log axis: the value 10^v, written plainly while short.
fn power_label(v: f64) -> String {
    let value = 10f64.powf(v);
    if (1.0..10_000.0).contains(&value.round()) {
        format!("{}", value.round())
    } else if (1e-4..1.0).contains(&value) {
        format!("{value:.*}", (-v.floor()) as usize)
    } else if (v - v.round()).abs() < 1e-9 {
        format!("10^{}", v.round())
    } else {
        format!("{value:.0e}")
    }
}

/// How many ticks a log axis over `range` gets: one per power of ten.
fn decades(range: &Range<f64>) -> usize {
    (range.end.log10().floor() - range.start.log10().ceil()) as usize + 1
}

fn plain_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.2}")
    }
}

impl Chart<'_> {
    /// Draw `series` into the SVG file at `path`.
    pub fn draw(&self, path: &Path, series: &[Series]) -> Result<(), String> {
        self.try_draw(path, series)
            .map_err(|e| format!("cannot draw {}: {e}", path.display()))
    }

    fn try_draw(&self, path: &Path, series: &[Series]) -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::new(path, (760, 460)).into_drawing_area();
        root.fill(&WHITE)?;
        let axis = |log: bool, range: &Range<f64>| {
            if log {
                range.start.log10()..range.end.log10()
            } else {
                range.clone()
            }
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 20))
            .margin(18)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(axis(self.log_x, &self.x), axis(self.log_y, &self.y))?;
        let (log_x, log_y) = (self.log_x, self.log_y);
        let x_label = move |v: &f64| {
            if log_x {
                power_label(*v)
            } else {
                plain_label(*v)
            }
        };
        let y_label = move |v: &f64| {
            if log_y {
                power_label(*v)
            } else {
                plain_label(*v)
            }
        };
        let mut mesh = chart.configure_mesh();
        if self.log_x {
            mesh.x_labels(decades(&self.x));
        }
        if self.log_y {
            mesh.y_labels(decades(&self.y));
        }
        if !self.log_x && self.x.end - self.x.start <= 10.0 {
            // A short axis of whole numbers (k = 1..5): one tick per number.
            mesh.x_labels((self.x.end - self.x.start) as usize + 1);
        }
        mesh.x_desc(self.x_desc)
            .y_desc(self.y_desc)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let place = |(x, y): (f64, f64)| {
            (
                if log_x { x.log10() } else { x },
                if log_y { y.log10() } else { y },
            )
        };
        for s in series {
            let points: Vec<(f64, f64)> = s.points.iter().copied().map(place).collect();
            let color = s.color;
            let line = color.stroke_width(2);
            match s.look {
                Look::Measured => {
                    chart
                        .draw_series(LineSeries::new(points.clone(), line))?
                        .label(&s.name)
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], line));
                    chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, color.filled())))?;
                }
                Look::Theory => {
                    chart
                        .draw_series(DashedLineSeries::new(points, 6, 4, line))?
                        .label(&s.name)
                        .legend(move |(x, y)| {
                            DashedPathElement::new(vec![(x, y), (x + 22, y)], 5, 3, line)
                        });
                }
            }
        }
        chart
            .configure_series_labels()
            .position(self.legend.clone())
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .draw()?;
        root.present()?;
        Ok(())
    }
}
