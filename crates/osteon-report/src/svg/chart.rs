//! The layout of a single-panel chart: figure title and subtitle, optional
//! bands for a legend above or beside the plot and for a table below it,
//! margins sized from the measured tick labels, light grid lines, L-shaped
//! axes with outward ticks, axis titles and a footnote. Figures draw their
//! marks into the returned plot rectangle through the returned scales.

use super::color::{GRID, INK, MUTED_INK};
use super::document::{Anchor, Document, Rect, Span, Style, TextStyle, Value};
use super::scale::{Scale, Transform};
use super::text::{text_width, text_width_with_superscript, truncate_to_width, wrap_to_width};
use super::ticks::{AxisTicks, Tick, TickLabel};
use super::{FONT_SIZE, HEADING_FONT_SIZE, TITLE_FONT_SIZE};

/// Outer padding of every figure.
pub const PAD: f64 = 8.0;
const TICK_LENGTH: f64 = 4.0;
const MINOR_TICK_LENGTH: f64 = 2.5;
const LABEL_GAP: f64 = 3.0;
const HEADING_LINE: f64 = 16.0;
const TEXT_LINE: f64 = 14.0;

/// What one axis shows.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisSpec<'a> {
    /// A continuous axis over `domain` (already padded by the caller).
    Continuous {
        /// Spacing of values.
        transform: Transform,
        /// Data values at the ends of the axis.
        domain: (f64, f64),
    },
    /// One band per category, in the order given (first at the left or at
    /// the top); category `i` sits at data value `i`.
    Categories(&'a [String]),
}

/// Everything [`Chart::new`] needs.
#[derive(Clone, Debug)]
pub struct ChartSpec<'a> {
    /// Figure width in pixels.
    pub width: f64,
    /// Figure height in pixels.
    pub height: f64,
    /// Figure title (bold, up to two lines).
    pub title: &'a str,
    /// Subtitle under the title (up to two lines); empty for none.
    pub subtitle: &'a str,
    /// Title of the x axis; empty for none.
    pub x_title: &'a str,
    /// Title of the y axis; empty for none.
    pub y_title: &'a str,
    /// The x axis.
    pub x: AxisSpec<'a>,
    /// The y axis.
    pub y: AxisSpec<'a>,
    /// Width of a legend column at the right (0 for none).
    pub right_reserve: f64,
    /// Height of a band between the titles and the plot (0 for none).
    pub top_reserve: f64,
    /// Height of a band under the x-axis title (0 for none).
    pub bottom_reserve: f64,
    /// Minimum left margin (e.g. for row labels of a table below).
    pub min_left: f64,
    /// Widest category label on the y axis before truncation.
    pub y_label_max_width: f64,
    /// Lines a category label on the y axis may wrap onto.
    pub y_label_lines: usize,
    /// Small print at the bottom (e.g. how many points were not drawn).
    pub footnote: &'a str,
    /// Light grid lines at the major ticks.
    pub grid: bool,
}

impl Default for ChartSpec<'_> {
    fn default() -> Self {
        ChartSpec {
            width: 336.0,
            height: 288.0,
            title: "",
            subtitle: "",
            x_title: "",
            y_title: "",
            x: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (0.0, 1.0),
            },
            y: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (0.0, 1.0),
            },
            right_reserve: 0.0,
            top_reserve: 0.0,
            bottom_reserve: 0.0,
            min_left: 0.0,
            y_label_max_width: 140.0,
            y_label_lines: 1,
            footnote: "",
            grid: true,
        }
    }
}

/// A laid-out chart ready for marks.
#[derive(Debug)]
pub struct Chart {
    /// The document being drawn.
    pub document: Document,
    /// The plot area.
    pub plot: Rect,
    /// x scale (data → pixels).
    pub x: Scale,
    /// y scale (data → pixels).
    pub y: Scale,
    /// The x ticks drawn.
    pub x_ticks: AxisTicks,
    /// The y ticks drawn.
    pub y_ticks: AxisTicks,
    /// The band reserved above the plot (`top_reserve`).
    pub top_band: Rect,
    /// The column reserved right of the plot (`right_reserve`).
    pub right_band: Rect,
    /// The band reserved below the x-axis title (`bottom_reserve`).
    pub bottom_band: Rect,
    clip_open: bool,
}

