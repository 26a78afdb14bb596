//! The time window of the history view: which stretch of virtual time the lanes show (all of it, or a zoomed
//! window that follows the newest operations unless scrolled back) and where a moment falls in it, as a
//! percentage of a lane's width. Pure arithmetic, so the view's zoom and scroll stay simple.
//! This file has no imports: `tests/history_window.rs` compiles it natively (`ui` is wasm-only).

/// Window widths offered by the zoom menu, in microseconds (0 = the whole history).
pub const ZOOMS_US: [u64; 5] = [0, 10_000_000, 2_000_000, 500_000, 100_000];

/// The zoom menu's label of a window width.
pub fn zoom_label(width_us: u64) -> String {
    match width_us {
        0 => "whole history".to_string(),
        w if w >= 1_000_000 => format!("{} s", w / 1_000_000),
        w => format!("{} ms", w / 1_000),
    }
}

/// A stretch of virtual time, `start_us` up to `end_us` (never empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First moment shown.
    pub start_us: u64,
    /// Last moment shown (greater than `start_us`).
    pub end_us: u64,
}

impl Window {
    /// The window shown for a history spanning `first_us..=last_us`: the whole span when `width_us` is 0 or
    /// covers it, otherwise `width_us` ending at `scroll_end_us` (the newest moment when `None`), kept inside
    /// the span.
    pub fn new(first_us: u64, last_us: u64, width_us: u64, scroll_end_us: Option<u64>) -> Window {
        let last_us = last_us.max(first_us + 1);
        if width_us == 0 || width_us >= last_us - first_us {
            return Window { start_us: first_us, end_us: last_us };
        }
        let end = scroll_end_us.unwrap_or(last_us).clamp(first_us + width_us, last_us);
        Window { start_us: end - width_us, end_us: end }
    }

    /// Where `time_us` falls, in percent of the window (outside it: below 0 or above 100).
    pub fn percent(&self, time_us: u64) -> f64 {
        (time_us as f64 - self.start_us as f64) * 100.0 / (self.end_us - self.start_us) as f64
    }

    /// Whether an interval `from_us..to_us` (`None`: still open) shows in the window at all.
    pub fn overlaps(&self, from_us: u64, to_us: Option<u64>) -> bool {
        from_us <= self.end_us && to_us.is_none_or(|to| to >= self.start_us)
    }

    /// A bar for `from_us..to_us` clipped to the window: `(left %, width %)`; an open interval runs to the
    /// window's end.
    pub fn bar(&self, from_us: u64, to_us: Option<u64>) -> (f64, f64) {
        let left = self.percent(from_us).clamp(0.0, 100.0);
        let right = to_us.map_or(100.0, |to| self.percent(to).clamp(0.0, 100.0));
        (left, (right - left).max(0.0))
    }

    /// `count` evenly spaced moments for the axis' labels, both ends included.
    pub fn ticks(&self, count: u64) -> Vec<u64> {
        let count = count.max(2);
        (0..count).map(|i| self.start_us + (self.end_us - self.start_us) * i / (count - 1)).collect()
    }
}
