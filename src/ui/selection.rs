//! What the viewer has picked: the node, log entry or link whose menu is open, the lower panel's tab (and
//! whether that panel is folded away), and whether the help overlay is open. Plain data; opening one menu
//! closes the others.

use crate::sim::types::{Index, NodeId};

/// The panel shown in the lower half of the screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Issue client operations and see their outcomes.
    #[default]
    Clients,
    /// Faults: partitions, links, disks, loss.
    Faults,
    /// Key-value state machines per node.
    State,
    /// The trace.
    Events,
    /// The invariants.
    Invariants,
    /// Cluster configuration and lessons.
    Config,
    /// The client history and its linearizability check.
    History,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 7] =
        [Tab::Clients, Tab::Faults, Tab::State, Tab::Events, Tab::Invariants, Tab::Config, Tab::History];

    /// Label on the tab button.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Clients => "Clients",
            Tab::Faults => "Faults",
            Tab::State => "State machines",
            Tab::Events => "Event log",
            Tab::Invariants => "Invariants",
            Tab::Config => "Configure",
            Tab::History => "History",
        }
    }

    /// Stable id for tests and ARIA.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Clients => "clients",
            Tab::Faults => "faults",
            Tab::State => "state",
            Tab::Events => "events",
            Tab::Invariants => "invariants-tab",
            Tab::Config => "config",
            Tab::History => "history",
        }
    }
}

/// The viewer's picks.
///
/// Invariant: at most one of `node` and `link` is set, and `entry` only together with `node`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Selection {
    /// Node whose action menu is open.
    pub node: Option<NodeId>,
    /// Entry picked in that node's log (the node menu offers to corrupt it).
    pub entry: Option<Index>,
    /// Link (unordered pair, lower id first) whose menu is open.
    pub link: Option<(NodeId, NodeId)>,
    /// The lower panel.
    pub tab: Tab,
    /// The lower panel is folded to its tab bar (presenter mode starts so: the drawing gets the room, and a
    /// tab opens the panel again).
    pub panel_hidden: bool,
    /// The keyboard help overlay is open.
    pub help_open: bool,
    /// The node the lesson's narration points at (drawn as selected, without opening its menu).
    pub spotlight: Option<NodeId>,
    /// The write load mixes gets, compare-and-sets and appends into its puts (the Clients tab's menu).
    pub load_mixed: bool,
}

impl Selection {
    /// Opens (`Some`) or closes (`None`) a node's menu.
    pub fn pick_node(&mut self, node: Option<NodeId>) {
        *self = Selection { node, entry: None, link: None, ..*self };
    }

    /// Opens a node's menu on one entry of its log.
    pub fn pick_entry(&mut self, node: NodeId, index: Index) {
        *self = Selection { node: Some(node), entry: Some(index), link: None, ..*self };
    }

    /// Opens (`Some`) or closes (`None`) a link's menu.
    pub fn pick_link(&mut self, link: Option<(NodeId, NodeId)>) {
        *self = Selection { node: None, entry: None, link, ..*self };
    }

    /// Shows `tab` in the lower panel, unfolding the panel.
    pub fn show_tab(&mut self, tab: Tab) {
        *self = Selection { tab, panel_hidden: false, ..*self };
    }

    /// Closes every menu (the cluster they pointed into was replaced).
    pub fn close_menus(&mut self) {
        self.pick_node(None);
    }
}