/// Title block lines (title, subtitle) wrapped to the figure width.
fn heading_lines(spec: &ChartSpec<'_>) -> (Vec<String>, Vec<String>) {
    let available = spec.width - 2.0 * PAD;
    let title = if spec.title.trim().is_empty() {
        Vec::new()
    } else {
        wrap_to_width(spec.title, available, HEADING_FONT_SIZE * 1.06, 2)
    };
    let subtitle = if spec.subtitle.trim().is_empty() {
        Vec::new()
    } else {
        wrap_to_width(spec.subtitle, available, FONT_SIZE, 2)
    };
    (title, subtitle)
}

/// Draws the title and subtitle; returns the y below them.
fn draw_heading(document: &mut Document, spec: &ChartSpec<'_>) -> f64 {
    let (title, subtitle) = heading_lines(spec);
    let mut y = PAD;
    for line in &title {
        y += HEADING_LINE;
        document.text(
            PAD,
            y - 4.0,
            line,
            &TextStyle::new(HEADING_FONT_SIZE, INK).bold(),
        );
    }
    for line in &subtitle {
        y += TEXT_LINE;
        document.text(PAD, y - 3.0, line, &TextStyle::new(FONT_SIZE, MUTED_INK));
    }
    if title.len() + subtitle.len() > 0 {
        y += 6.0;
    }
    y
}

fn footnote_lines(spec: &ChartSpec<'_>) -> Vec<String> {
    if spec.footnote.trim().is_empty() {
        Vec::new()
    } else {
        wrap_to_width(spec.footnote, spec.width - 2.0 * PAD, FONT_SIZE, 3)
    }
}

fn tick_label_width(tick: &Tick) -> f64 {
    let (base, superscript) = tick.label.parts();
    text_width_with_superscript(&base, &superscript, FONT_SIZE)
}

fn category_ticks(categories: &[String]) -> AxisTicks {
    AxisTicks {
        major: categories
            .iter()
            .enumerate()
            .map(|(index, name)| Tick {
                value: index as f64,
                label: TickLabel::Plain(name.clone()),
            })
            .collect(),
        minor: Vec::new(),
    }
}

fn scale_for(axis: &AxisSpec<'_>, range: (f64, f64)) -> Scale {
    match axis {
        AxisSpec::Continuous { transform, domain } => Scale::new(*transform, *domain, range),
        AxisSpec::Categories(names) => Scale::new(
            Transform::Linear,
            (-0.5, names.len().max(1) as f64 - 0.5),
            range,
        ),
    }
}

/// Ticks for a continuous x axis whose labels do not collide.
fn x_ticks_without_overlap(scale: &Scale) -> AxisTicks {
    let mut target = ((scale.length() / 55.0).floor() as usize).clamp(2, 8);
    loop {
        let ticks = scale.ticks(target);
        let positions: Vec<(f64, f64)> = ticks
            .major
            .iter()
            .filter_map(|tick| scale.map(tick.value).map(|px| (px, tick_label_width(tick))))
            .collect();
        let collides = positions
            .windows(2)
            .any(|pair| pair[0].0 + pair[0].1 / 2.0 + 6.0 > pair[1].0 - pair[1].1 / 2.0);
        if !collides || target <= 2 {
            return ticks;
        }
        target -= 1;
    }
}

fn y_ticks_for(scale: &Scale) -> AxisTicks {
    let target = ((scale.length() / 24.0).floor() as usize).clamp(3, 6);
    scale.ticks(target)
}

/// Lines of a categorical y label.
fn y_category_lines(name: &str, spec: &ChartSpec<'_>) -> Vec<String> {
    let lines = wrap_to_width(
        name,
        spec.y_label_max_width,
        FONT_SIZE,
        spec.y_label_lines.max(1),
    );
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// Longest rotated category label before truncation.
const MAX_ROTATED_LABEL: f64 = 130.0;
/// Angle of rotated category labels, in degrees.
const X_LABEL_ANGLE: f64 = 35.0;

/// How categorical x labels are written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum XLabelMode {
    /// Centred under their band, wrapped onto this many lines.
    Horizontal(usize),
    /// Rotated, ending at the tick; their vertical extent in pixels.
    Rotated(f64),
}

impl XLabelMode {
    fn height(self) -> f64 {
        match self {
            XLabelMode::Horizontal(lines) => lines.max(1) as f64 * (FONT_SIZE + 2.0),
            XLabelMode::Rotated(extent) => extent + 2.0,
        }
    }
}

