//! A chosen statistic against a parameter, one line per combination of
//! the other columns (configuration, other parameters, ROM), drawn with
//! plotters as SVG or PNG (by the file's extension). Text is drawn with a
//! font built into the binary (`epaint_default_fonts`' Ubuntu Light,
//! through plotters' `ab_glyph` feature), so plots look the same on a
//! machine without any system font.

use super::Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// The columns a plot's x axis can be: `config`, every parameter, `rom`.
pub fn x_keys(results: &Results) -> Vec<String> {
    let mut keys = vec!["config".to_string()];
    keys.extend(results.param_fields());
    keys.push("rom".into());
    keys
}

/// The x column when none is chosen: the first parameter, else `config`.
pub fn default_x(results: &Results) -> String {
    results
        .param_fields()
        .into_iter()
        .next()
        .unwrap_or_else(|| "config".into())
}

/// The statistics a plot can show: every one any row has (rows where it
/// is undefined, such as `cpi` before any instruction, are left out).
pub fn plottable(results: &Results) -> Vec<String> {
    results.stat_names()
}

/// Checks `stat` and `x` before anything runs; a wrong name lists the
/// valid ones.
pub fn check_names(results: &Results, stat: &str, x: &str) -> Result<(), String> {
    let stats = plottable(results);
    if !stats.iter().any(|s| s == stat) {
        return Err(format!(
            "--plot: no statistic `{stat}` in these results; the statistics are: {}",
            stats.join(", ")
        ));
    }
    let keys = x_keys(results);
    if !keys.iter().any(|k| k == x) {
        return Err(format!(
            "--x: `{x}` is not a column of this sweep; choose one of: {}",
            keys.join(", ")
        ));
    }
    Ok(())
}

/// The x axis: numbers (log2 when they are powers of two spanning a
/// factor of 8 or more) or categories in first-seen order.
enum Axis {
    Linear,
    Log2,
    Categories(Vec<String>),
}

/// What is drawn: the axis and the lines (label, points).
struct Figure {
    axis: Axis,
    lines: Vec<(String, Vec<(f64, f64)>)>,
}

fn figure(results: &Results, stat: &str, x: &str) -> Figure {
    let mut xs: Vec<String> = Vec::new();
    for r in &results.rows {
        if let Some(v) = r.key(x)
            && !xs.contains(&v)
        {
            xs.push(v);
        }
    }
    let numbers: Option<Vec<f64>> = xs.iter().map(|v| v.parse::<f64>().ok()).collect();
    let axis = match &numbers {
        Some(n) if !n.is_empty() => {
            let (lo, hi) = n
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            let pow2 = n
                .iter()
                .all(|&v| v >= 1.0 && v.fract() == 0.0 && (v as u64).is_power_of_two());
            if pow2 && hi / lo >= 8.0 {
                Axis::Log2
            } else {
                Axis::Linear
            }
        }
        _ => Axis::Categories(xs.clone()),
    };
    let position = |v: &str| -> f64 {
        match &axis {
            Axis::Linear => v.parse().unwrap_or(0.0),
            Axis::Log2 => v.parse::<f64>().unwrap_or(1.0).log2(),
            Axis::Categories(c) => c.iter().position(|x| x == v).unwrap_or(0) as f64,
        }
    };
    // The other columns that vary name the lines.
    let others: Vec<String> = x_keys(results)
        .into_iter()
        .filter(|k| k != x)
        .filter(|k| {
            let first = results.rows.first().and_then(|r| r.key(k));
            results.rows.iter().any(|r| r.key(k) != first)
        })
        .collect();
    let mut lines: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for r in &results.rows {
        let (Some(xv), Some(y)) = (r.key(x), r.stat(stat)) else {
            continue;
        };
        let label = others
            .iter()
            .map(|k| format!("{k}={}", r.key(k).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(" ");
        let point = (position(&xv), y);
        match lines.iter_mut().find(|(l, _)| *l == label) {
            Some((_, pts)) => pts.push(point),
            None => lines.push((label, vec![point])),
        }
    }
    for (_, pts) in &mut lines {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Figure { axis, lines }
}

/// Makes the built-in font plotters' `sans-serif`.
fn register_font() -> Result<(), String> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .map_err(|_| "the built-in font does not load".to_string());
    });
    result
}

/// Draws `stat` against column `x` into `path` (`.svg` or `.png`).
pub fn plot(results: &Results, stat: &str, x: &str, path: &Path) -> Result<(), String> {
    check_names(results, stat, x)?;
    register_font()?;
    let fig = figure(results, stat, x);
    let size = (900, 560);
    let title = format!("{stat} against {x}");
    let err = |e: String| format!("cannot draw {}: {e}", path.display());
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => {
            let root = SVGBackend::new(path, size).into_drawing_area();
            draw(&root, &fig, &title, stat, x).map_err(err)?;
            root.present().map_err(|e| err(e.to_string()))
        }
        Some(e) if e.eq_ignore_ascii_case("png") => {
            let root = BitMapBackend::new(path, size).into_drawing_area();
            draw(&root, &fig, &title, stat, x).map_err(err)?;
            root.present().map_err(|e| err(e.to_string()))
        }
        _ => Err(format!(
            "{}: a plot is written as .svg or .png (say which by the file's extension)",
            path.display()
        )),
    }
}

/// An axis label: at most six decimals, without trailing zeros (tick
/// positions such as 1.6 are not exact in binary).
fn number(v: f64) -> String {
    let text = format!("{v:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    title: &str,
    stat: &str,
    x: &str,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let points = fig.lines.iter().flat_map(|(_, p)| p.iter());
    let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0.0f64);
    for &(px, py) in points {
        x0 = x0.min(px);
        x1 = x1.max(px);
        y1 = y1.max(py);
    }
    if x0 > x1 {
        (x0, x1) = (0.0, 1.0);
    }
    let pad = ((x1 - x0) * 0.05).max(0.5);
    let y1 = if y1 > 0.0 { y1 * 1.08 } else { 1.0 };
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .build_cartesian_2d((x0 - pad)..(x1 + pad), 0.0..y1)
        .map_err(e)?;
    let x_label = |v: &f64| -> String {
        let near = (v - v.round()).abs() < 1e-6;
        match &fig.axis {
            Axis::Linear => number(*v),
            Axis::Log2 if near => format!("{}", 2f64.powf(v.round())),
            Axis::Categories(c) if near && *v >= 0.0 => {
                c.get(v.round() as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        }
    };
    let ticks = match &fig.axis {
        Axis::Linear => 10,
        // One label per value: the axis range spans about that many units.
        Axis::Log2 | Axis::Categories(_) => (x1 - x0) as usize + 1,
    };
    chart
        .configure_mesh()
        .x_desc(x)
        .y_desc(stat)
        .x_labels(ticks)
        .x_label_formatter(&x_label)
        .y_label_formatter(&|v: &f64| number(*v))
        .draw()
        .map_err(e)?;
    for (i, (label, pts)) in fig.lines.iter().enumerate() {
        let colour = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(2)))
            .map_err(e)?
            .label(if label.is_empty() { stat } else { label })
            .legend(move |(lx, ly)| PathElement::new(vec![(lx, ly), (lx + 18, ly)], colour));
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 3, colour.filled())))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn axis_numbers_are_short() {
        assert_eq!(super::number(1.5999999999999999), "1.6");
        assert_eq!(super::number(50000.0), "50000");
        assert_eq!(super::number(0.25), "0.25");
        assert_eq!(super::number(-0.0000001), "0");
    }
}
