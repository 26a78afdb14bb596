//! Entry point of the web app: under wasm32 it mounts the Yew UI; a native build only points at the CLI.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<logscope::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("logscope: this binary is the web UI (build it with `trunk build --release`); for the terminal use `cargo run --bin logscope-cli -- --help`.");
}
