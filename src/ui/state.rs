//! Where the page's state comes from and goes: the address (share links in the fragment,
//! embed options in the query), and the browser's storage (autosave). Storage is best
//! effort: a sandboxed iframe has none, and then nothing is saved.

use wasm_bindgen::prelude::*;

use crate::share::SharedState;

// The link codec runs in the browser's own CompressionStream (no deflate in the wasm);
// it writes the same format as `crate::share`, which the CLI and native tests use.
#[wasm_bindgen(module = "/src/ui/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = kpEncodeLink)]
    fn encode_link(state_json: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = kpDecodeLink)]
    fn decode_link(fragment: &str) -> js_sys::Promise;
}

/// The link fragment (without `#`) for a state.
pub async fn encode(state: &SharedState) -> String {
    let json = serde_json::to_string(state).unwrap_or_default();
    wasm_bindgen_futures::JsFuture::from(encode_link(&json))
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The state a fragment holds, or why it does not open.
pub async fn decode(fragment: &str) -> Result<SharedState, String> {
    match wasm_bindgen_futures::JsFuture::from(decode_link(fragment)).await {
        Ok(v) => serde_json::from_str(&v.as_string().unwrap_or_default())
            .map_err(|e| format!("this link is damaged: its contents do not read ({e})")),
        Err(e) => Err(e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "this link could not be read".into())),
    }
}

/// The key autosave writes (the state as JSON, like a link's contents).
const AUTOSAVE_KEY: &str = "kubeplay:work";

/// The query options (`?embed&view=network&step=2&readonly&theme=dark&lesson=…&check&lang=zh`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    pub embed: bool,
    pub view: Option<String>,
    pub step: Option<usize>,
    pub readonly: bool,
    pub theme: Option<String>,
    pub lesson: Option<String>,
    pub check: bool,
    pub lang: Option<String>,
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Reads the page's query options.
pub fn params() -> Params {
    let Some(search) = window().and_then(|w| w.location().search().ok()) else {
        return Params::default();
    };
    let Ok(q) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Params::default();
    };
    let flag = |name: &str| q.has(name) && q.get(name).as_deref() != Some("false");
    Params {
        embed: flag("embed"),
        view: q.get("view"),
        step: q.get("step").and_then(|s| s.parse().ok()),
        readonly: flag("readonly"),
        theme: q.get("theme").filter(|t| t == "light" || t == "dark"),
        lesson: q.get("lesson"),
        check: flag("check"),
        lang: q.get("lang"),
    }
}

/// The address fragment without `#` (empty when there is none).
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The full app's address for a state: this page without its query, with the link.
pub async fn link_for(state: &SharedState) -> String {
    let base = window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| href.split(['?', '#']).next().map(str::to_string))
        .unwrap_or_default();
    format!("{base}#{}", encode(state).await)
}

fn storage() -> Option<web_sys::Storage> {
    // Throws in a sandboxed iframe (opaque origin): no storage then.
    window()?.local_storage().ok().flatten()
}

/// The work autosave kept, if any.
pub fn load_saved() -> Option<SharedState> {
    let text = storage()?.get_item(AUTOSAVE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Keeps the work (best effort).
pub fn save(state: &SharedState) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(state)) {
        let _ = s.set_item(AUTOSAVE_KEY, &text);
    }
}

/// One editor text for the files of a state (several files are joined as YAML
/// documents, each under a comment naming it).
pub fn editor_text(state: &SharedState) -> String {
    match state.files.as_slice() {
        [] => String::new(),
        [(_, text)] => text.clone(),
        files => files
            .iter()
            .map(|(name, text)| format!("# {name}\n{}", text.trim_end()))
            .collect::<Vec<_>>()
            .join("\n---\n"),
    }
}

/// Applies a theme forced by the address (`data-theme` on the root element).
pub fn set_theme(theme: &str) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme);
    }
}

/// The browser's preferred language, as `en` or `zh`.
pub fn browser_lang() -> &'static str {
    let lang = window()
        .map(|w| w.navigator().language().unwrap_or_default())
        .unwrap_or_default();
    if lang.to_lowercase().starts_with("zh") {
        "zh"
    } else {
        "en"
    }
}

/// Sets the document's language (`lang` on the root element).
pub fn set_lang(lang: &str) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", if lang == "zh" { "zh-CN" } else { "en" });
    }
}