/// Horizontal (wrapped onto at most two lines) when every category name fits
/// its band whole, rotated otherwise.
fn x_category_mode(names: &[String], plot_width: f64) -> XLabelMode {
    let band = plot_width / names.len().max(1) as f64;
    let fits = names.iter().all(|name| {
        let lines = x_category_lines(name, band);
        lines.join(" ") == name.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    if fits {
        let lines = names
            .iter()
            .map(|name| x_category_lines(name, band).len())
            .max()
            .unwrap_or(1);
        return XLabelMode::Horizontal(lines);
    }
    let (sin, cos) = X_LABEL_ANGLE.to_radians().sin_cos();
    let extent = names
        .iter()
        .map(|name| {
            text_width(
                &truncate_to_width(name, MAX_ROTATED_LABEL, FONT_SIZE),
                FONT_SIZE,
            ) * sin
        })
        .fold(0.0, f64::max)
        + FONT_SIZE * cos;
    XLabelMode::Rotated(extent)
}

/// Lines of a categorical x label in a band `band_width` wide.
fn x_category_lines(name: &str, band_width: f64) -> Vec<String> {
    wrap_to_width(name, (band_width - 4.0).max(30.0), FONT_SIZE, 2)
}

impl Chart {
    /// Lays out the chart, draws titles, grid, axes and footnote, and
    /// returns it for the marks to be drawn.
    pub fn new(spec: &ChartSpec<'_>) -> Chart {
        let mut document = Document::new(spec.width, spec.height);
        document.set_label(spec.title);
        let heading_bottom = draw_heading(&mut document, spec);
        let top_band = Rect::new(
            PAD,
            heading_bottom,
            spec.width - 2.0 * PAD,
            spec.top_reserve,
        );
        let plot_top = heading_bottom
            + if spec.top_reserve > 0.0 {
                spec.top_reserve + 4.0
            } else {
                0.0
            }
            + 6.0;

        let footnote = footnote_lines(spec);
        let footnote_height = footnote.len() as f64 * TEXT_LINE;
        let x_title_height = if spec.x_title.is_empty() {
            0.0
        } else {
            TITLE_FONT_SIZE + 6.0
        };
        let bottom_fixed =
            PAD + footnote_height + spec.bottom_reserve + x_title_height + TICK_LENGTH + LABEL_GAP;
        let x_label_block = |plot_width: f64| -> f64 {
            match &spec.x {
                AxisSpec::Continuous { .. } => FONT_SIZE + 2.0,
                AxisSpec::Categories(names) => x_category_mode(names, plot_width).height(),
            }
        };
        let y_title_width = if spec.y_title.is_empty() {
            0.0
        } else {
            TITLE_FONT_SIZE + 6.0
        };
        let y_label_width = |ticks: &AxisTicks| -> f64 {
            match &spec.y {
                AxisSpec::Continuous { .. } => {
                    ticks.major.iter().map(tick_label_width).fold(0.0, f64::max)
                }
                AxisSpec::Categories(names) => names
                    .iter()
                    .flat_map(|name| y_category_lines(name, spec))
                    .map(|line| text_width(&line, FONT_SIZE))
                    .fold(0.0, f64::max),
            }
        };
        let layout = |label_block: f64, left_label: f64| {
            let bottom = bottom_fixed + label_block;
            let plot_bottom = (spec.height - bottom).max(plot_top + 20.0);
            let left =
                (PAD + y_title_width + left_label + LABEL_GAP + TICK_LENGTH).max(spec.min_left);
            let right = if spec.right_reserve > 0.0 {
                spec.right_reserve + 2.0 * PAD + 4.0
            } else {
                PAD + 6.0
            };
            let plot_width = (spec.width - left - right).max(20.0);
            Rect::new(left, plot_top, plot_width, plot_bottom - plot_top)
        };
        // Two passes: the y labels set the left margin, the plot width sets
        // how many lines the x category labels need, which sets the height.
        let mut plot = layout(FONT_SIZE + 2.0, 0.0);
        let mut y_ticks = AxisTicks::default();
        let mut left_label = 0.0;
        for _ in 0..2 {
            let y_scale = scale_for(&spec.y, (plot.bottom(), plot.y));
            y_ticks = match &spec.y {
                AxisSpec::Continuous { .. } => y_ticks_for(&y_scale),
                AxisSpec::Categories(names) => category_ticks(names),
            };
            left_label = y_label_width(&y_ticks);
            let block = x_label_block(layout(FONT_SIZE + 2.0, left_label).width);
            plot = layout(block, left_label);
        }
        let y_range = match &spec.y {
            AxisSpec::Categories(_) => (plot.y, plot.bottom()),
            AxisSpec::Continuous { .. } => (plot.bottom(), plot.y),
        };
        let y = scale_for(&spec.y, y_range);
        if let AxisSpec::Continuous { .. } = &spec.y {
            y_ticks = y_ticks_for(&y);
        }
        // Rotated category labels run left from their tick: keep the first
        // ones inside the figure.
        if let AxisSpec::Categories(names) = &spec.x {
            if let XLabelMode::Rotated(_) = x_category_mode(names, plot.width) {
                let band = plot.width / names.len().max(1) as f64;
                let cos = X_LABEL_ANGLE.to_radians().cos();
                let need = names
                    .iter()
                    .enumerate()
                    .map(|(index, name)| {
                        let width = text_width(
                            &truncate_to_width(name, MAX_ROTATED_LABEL, FONT_SIZE),
                            FONT_SIZE,
                        );
                        PAD + width * cos - 3.0 - (index as f64 + 0.5) * band
                    })
                    .fold(0.0, f64::max);
                if need > plot.x {
                    plot.width -= need - plot.x;
                    plot.x = need;
                }
            }
        }
        let mut x = scale_for(&spec.x, (plot.x, plot.right()));
        let mut x_ticks = match &spec.x {
            AxisSpec::Continuous { .. } => x_ticks_without_overlap(&x),
            AxisSpec::Categories(names) => category_ticks(names),
        };
        // Keep the last x label inside the figure.
        if let (AxisSpec::Continuous { .. }, Some(last)) = (&spec.x, x_ticks.major.last()) {
            if let Some(px) = x.map(last.value) {
                let overflow = px + tick_label_width(last) / 2.0 - (spec.width - 2.0);
                if overflow > 0.0 && spec.right_reserve == 0.0 {
                    plot.width -= overflow;
                    x = scale_for(&spec.x, (plot.x, plot.right()));
                    x_ticks = x_ticks_without_overlap(&x);
                }
            }
        }

        let right_band = Rect::new(
            plot.right() + PAD + 4.0,
            plot.y,
            spec.right_reserve,
            plot.height,
        );
        let x_label_block = x_label_block(plot.width);
        let x_title_baseline =
            plot.bottom() + TICK_LENGTH + LABEL_GAP + x_label_block + TITLE_FONT_SIZE + 2.0;
        let bottom_band_top =
            plot.bottom() + TICK_LENGTH + LABEL_GAP + x_label_block + x_title_height + 2.0;
        let bottom_band = Rect::new(0.0, bottom_band_top, spec.width, spec.bottom_reserve);

        let mut chart = Chart {
            document,
            plot,
            x,
            y,
            x_ticks,
            y_ticks,
            top_band,
            right_band,
            bottom_band,
            clip_open: false,
        };
        if spec.grid {
            chart.draw_grid(spec);
        }
        chart.draw_axes(spec);
        if !spec.x_title.is_empty() {
            chart.document.text(
                plot.x + plot.width / 2.0,
                x_title_baseline,
                spec.x_title,
                &TextStyle::new(TITLE_FONT_SIZE, INK).anchored(Anchor::Middle),
            );
        }
        if !spec.y_title.is_empty() {
            let title = truncate_to_width(spec.y_title, plot.height + 30.0, TITLE_FONT_SIZE);
            // Next to the tick labels, not at the figure edge.
            let title_x = (plot.x - TICK_LENGTH - LABEL_GAP - left_label - 5.0)
                .max(PAD + TITLE_FONT_SIZE * 0.8);
            chart.document.text(
                title_x,
                plot.y + plot.height / 2.0,
                &title,
                &TextStyle::new(TITLE_FONT_SIZE, INK)
                    .anchored(Anchor::Middle)
                    .rotated(-90.0),
            );
        }
        for (index, line) in footnote.iter().enumerate() {
            chart.document.text(
                PAD,
                spec.height - PAD - (footnote.len() - 1 - index) as f64 * TEXT_LINE - 2.0,
                line,
                &TextStyle::new(FONT_SIZE, MUTED_INK).italic(),
            );
        }
        chart
    }

    fn draw_grid(&mut self, spec: &ChartSpec<'_>) {
        let grid = Style::stroke(GRID, 0.8);
        let plot = self.plot;
        if let AxisSpec::Continuous { .. } = spec.x {
            for tick in &self.x_ticks.major {
                if let Some(px) = self.x.map(tick.value) {
                    self.document.line(px, plot.y, px, plot.bottom(), &grid);
                }
            }
        }
        for tick in &self.y_ticks.major {
            if let Some(py) = self.y.map(tick.value) {
                self.document.line(plot.x, py, plot.right(), py, &grid);
            }
        }
    }

    fn draw_axes(&mut self, spec: &ChartSpec<'_>) {
        let plot = self.plot;
        let axis = Style::stroke(INK, 1.0);
        let label_style = TextStyle::new(FONT_SIZE, INK);
        // x axis
        for tick in &self.x_ticks.minor {
            if let Some(px) = self.x.map(*tick) {
                self.document.line(
                    px,
                    plot.bottom(),
                    px,
                    plot.bottom() + MINOR_TICK_LENGTH,
                    &axis,
                );
            }
        }
        let band = plot.width / self.x_ticks.major.len().max(1) as f64;
        for tick in &self.x_ticks.major {
            let Some(px) = self.x.map(tick.value) else {
                continue;
            };
            if px < plot.x - 0.5 || px > plot.right() + 0.5 {
                continue;
            }
            self.document
                .line(px, plot.bottom(), px, plot.bottom() + TICK_LENGTH, &axis);
            let baseline = plot.bottom() + TICK_LENGTH + LABEL_GAP + FONT_SIZE * 0.8;
            match &spec.x {
                AxisSpec::Categories(names) => {
                    let (name, _) = tick.label.parts();
                    match x_category_mode(names, plot.width) {
                        XLabelMode::Horizontal(_) => {
                            let lines = x_category_lines(&name, band);
                            for (index, line) in lines.iter().enumerate() {
                                let y = baseline + index as f64 * (FONT_SIZE + 2.0);
                                self.document.text(
                                    px,
                                    y,
                                    line,
                                    &label_style.anchored(Anchor::Middle),
                                );
                            }
                        }
                        XLabelMode::Rotated(_) => {
                            let shown = truncate_to_width(&name, MAX_ROTATED_LABEL, FONT_SIZE);
                            let style = label_style.anchored(Anchor::End).rotated(-X_LABEL_ANGLE);
                            let y = plot.bottom() + TICK_LENGTH + LABEL_GAP + FONT_SIZE * 0.6;
                            if shown == name {
                                self.document.text(px + 3.0, y, &shown, &style);
                            } else {
                                self.document
                                    .text_with_hover(px + 3.0, y, &shown, &style, &name);
                            }
                        }
                    }
                }
                AxisSpec::Continuous { .. } => {
                    draw_tick_label(
                        &mut self.document,
                        px,
                        baseline,
                        &tick.label,
                        label_style.anchored(Anchor::Middle),
                    );
                }
            }
        }
        // y axis
        for tick in &self.y_ticks.minor {
            if let Some(py) = self.y.map(*tick) {
                self.document
                    .line(plot.x - MINOR_TICK_LENGTH, py, plot.x, py, &axis);
            }
        }
        for tick in &self.y_ticks.major {
            let Some(py) = self.y.map(tick.value) else {
                continue;
            };
            if py < plot.y - 0.5 || py > plot.bottom() + 0.5 {
                continue;
            }
            self.document
                .line(plot.x - TICK_LENGTH, py, plot.x, py, &axis);
            let x = plot.x - TICK_LENGTH - LABEL_GAP;
            let baseline = py + FONT_SIZE * 0.35;
            match &spec.y {
                AxisSpec::Categories(_) => {
                    let (name, _) = tick.label.parts();
                    let lines = y_category_lines(&name, spec);
                    let complete =
                        lines.join(" ") == name.split_whitespace().collect::<Vec<_>>().join(" ");
                    let style = label_style.anchored(Anchor::End);
                    let first = baseline - (lines.len() as f64 - 1.0) * (FONT_SIZE + 1.0) / 2.0;
                    for (index, line) in lines.iter().enumerate() {
                        let line_y = first + index as f64 * (FONT_SIZE + 1.0);
                        if complete {
                            self.document.text(x, line_y, line, &style);
                        } else {
                            self.document
                                .text_with_hover(x, line_y, line, &style, &name);
                        }
                    }
                }
                AxisSpec::Continuous { .. } => {
                    draw_tick_label(
                        &mut self.document,
                        x,
                        baseline,
                        &tick.label,
                        label_style.anchored(Anchor::End),
                    );
                }
            }
        }
        self.document
            .line(plot.x, plot.y, plot.x, plot.bottom(), &axis);
        self.document
            .line(plot.x, plot.bottom(), plot.right(), plot.bottom(), &axis);
    }

    /// Opens a group clipped to the plot area (grown by `margin` pixels so
    /// that markers on the edge are not cut in half).
    pub fn open_clip(&mut self, margin: f64) {
        if self.clip_open {
            return;
        }
        let clip = self.document.clip_rect(self.plot.inflate(margin));
        self.document.open_group(&[("clip-path", Value::Raw(clip))]);
        self.clip_open = true;
    }

    /// Closes the clipped group.
    pub fn close_clip(&mut self) {
        if self.clip_open {
            self.document.close_group();
            self.clip_open = false;
        }
    }

    /// The finished `<svg>` element.
    pub fn finish(mut self) -> String {
        self.close_clip();
        self.document.finish()
    }
}

/// Draws a tick label (plain or power with superscript).
pub fn draw_tick_label(
    document: &mut Document,
    x: f64,
    baseline: f64,
    label: &TickLabel,
    style: TextStyle,
) {
    let (base, superscript) = label.parts();
    if superscript.is_empty() {
        document.text(x, baseline, &base, &style);
    } else {
        let spans = [
            Span {
                text: &base,
                superscript: false,
            },
            Span {
                text: &superscript,
                superscript: true,
            },
        ];
        document.text_spans(x, baseline, &spans, &style, None);
    }
}

/// Draws a continuous y axis along the left edge of `rect` (grid lines
/// across it when `grid`, ticks, labels, axis line and a rotated title at
/// `title_x`), for panels stacked above a [`Chart`] that share its x axis.
pub fn draw_left_axis(
    document: &mut Document,
    rect: Rect,
    scale: &Scale,
    title: &str,
    title_x: f64,
    grid: bool,
) {
    let ticks = y_ticks_for(scale);
    let axis = Style::stroke(INK, 1.0);
    for tick in &ticks.major {
        let Some(py) = scale.map(tick.value) else {
            continue;
        };
        if py < rect.y - 0.5 || py > rect.bottom() + 0.5 {
            continue;
        }
        if grid {
            document.line(rect.x, py, rect.right(), py, &Style::stroke(GRID, 0.8));
        }
        document.line(rect.x - TICK_LENGTH, py, rect.x, py, &axis);
        draw_tick_label(
            document,
            rect.x - TICK_LENGTH - LABEL_GAP,
            py + FONT_SIZE * 0.35,
            &tick.label,
            TextStyle::new(FONT_SIZE, INK).anchored(Anchor::End),
        );
    }
    document.line(rect.x, rect.y, rect.x, rect.bottom(), &axis);
    if !title.is_empty() {
        let shown = truncate_to_width(title, rect.height + 20.0, TITLE_FONT_SIZE);
        document.text(
            title_x,
            rect.y + rect.height / 2.0,
            &shown,
            &TextStyle::new(TITLE_FONT_SIZE, INK)
                .anchored(Anchor::Middle)
                .rotated(-90.0),
        );
    }
}

/// Width of the tick labels [`draw_left_axis`] would draw for `scale`.
pub fn left_axis_label_width(scale: &Scale) -> f64 {
    y_ticks_for(scale)
        .major
        .iter()
        .map(tick_label_width)
        .fold(0.0, f64::max)
}

/// Left margin needed by a continuous y axis whose widest tick label is
/// `label_width` pixels, with a title.
pub fn left_margin_for(label_width: f64) -> f64 {
    PAD + TITLE_FONT_SIZE + 6.0 + label_width + LABEL_GAP + TICK_LENGTH
}

/// x position of a rotated y-axis title in the left margin.
pub const Y_TITLE_X: f64 = PAD + TITLE_FONT_SIZE * 0.8;

/// Thins a polyline in pixel space without changing how it looks: within
/// each half-pixel column only the first, lowest, highest and last points
/// are kept, in their original order. Long curves (a GSEA running score
/// over 20 000 genes) then cost a few kilobytes instead of hundreds.
///
/// ```
/// use osteon_report::svg::chart::decimate;
/// let points: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64 / 100.0, (i % 7) as f64)).collect();
/// let thinned = decimate(&points);
/// assert!(thinned.len() < 100);
/// assert_eq!(thinned.first(), points.first());
/// assert_eq!(thinned.last(), points.last());
/// ```
pub fn decimate(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(4096));
    let mut start = 0;
    while start < points.len() {
        let column = (points[start].0 * 2.0).floor();
        let mut end = start + 1;
        while end < points.len() && (points[end].0 * 2.0).floor() == column {
            end += 1;
        }
        let group = &points[start..end];
        let lowest = (0..group.len()).fold(
            0,
            |best, i| if group[i].1 < group[best].1 { i } else { best },
        );
        let highest = (0..group.len()).fold(
            0,
            |best, i| if group[i].1 > group[best].1 { i } else { best },
        );
        let mut indices = vec![0, lowest, highest, group.len() - 1];
        indices.sort_unstable();
        indices.dedup();
        kept.extend(indices.into_iter().map(|i| group[i]));
        start = end;
    }
    kept
}

/// A figure with only its title and a message in place of the plot, for
/// inputs with nothing to draw.
///
/// ```
/// let svg = osteon_report::svg::chart::message_figure(336.0, 200.0, "MA plot", "", "No data to plot");
/// assert!(svg.contains("No data to plot"));
/// ```
pub fn message_figure(
    width: f64,
    height: f64,
    title: &str,
    subtitle: &str,
    message: &str,
) -> String {
    let spec = ChartSpec {
        width,
        height,
        title,
        subtitle,
        ..ChartSpec::default()
    };
    let mut document = Document::new(width, height);
    document.set_label(title);
    let top = draw_heading(&mut document, &spec);
    let area = Rect::new(PAD, top, width - 2.0 * PAD, (height - top - PAD).max(20.0));
    document.rect(
        area,
        &Style::fill(super::color::Color::hex(0xF4F4F4)).with_stroke(GRID, 1.0),
        None,
    );
    let lines = wrap_to_width(message, area.width - 16.0, TITLE_FONT_SIZE, 3);
    let first =
        area.y + area.height / 2.0 - (lines.len() as f64 - 1.0) * 8.0 + TITLE_FONT_SIZE * 0.35;
    for (index, line) in lines.iter().enumerate() {
        document.text(
            area.x + area.width / 2.0,
            first + index as f64 * 16.0,
            line,
            &TextStyle::new(TITLE_FONT_SIZE, MUTED_INK).anchored(Anchor::Middle),
        );
    }
    document.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_area_leaves_room_for_labels() {
        let spec = ChartSpec {
            title: "Volcano plot",
            x_title: "log2 fold change",
            y_title: "\u{2212}log10 padj",
            x: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (-5.0, 5.0),
            },
            y: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (0.0, 1234.0),
            },
            ..ChartSpec::default()
        };
        let chart = Chart::new(&spec);
        // left margin: padding, rotated title, widest label "1200" and tick
        let widest = text_width("1200", FONT_SIZE);
        assert!(chart.plot.x >= PAD + TITLE_FONT_SIZE + widest);
        assert!(chart.plot.right() <= spec.width - PAD);
        assert!(chart.plot.bottom() <= spec.height - 30.0);
        assert_eq!(chart.x.map(-5.0), Some(chart.plot.x));
        assert_eq!(chart.y.map(0.0), Some(chart.plot.bottom()));
        let svg = chart.finish();
        assert!(svg.contains(">1200</text>"));
        assert!(svg.contains("transform=\"rotate(-90 "));
    }

    #[test]
    fn categories_sit_in_bands() {
        let names: Vec<String> = ["control", "POEMS", "a group with a long name"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let spec = ChartSpec {
            x: AxisSpec::Categories(&names),
            ..ChartSpec::default()
        };
        let chart = Chart::new(&spec);
        let band = chart.plot.width / 3.0;
        assert!((chart.x.map(1.0).unwrap() - (chart.plot.x + 1.5 * band)).abs() < 1e-9);
        let svg = chart.finish();
        assert!(svg.contains(">POEMS</text>"));
    }

    #[test]
    fn message_figures_are_small_and_escaped() {
        let svg = message_figure(300.0, 150.0, "<b>", "", "No data & nothing else");
        assert!(svg.contains("&lt;b&gt;"));
        assert!(svg.contains("No data &amp; nothing else"));
    }
}
