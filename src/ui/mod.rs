//! The web user interface (wasm32 only). It renders the core's views and dispatches the core's commands; it
//! never decides a rule of the protocol.
//!
//! Architecture Invariant: nothing in `ui` computes protocol state. Positions, colours, windows and timers
//! for animation are presentation; every index, role, term and watermark comes from `ClusterView`.
//!
//! One component per file. `state.rs` holds the session model (an `Action` enum and a `Reducible`) and has no
//! markup; `app.rs` owns the animation loop and wires the panels together.

pub mod app;
pub mod clients;
pub mod cluster;
pub mod config_panel;
pub mod controls;
pub mod event_log;
pub mod explain;
pub mod faults;
pub mod help;
pub mod invariants;
pub mod kv_view;
pub mod lesson_list;
pub mod lessons;
pub mod link_menu;
pub mod log_row;
pub mod log_view;
pub mod lower;
pub mod message_dot;
pub mod node_glyph;
pub mod node_menu;
pub mod palette;
pub mod panels;
pub mod row_content;
pub mod segment_box;
pub mod segment_entries;
pub mod session;
pub mod state;
pub mod tooltip;
pub mod web;

pub use app::App;
