//! The log panel's geometry: one row per node in SVG units, and how big the rows are drawn so that every row
//! fits the panel and the columns use its width (`fit`). The panel's size is measured (`log_view.rs`); the rows
//! scale together, so the same index stays in the same column in every row.
//!
//! A row, top to bottom: the segment labels; the segment boxes with the entries (term number inside, the
//! commit line across them); the leader's `match` / `next` triangles and their letters `m` / `n`; three lanes
//! for the marker labels (HWM, applied, LWM, snapshot), placed by `label_lanes.rs` so that no two overlap.
//! This file has no imports: `tests/ui_text.rs` compiles it natively (`ui` is wasm-only).

/// Width of one entry column in SVG units.
pub const CELL: f64 = 24.0;
/// Width of the node label on the left of a row.
pub const LABEL_WIDTH: f64 = 86.0;
/// Free units right of the last column (a marker label hanging off the newest entry).
pub const RIGHT_PAD: f64 = 8.0;
/// Top of the entry cells.
pub const ENTRY_TOP: f64 = 11.0;
/// Height of an entry cell.
pub const ENTRY_HEIGHT: f64 = 26.0;
/// Top of a segment's box (its label sits above, from the row's top).
pub const BOX_TOP: f64 = ENTRY_TOP - 2.0;
/// Bottom of a segment's box: the entries and their committed dots.
pub const BOX_BOTTOM: f64 = ENTRY_TOP + ENTRY_HEIGHT + 6.0;
/// Top of the leader's `match` / `next` triangles, under the boxes.
pub const TRIANGLE_TOP: f64 = BOX_BOTTOM + 1.0;
/// Height of those triangles.
pub const TRIANGLE_HEIGHT: f64 = 6.0;
/// Baseline of the `m` / `n` letters under the triangles (a lane of their own: letters centred on the cells
/// never meet the markers' stems, which run on the cells' edges).
/// (A text's box reaches 0.93 em above its baseline and 0.24 em below in DejaVu Sans.)
pub const LETTER_BASELINE: f64 = TRIANGLE_TOP + TRIANGLE_HEIGHT + 9.0;
/// Baseline of the first marker-label lane; the next lanes follow every `LANE_PITCH`.
pub const LANE_0_BASELINE: f64 = LETTER_BASELINE + 12.0;
/// Distance between two label lanes: more than a label's box (1.17 em), so stacked labels do not touch.
pub const LANE_PITCH: f64 = 12.0;
/// Number of marker-label lanes.
pub const LANES: usize = 3;
/// Font size of marker labels (also in the stylesheet: `.marker text`).
pub const LABEL_FONT: f64 = 10.0;
/// Height of one row.
pub const ROW_HEIGHT: f64 = LANE_0_BASELINE + (LANES - 1) as f64 * LANE_PITCH + 4.0;
/// Height of the index axis above the rows.
pub const AXIS_HEIGHT: f64 = 16.0;
/// Fewest and most columns a row shows.
pub const CELLS_MIN: u64 = 10;
/// Most columns a row shows (more would make the cells too small to read on any screen).
pub const CELLS_MAX: u64 = 60;

/// How the rows are drawn: CSS pixels per SVG unit, and how many index columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    /// CSS pixels per SVG unit, the same for every row and the axis.
    pub scale: f64,
    /// Index columns in every row.
    pub cells: u64,
}

impl Fit {
    /// Width of a row (and the axis) in SVG units.
    pub fn row_units(&self) -> f64 {
        LABEL_WIDTH + self.cells as f64 * CELL + RIGHT_PAD
    }
}

/// The fit of `rows` rows in a body of `width_px` × `height_px` CSS pixels (the axis and the rows, not the
/// caption). The rows grow until they fill the height, up to `scale_max` (a 3-node cluster must not become
/// a wall of giant cells; presenter mode allows larger ones); below `scale_min` they stop shrinking and the
/// panel scrolls instead. Then as many columns as the width holds (within `CELLS_MIN..=CELLS_MAX`); when even
/// `CELLS_MIN` do not fit, the rows shrink to the width.
pub fn fit(width_px: f64, height_px: f64, rows: usize, scale_min: f64, scale_max: f64) -> Fit {
    debug_assert!(scale_min > 0.0 && scale_min <= scale_max);
    let units_high = rows.max(1) as f64 * ROW_HEIGHT + AXIS_HEIGHT;
    let by_height = (height_px.max(0.0) / units_high).clamp(scale_min, scale_max);
    let narrowest = LABEL_WIDTH + CELLS_MIN as f64 * CELL + RIGHT_PAD;
    let scale = by_height.min(width_px.max(1.0) / narrowest);
    // Rounded so that a one-pixel resize does not redraw every row.
    let scale = (scale * 1000.0).floor().max(1.0) / 1000.0;
    let columns = ((width_px / scale - LABEL_WIDTH - RIGHT_PAD) / CELL).floor();
    let cells = (columns.max(0.0) as u64).clamp(CELLS_MIN, CELLS_MAX);
    Fit { scale, cells }
}

/// Estimated width of `text` in SVG units at `font_size`, a little generous (bold DejaVu Sans, the font a
/// fresh Debian has; other sans fonts are narrower): enough to keep labels apart without measuring the DOM.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            ' ' => 0.35,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | '·' => 0.45,
            'M' | 'W' | 'm' | 'w' => 1.1,
            c if c.is_ascii_uppercase() => 0.85,
            c if c.is_ascii_digit() => 0.72,
            _ => 0.72,
        })
        .sum();
    ems * font_size
}
