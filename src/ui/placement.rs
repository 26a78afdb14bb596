//! Where a popover goes: beside the thing it acts on, never over it, and inside the viewport. Right of the
//! anchor if it fits, else left, else below, else above; then moved along that side to stay on screen (centred
//! on the anchor when it can be).
//! This file has no imports: `tests/ui_text.rs` compiles it natively (`ui` is wasm-only).

/// Space kept between the popover and its anchor, and between the popover and the viewport's edges (CSS px).
pub const MARGIN: f64 = 8.0;

/// A rectangle in CSS pixels (viewport coordinates, as `getBoundingClientRect` gives them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    /// Whether the two rectangles share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right() && other.left < self.right() && self.top < other.bottom() && other.top < self.bottom()
    }
}

/// Top-left corner for a popover of `width` × `height` beside `anchor` in a `viewport_width` ×
/// `viewport_height` viewport. When the popover is larger than the viewport it is pinned to the top-left margin
/// (its own scrollbar does the rest).
pub fn beside(anchor: Rect, width: f64, height: f64, viewport_width: f64, viewport_height: f64) -> (f64, f64) {
    let clamp = |value: f64, size: f64, limit: f64| value.min(limit - MARGIN - size).max(MARGIN);
    let centred_top = clamp(anchor.top + anchor.height / 2.0 - height / 2.0, height, viewport_height);
    let centred_left = clamp(anchor.left + anchor.width / 2.0 - width / 2.0, width, viewport_width);
    if anchor.right() + MARGIN + width + MARGIN <= viewport_width {
        return (anchor.right() + MARGIN, centred_top);
    }
    if anchor.left - MARGIN - width >= MARGIN {
        return (anchor.left - MARGIN - width, centred_top);
    }
    if anchor.bottom() + MARGIN + height + MARGIN <= viewport_height {
        return (centred_left, anchor.bottom() + MARGIN);
    }
    if anchor.top - MARGIN - height >= MARGIN {
        return (centred_left, anchor.top - MARGIN - height);
    }
    (centred_left, centred_top)
}
