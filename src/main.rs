//! The browser build: one wasm module for both the page and the engine's Web Worker.
//!
//! wasm-bindgen runs `main` wherever the module is initialised (page and worker alike), so
//! it does nothing; each side calls its own entry point instead: `www/app.js` calls
//! [`start_app`], `www/worker.js` calls [`start_worker`]. The page compiles the module once
//! and posts it to the worker (`src/ui/worker.rs`), which only instantiates it.
//! (Natively there is nothing to run; the native program is `kubeplay`.)

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use kubeplay::protocol::{encode_response, EngineService};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// The page: mounts the Leptos UI.
    #[wasm_bindgen]
    pub fn start_app() {
        console_error_panic_hook::set_once();
        leptos::mount::mount_to_body(kubeplay::ui::App);
    }

    /// The engine's worker: receives `ToWorker` text, answers `FromWorker` text. All the
    /// logic is in `kubeplay::protocol::EngineService`; this only wires
    /// `onmessage`/`postMessage` and sends the ready handshake.
    #[wasm_bindgen]
    pub fn start_worker() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let service = RefCell::new(EngineService::default());
        let reply_scope = scope.clone();
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            let answer = service.borrow_mut().handle_text(&text);
            let _ = reply_scope.post_message(&JsValue::from_str(&answer));
        });
        scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        let _ = scope.post_message(&JsValue::from_str(
            &encode_response(&EngineService::ready()),
        ));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kubeplay-web is the browser build; run `kubeplay` natively.");
}
