//! The cluster view: `kubectl get` tables of the simulated cluster by kind (refreshed
//! after every edit and command), and for a clicked object its `kubectl describe` (with
//! events) or `-o yaml`. The commands are shown, to teach them; views never change the
//! cluster (the worker runs them read-only).

use leptos::prelude::*;

use super::worker::{EngineResult, TerminalEntry};

/// (label, kubectl resource, cluster-scoped)
const KINDS: &[(&str, &str, bool)] = &[
    ("Pods", "pods", false),
    ("Deployments", "deployments", false),
    ("StatefulSets", "statefulsets", false),
    ("Services", "services", false),
    ("EndpointSlices", "endpointslices", false),
    ("Ingress", "ingress", false),
    ("PVCs", "pvc", false),
    ("PVs", "pv", true),
    ("StorageClasses", "storageclass", true),
    ("Nodes", "nodes", true),
    ("Events", "events", false),
];

#[component]
pub fn ClusterView(
    result: ReadSignal<Option<EngineResult>>,
    transcript: ReadSignal<Vec<TerminalEntry>>,
    query: Callback<String>,
    answers: ReadSignal<std::collections::BTreeMap<String, String>>,
) -> impl IntoView {
    let (kind, set_kind) = signal(0usize);
    let (detail, set_detail) = signal(None::<String>);
    let table_line = move || {
        let (_, resource, _) = KINDS[kind.get()];
        if resource == "events" {
            "kubectl get events -A".to_string()
        } else {
            format!("kubectl get {resource} -A -o wide")
        }
    };
    // Refresh whenever the cluster may have changed: a new apply, a finished command.
    Effect::new(move |_| {
        result.track();
        let finished = transcript.with(|t| t.iter().filter(|e| e.output.is_some()).count());
        let _ = finished;
        query.run(table_line());
        if let Some(d) = detail.get() {
            query.run(d);
        }
    });
    let rows = move || {
        let line = table_line();
        answers.with(|a| a.get(&line).cloned()).unwrap_or_default()
    };
    view! {
        <div class="kp-cluster" data-testid="cluster-view">
            <div class="kp-cluster__kinds" role="tablist" aria-label="Kinds">
                {KINDS.iter().enumerate().map(|(i, (label, _, _))| view! {
                    <button role="tab" class="kp-chip" data-testid="cluster-kind"
                        aria-selected=move || (kind.get() == i).to_string()
                        class:kp-chip--on=move || kind.get() == i
                        on:click=move |_| { set_kind.set(i); set_detail.set(None); }>{*label}</button>
                }).collect_view()}
            </div>
            <p class="kp-cluster__command"><code>{table_line}</code></p>
            <div class="kp-cluster__table" data-testid="cluster-table">
                {move || {
                    let text = rows();
                    let (_, resource, cluster_scoped) = KINDS[kind.get()];
                    let mut lines = text.lines();
                    let header = lines.next().unwrap_or_default().to_string();
                    let body: Vec<String> = lines.map(str::to_string).collect();
                    view! {
                        <pre class="kp-cluster__header">{header}</pre>
                        {body.into_iter().map(|l| {
                            let words: Vec<&str> = l.split_whitespace().collect();
                            let target = if resource == "events" {
                                None
                            } else if cluster_scoped {
                                words.first().map(|n| (String::new(), n.to_string()))
                            } else {
                                words.get(1).map(|n| (words[0].to_string(), n.to_string()))
                            };
                            match target {
                                Some((ns, name)) => {
                                    let ns_flag = if ns.is_empty() { String::new() } else { format!(" -n {ns}") };
                                    let describe = format!("kubectl describe {resource} {name}{ns_flag}");
                                    view! {
                                        <button class="kp-cluster__row" data-testid="cluster-row" title=describe.clone()
                                            on:click=move |_| {
                                                set_detail.set(Some(describe.clone()));
                                                query.run(describe.clone());
                                            }>{l.clone()}</button>
                                    }.into_any()
                                }
                                None => view! { <pre class="kp-cluster__line">{l.clone()}</pre> }.into_any(),
                            }
                        }).collect_view()}
                    }
                }}
            </div>
            {move || detail.get().map(|line| {
                let yaml = line.replacen("kubectl describe ", "kubectl get ", 1) + " -o yaml";
                let describe = line.clone();
                let text = {
                    let l = line.clone();
                    move || answers.with(|a| a.get(&l).cloned()).unwrap_or_else(|| "…".into())
                };
                view! {
                    <div class="kp-cluster__detail" data-testid="cluster-detail">
                        <div class="kp-cluster__detail-head">
                            <code>{line.clone()}</code>
                            <button class="kp-button" on:click=move |_| { set_detail.set(Some(describe.clone())); query.run(describe.clone()); }>"describe"</button>
                            <button class="kp-button" data-testid="cluster-yaml" on:click=move |_| { set_detail.set(Some(yaml.clone())); query.run(yaml.clone()); }>"yaml"</button>
                            <button class="kp-button" on:click=move |_| set_detail.set(None)>"close"</button>
                        </div>
                        <pre class="kp-cluster__text">{text}</pre>
                    </div>
                }
            })}
        </div>
    }
}
