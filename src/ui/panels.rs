//! Which view each slower panel draws. While the run plays, the cluster drawing and the clock follow every
//! frame, but the panels that do not animate (the log view's window and caption, each node's log row, the
//! open tab) are refreshed at most every `SLOW_REFRESH_MS`, and only one of them in one frame (the oldest):
//! their work is spread round-robin over consecutive frames instead of landing in one frame ~11 times a
//! second. With 9 nodes that is 11 slots, so at 60 frames per second each panel is refreshed about every
//! 180 ms (less often when frames are slower). While paused, every panel shows the newest view.

use crate::sim::view::ClusterView;
use crate::ui::state::Shared;
use std::rc::Rc;

/// A panel is refreshed at most this often while playing (real milliseconds).
pub const SLOW_REFRESH_MS: f64 = 90.0;

/// One slot per slower panel: the view it draws and when that view was taken (`performance.now()`).
///
/// Slot order: the log view's head (window, axis, commit caption, invariant strip), then one slot per node's
/// log row, then the open tab.
#[derive(Clone)]
pub struct Panels {
    slots: Vec<(Shared<ClusterView>, f64)>,
}

impl Panels {
    /// Every panel draws `view`.
    pub fn new(view: &Rc<ClusterView>, now_ms: f64) -> Panels {
        Panels { slots: vec![(Shared(view.clone()), now_ms); 2 + view.nodes.len()] }
    }

    /// Brings the panels up to `view`: all of them when `all` (paused, or the cluster changed shape),
    /// otherwise the oldest one if it is older than `SLOW_REFRESH_MS`.
    pub fn refresh(&mut self, view: &Rc<ClusterView>, now_ms: f64, all: bool) {
        if all || self.slots.len() != 2 + view.nodes.len() {
            *self = Panels::new(view, now_ms);
            return;
        }
        // The first of the oldest: after a pause every slot has the same age and they go in order.
        let oldest = self.slots.iter().enumerate().map(|(i, s)| (i, s.1)).reduce(|a, b| if b.1 < a.1 { b } else { a });
        if let Some((i, at)) = oldest {
            if now_ms - at >= SLOW_REFRESH_MS {
                self.slots[i] = (Shared(view.clone()), now_ms);
            }
        }
    }

    /// The view of the log view's head: its window, axis and commit caption, and the invariant strip.
    pub fn head(&self) -> Shared<ClusterView> {
        self.slots[0].0.clone()
    }

    /// The view each node's log row draws, in node order.
    pub fn rows(&self) -> Vec<Shared<ClusterView>> {
        self.slots[1..self.slots.len() - 1].iter().map(|s| s.0.clone()).collect()
    }

    /// The view of the open tab.
    pub fn tab(&self) -> Shared<ClusterView> {
        self.slots[self.slots.len() - 1].0.clone()
    }
}
