//! The browser app's entry point: mounts the Leptos UI. (Natively it does nothing; the
//! native program is `kubeplay`.)

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kubeplay::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kubeplay-app is the browser build; run `kubeplay` natively.");
}
