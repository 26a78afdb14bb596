//! The web user interface (wasm32 only). It renders the core's views and dispatches the core's commands; it
//! never decides a rule of the protocol.
//!
//! Architecture Invariant: nothing in `ui` computes protocol state. Positions, colours, windows and timers
//! for animation are presentation; every index, role, term and watermark comes from `ClusterView`.
//!
//! One component per file. `state.rs` holds the UI state (an `Action` enum and a `Reducible`) and has no
//! markup; it is split by job into `session.rs` (the core's scenario player on screen), `preferences.rs`,
//! `selection.rs`, `banner.rs` and `announcer.rs`. `app.rs` owns the animation loop and the page's effects
//! and wires the panels together.

pub mod announcer;
pub mod app;
pub mod banner;
pub mod client_glyph;
pub mod clients;
pub mod cluster;
pub mod config_panel;
pub mod controls;
pub mod element_size;
pub mod end_screen;
pub mod event_log;
pub mod explain;
pub mod explain_raft;
pub mod faults;
pub mod front_door;
pub mod help;
pub mod history_view;
pub mod history_window;
pub mod invariants;
pub mod kv_view;
pub mod label_lanes;
pub mod lease_arc;
pub mod lesson_list;
pub mod lessons;
pub mod link_menu;
pub mod live_check;
pub mod log_layout;
pub mod log_row;
pub mod log_view;
pub mod lower;
pub mod mark_spread;
pub mod message_dot;
pub mod narration_bar;
pub mod node_glyph;
pub mod node_menu;
pub mod node_raft_actions;
pub mod op_row;
pub mod page_hooks;
pub mod palette;
pub mod panels;
pub mod placement;
pub mod popover;
pub mod prediction;
pub mod preferences;
pub mod progress;
pub mod raft_options;
pub mod recorder;
pub mod row_content;
pub mod row_markers;
pub mod seek_bench_hook;
pub mod segment_box;
pub mod segment_entries;
pub mod selection;
pub mod session;
pub mod speed_select;
pub mod state;
pub mod story;
pub mod time_text;
pub mod tooltip;
pub mod view_toggles;
pub mod web;

pub use app::App;
