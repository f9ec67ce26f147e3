//! The cluster view: `kubectl get` tables of the simulated cluster by kind (refreshed
//! after every edit and command), and for a clicked object its `kubectl describe` (with
//! events) or `-o yaml`; a timeline steps back and forward through the terminal's commands
//! (the engine is deterministic: the worker replays them). The commands are shown, to teach them; views never change the
//! cluster (the worker runs them read-only).

use leptos::prelude::*;

use super::i18n::t;

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
    query_at: Callback<(usize, String)>,
    steps: ReadSignal<Vec<String>>,
    /// Runs a terminal command (the actions' buttons show and teach it).
    run: Callback<String>,
) -> impl IntoView {
    let (kind, set_kind) = signal(0usize);
    let (detail, set_detail) = signal(None::<String>);
    // The timeline: None = the live cluster; Some(k) = as it was after k commands.
    let (at, set_at) = signal(None::<usize>);
    let ask = move |line: String| match at.get_untracked() {
        None => query.run(line),
        Some(k) => query_at.run((k, line)),
    };
    let key = move |line: &str| match at.get() {
        None => line.to_string(),
        Some(k) => format!("@{k} {line}"),
    };
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
        at.track();
        // A command's output arriving means the cluster may have changed.
        transcript.with(|t| t.iter().filter(|e| e.output.is_some()).count());
        ask(table_line());
        if let Some(d) = detail.get() {
            ask(d);
        }
    });
    // A new cluster (an edit) starts the timeline over.
    Effect::new(move |_| {
        result.track();
        set_at.set(None);
    });
    let rows = move || {
        let line = key(&table_line());
        answers.with(|a| a.get(&line).cloned()).unwrap_or_default()
    };
    let total = move || steps.with(Vec::len);
    let shown = move || at.get().unwrap_or_else(total);
    let step_label = move || {
        let k = shown();
        let live = at.get().is_none();
        let what = if k == 0 {
            "as applied, before any command".to_string()
        } else {
            format!(
                "after `{}`",
                steps.with(|s| s.get(k - 1).cloned().unwrap_or_default())
            )
        };
        format!(
            "Step {k} of {}{}: {what}",
            total(),
            if live { " (live)" } else { "" }
        )
    };
    view! {
        <div class="kp-cluster" data-testid="cluster-view">
            <div class="kp-cluster__kinds" role="tablist" aria-label=t("Kinds")>
                {KINDS.iter().enumerate().map(|(i, (label, _, _))| view! {
                    <button role="tab" class="kp-chip" data-testid="cluster-kind"
                        aria-selected=move || (kind.get() == i).to_string()
                        class:kp-chip--on=move || kind.get() == i
                        on:click=move |_| { set_kind.set(i); set_detail.set(None); }>{*label}</button>
                }).collect_view()}
            </div>
            <div class="kp-cluster__timeline" data-testid="timeline">
                <button class="kp-button" data-testid="timeline-back" title=t("The cluster one command earlier")
                    disabled=move || shown() == 0
                    on:click=move |_| set_at.set(Some(shown().saturating_sub(1)))>"◀"</button>
                <button class="kp-button" data-testid="timeline-forward" title=t("The cluster one command later")
                    disabled=move || at.get().is_none()
                    on:click=move |_| {
                        let next = shown() + 1;
                        set_at.set(if next >= total() { None } else { Some(next) });
                    }>"▶"</button>
                <span class="kp-cluster__step" data-testid="timeline-step">{step_label}</span>
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
                                                ask(describe.clone());
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
                    move || answers.with(|a| a.get(&key(&l)).cloned()).unwrap_or_else(|| "…".into())
                };
                view! {
                    <div class="kp-cluster__detail" data-testid="cluster-detail">
                        <div class="kp-cluster__detail-head">
                            <code>{line.clone()}</code>
                            <button class="kp-button" on:click=move |_| { set_detail.set(Some(describe.clone())); ask(describe.clone()); }>{t("describe")}</button>
                            <button class="kp-button" data-testid="cluster-yaml" on:click=move |_| { set_detail.set(Some(yaml.clone())); ask(yaml.clone()); }>"yaml"</button>
                            <button class="kp-button" on:click=move |_| set_detail.set(None)>{t("close")}</button>
                            {actions(&line).into_iter().map(|(label, command)| {
                                let title = format!("Runs in the terminal: {command}");
                                view! {
                                    <button class="kp-button kp-button--action" data-testid="cluster-action" title=title
                                        on:click=move |_| run.run(command.clone())>{label}</button>
                                }
                            }).collect_view()}
                        </div>
                        <pre class="kp-cluster__text">{text}</pre>
                    </div>
                }
            })}
        </div>
    }
}

/// The actions an object offers, as terminal commands, from its describe/get line.
fn actions(line: &str) -> Vec<(&'static str, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    // `kubectl describe|get RESOURCE NAME [-n NS] [-o yaml]`
    let (Some(resource), Some(name)) = (words.get(2), words.get(3)) else {
        return Vec::new();
    };
    let ns = match words.iter().position(|w| *w == "-n") {
        Some(i) => words
            .get(i + 1)
            .map_or(String::new(), |n| format!(" -n {n}")),
        None => String::new(),
    };
    match *resource {
        "pods" => vec![
            ("delete", format!("kubectl delete pod {name}{ns}")),
            (
                "kill container",
                format!("kubectl exec {name}{ns} -- kill 1"),
            ),
            (
                "mark not ready",
                format!("kubectl annotate pod {name}{ns} kubeplay.io/ready=false --overwrite"),
            ),
            (
                "mark ready",
                format!("kubectl annotate pod {name}{ns} kubeplay.io/ready-"),
            ),
        ],
        "nodes" => vec![
            ("cordon", format!("kubectl cordon {name}")),
            (
                "drain",
                format!("kubectl drain {name} --ignore-daemonsets --delete-emptydir-data --force"),
            ),
            ("uncordon", format!("kubectl uncordon {name}")),
        ],
        "deployments" | "statefulsets" => {
            let kind = if *resource == "deployments" {
                "deploy"
            } else {
                "sts"
            };
            vec![
                (
                    "scale to 1",
                    format!("kubectl scale {kind}/{name}{ns} --replicas=1"),
                ),
                (
                    "scale to 3",
                    format!("kubectl scale {kind}/{name}{ns} --replicas=3"),
                ),
            ]
        }
        "pvc" => vec![
            ("why?", format!("why pvc {name}{ns}")),
            ("delete", format!("kubectl delete pvc {name}{ns}")),
        ],
        "services" | "ingress" | "pv" => {
            vec![("delete", format!("kubectl delete {resource} {name}{ns}"))]
        }
        _ => Vec::new(),
    }
}
