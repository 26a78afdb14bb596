//! The `?` overlay: keyboard shortcuts, and a legend for every colour, shape and marker.

use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`help`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct HelpProps {
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The help overlay.
pub fn help(props: &HelpProps) -> Html {
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Help(Some(false))))
    };
    let keep_open = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="overlay" onclick={close.clone()} data-testid="help">
            <div class="help" role="dialog" aria-modal="true" aria-label="Help" onclick={keep_open}>
                <button class="close" onclick={close} aria-label="Close help">{ "×" }</button>
                { Html::from_html_unchecked(AttrValue::Static(HELP_HTML)) }
            </div>
        </div>
    }
}

/// The static body of the overlay as HTML (parsed once by the browser when the overlay opens): markup built
/// by `html!` costs code in the wasm bundle for every element, a string only its bytes.
const HELP_HTML: &str = concat!(
    "<h2>LogScope</h2>",
    "<p>A simulated cluster of nodes keeps a replicated write-ahead log with Raft. Everything runs in your browser in virtual time: the same seed and the same actions give exactly the same run.</p>",
    "<div class=\"help-columns\">",
    "<section>",
    "<h3>Keys</h3>",
    "<dl class=\"keys\">",
    "<dt><kbd>Space</kbd></dt><dd>play / pause</dd>",
    "<dt><kbd>→</kbd> / <kbd>←</kbd></dt><dd>one event forward / back</dd>",
    "<dt><kbd>Shift</kbd>+<kbd>→</kbd> / <kbd>←</kbd></dt><dd>next / previous narration or question</dd>",
    "<dt><kbd>.</kbd></dt><dd>run to the next interesting event</dd>",
    "<dt><kbd>+</kbd> / <kbd>−</kbd></dt><dd>faster / slower</dd>",
    "<dt><kbd>1</kbd>…<kbd>6</kbd></dt><dd>switch the lower panel</dd>",
    "<dt><kbd>P</kbd></dt><dd>presenter mode (large type)</dd>",
    "<dt><kbd>D</kbd></dt><dd>dark / light</dd>",
    "<dt><kbd>?</kbd></dt><dd>this help</dd>",
    "<dt><kbd>Esc</kbd></dt><dd>close menus and help</dd>",
    "</dl>",
    "<h3>Do things</h3>",
    "<ul>",
    "<li>Click a node: crash, restart, pause it; arm disk faults.</li>",
    "<li>Click a link: cut it one way or both, or slow it.</li>",
    "<li>Click a log entry: flip a bit in it (a CRC must catch it).</li>",
    "<li>Clients tab: put / get / delete; read mode; write load.</li>",
    "<li>Faults tab: partitions, loss, duplication, latency.</li>",
    "<li>Drag the time slider back to replay the past.</li>",
    "</ul>",
    "</section>",
    "<section>",
    "<h3>Messages</h3>",
    "<ul class=\"legend\">",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-vote\"><circle r=\"7\"></circle></g></svg>vote request / reply</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-prevote\"><circle r=\"6\" class=\"ring\"></circle></g></svg>pre-vote request / reply (no term changes)</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-vote\"><polygon points=\"0,-8 8,6 -8,6\"></polygon></g></svg>TimeoutNow (leadership transfer)</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-append\"><rect x=\"-8\" y=\"-6\" width=\"16\" height=\"12\"></rect></g></svg>AppendEntries (small square: heartbeat)</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-ack\"><circle r=\"5\"></circle></g></svg>AppendEntries reply</li>",
    "<li><svg viewBox=\"-11 -11 22 22\" class=\"legend-icon\"><g class=\"message msg-snapshot\"><rect x=\"-10\" y=\"-10\" width=\"20\" height=\"20\" rx=\"2\"></rect></g></svg>InstallSnapshot</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-client\"><polygon points=\"0,-8 8,0 0,8 -8,0\"></polygon></g></svg>client request / reply</li>",
    "<li><svg viewBox=\"-10 -10 20 20\" class=\"legend-icon\"><g class=\"message msg-append dropped\"><rect x=\"-8\" y=\"-6\" width=\"16\" height=\"12\"></rect></g></svg>dashed: will be lost; ring: a duplicate</li>",
    "</ul>",
    "<h3>Logs</h3>",
    "<ul class=\"legend\">",
    "<li><svg viewBox=\"0 0 24 24\" class=\"legend-icon\"><g class=\"entry term-1 durable\"><rect class=\"cell\" x=\"2\" y=\"2\" width=\"20\" height=\"20\" rx=\"3\"></rect></g></svg>filled: fsynced (durable); the number is the term</li>",
    "<li><svg viewBox=\"0 0 24 24\" class=\"legend-icon\"><g class=\"entry term-1 unsynced\"><rect class=\"cell\" x=\"2\" y=\"2\" width=\"20\" height=\"20\" rx=\"3\"></rect></g></svg>hollow: written, not yet fsynced (a crash loses it)</li>",
    "<li><span class=\"legend-text corrupt\">✕</span>corrupt record (CRC mismatch)</li>",
    "<li><span class=\"legend-text\">▭</span>segment box: solid = sealed, dashed = active</li>",
    "<li><span class=\"legend-text\">HWM</span>high-water mark = commit index: reads see nothing above it</li>",
    "<li><span class=\"legend-text\">LWM</span>low-water mark: segments wholly below it are deleted</li>",
    "<li><span class=\"legend-text\">m / n</span>the leader's match / next index for that follower</li>",
    "<li><span class=\"legend-text\">┆</span>dotted line: the cluster commit index</li>",
    "</ul>",
    "<h3>Nodes</h3>",
    "<ul class=\"legend\">",
    "<li><span class=\"legend-text\">◌</span>dotted circle: a learner (copies the log, never votes or counts)</li>",
    "<li><span class=\"legend-text\">◔</span>arc around the leader: its read lease, draining on its own clock</li>",
    "<li><span class=\"legend-text\">1.5×</span>under a node: its clock runs at that rate, not 1×</li>",
    "</ul>",
    "</section>",
    "</div>",
    "<p class=\"help-text\">Hover anything for a one-sentence explanation. The invariant strip under the toolbar stays green while all 19 rules hold; a red chip pauses the run and says what broke.</p>",
);
