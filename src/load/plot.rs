//! The latency plot: one percentile curve per call, the echo baseline's beside them.
//!
//! The x axis is the percentile on a log scale of `1 / (1 - p)` (so 90%, 99%, 99.9% and 99.99%
//! are evenly spaced), the y axis latency in milliseconds on a log scale: the shape of the tail
//! is what a mean hides. Each curve stops where its calls run out (a curve of 1,000 calls says
//! nothing past 99.9%). Drawn with plotters' SVG backend only, so no system fonts or font
//! libraries are needed.

use std::path::Path;

use hdrhistogram::Histogram;
use plotters::prelude::*;

use super::LoadError;
use super::ops::Call;
use super::report::PhaseReport;

/// Curve points per decade of the x axis.
const STEPS_PER_DECADE: u32 = 20;

/// `p = 1 - 10^-x`, as a percentage label.
fn percentile_label(x: &f64) -> String {
    let p = 100.0 * (1.0 - 10f64.powf(-x));
    let text = format!("{p:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// The curve of one histogram: (x, latency ms) points.
fn curve(h: &Histogram<u64>) -> Vec<(f64, f64)> {
    let x_end = (h.len() as f64).log10().max(1.0);
    let steps = (x_end * f64::from(STEPS_PER_DECADE)).ceil() as u32;
    (0..=steps)
        .map(|i| (f64::from(i) / f64::from(STEPS_PER_DECADE)).min(x_end))
        .map(|x| {
            let q = 1.0 - 10f64.powf(-x);
            (x, h.value_at_quantile(q).max(1) as f64 / 1e3)
        })
        .collect()
}

fn plot_error(e: impl std::fmt::Display) -> LoadError {
    LoadError::Plot(e.to_string())
}

/// Draw `run`'s percentile curves (and echo's) to `path` as SVG.
pub fn write_svg(
    path: &Path,
    run: &PhaseReport,
    echo: Option<&PhaseReport>,
) -> Result<(), LoadError> {
    let mut series: Vec<(String, Vec<(f64, f64)>)> = run
        .histograms
        .iter()
        .filter(|(_, h)| !h.is_empty())
        .map(|(call, h)| (call.name().to_owned(), curve(h)))
        .collect();
    let echo_curve = echo.and_then(|e| {
        e.histograms
            .iter()
            .find(|(call, h)| *call == Call::Echo && !h.is_empty())
            .map(|(_, h)| ("echo (baseline)".to_owned(), curve(h)))
    });
    series.extend(echo_curve);

    let points = series.iter().flat_map(|(_, c)| c.iter());
    let x_max = points.clone().map(|p| p.0).fold(1.0, f64::max);
    let y_min = points.clone().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let y_max = points.map(|p| p.1).fold(0.0, f64::max);
    let (y_min, y_max) = if y_min.is_finite() && y_max > 0.0 {
        (y_min / 1.5, y_max * 1.5)
    } else {
        (0.001, 1.0)
    };

    let root = SVGBackend::new(path, (1100, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Latency by percentile: {} ({})", run.target, run.load),
            ("sans-serif", 20),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..x_max, (y_min..y_max).log_scale())
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .x_desc("percentile")
        .y_desc("latency (ms)")
        .x_labels(x_max.ceil() as usize + 1)
        .x_label_formatter(&percentile_label)
        .y_label_formatter(&|y| format!("{y}"))
        .draw()
        .map_err(plot_error)?;
    for (i, (name, points)) in series.into_iter().enumerate() {
        let color = if name.starts_with("echo") {
            BLACK.to_rgba()
        } else {
            Palette99::pick(i).to_rgba()
        };
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(plot_error)?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(plot_error)?;
    root.present().map_err(plot_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_labels_read_as_people_write_them() {
        assert_eq!(percentile_label(&0.0), "0%");
        assert_eq!(percentile_label(&1.0), "90%");
        assert_eq!(percentile_label(&3.0), "99.9%");
    }
}
