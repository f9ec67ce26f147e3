//! `kubectl cordon`, `uncordon` and `drain` (kubectl: pkg/cmd/drain, pkg/drain/filters.go)
//! with kubectl's messages. Eviction is simulated as deletion (no PodDisruptionBudgets yet);
//! controllers then recreate evicted pods on other nodes.

use crate::engine::api::core::Pod;
use crate::engine::cluster::Cluster;
use crate::engine::manifest::Object;
use crate::engine::sort::SortLean;
use crate::engine::store::Key;

/// Sets `spec.unschedulable`; returns kubectl's line.
fn set_cordon(c: &mut Cluster, node: &str, cordon: bool) -> Result<String, String> {
    let key = Key::new("Node", "", node);
    let Some(Object::Node(mut n)) = c.store.get(&key).cloned() else {
        return Err(super::not_found("Node", node));
    };
    let verb = if cordon { "cordoned" } else { "uncordoned" };
    if n.spec.unschedulable == cordon {
        return Ok(format!("node/{node} already {verb}"));
    }
    n.spec.unschedulable = cordon;
    c.put(Object::Node(n));
    Ok(format!("node/{node} {verb}"))
}

/// `kubectl cordon NODE` / `kubectl uncordon NODE`.
pub fn cordon(c: &mut Cluster, args: &[&str], cordon: bool) -> String {
    let verb = if cordon { "cordon" } else { "uncordon" };
    match args {
        [node] => set_cordon(c, node, cordon).unwrap_or_else(|e| e),
        _ => format!("error: USAGE: kubectl {verb} NODE"),
    }
}

/// The controller kind of a pod, if any (from its controller owner reference).
fn controller_kind(pod: &Pod) -> Option<&str> {
    pod.metadata
        .owner_references
        .iter()
        .find(|o| o.controller == Some(true))
        .map(|o| o.kind.as_str())
}

/// `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`.
pub fn drain(c: &mut Cluster, args: &[&str]) -> String {
    let mut node = None;
    let (mut ignore_ds, mut delete_local, mut force) = (false, false, false);
    for a in args {
        match *a {
            "--ignore-daemonsets" | "--ignore-daemonsets=true" => ignore_ds = true,
            "--delete-emptydir-data" | "--delete-emptydir-data=true" | "--delete-local-data" => {
                delete_local = true
            }
            "--force" | "--force=true" => force = true,
            flag if flag.starts_with('-') => return format!("error: unknown flag: {flag}"),
            name => node = Some(name),
        }
    }
    let Some(node) = node else {
        return "error: USAGE: kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]".into();
    };
    let mut out = match set_cordon(c, node, true) {
        Ok(line) => vec![line],
        Err(e) => return e,
    };
    let pods: Vec<Pod> = c
        .store
        .list("Pod", None)
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.spec.node_name == node && p.metadata.deletion_timestamp.is_none() =>
            {
                Some((**p).clone())
            }
            _ => None,
        })
        .collect();
    let name = |p: &Pod| format!("{}/{}", p.metadata.namespace, p.metadata.name);
    // kubectl's filters, in its order; a pod stops at the first filter that refuses it,
    // and the warnings of the filters it passed are joined (pkg/drain/filters.go).
    // Messages group pods in first-seen order (kubectl's map order is random).
    let mut errors: Vec<(String, Vec<String>)> = Vec::new();
    let mut warnings: Vec<(String, Vec<String>)> = Vec::new();
    let group = |groups: &mut Vec<(String, Vec<String>)>, msg: String, pod: String| match groups
        .iter_mut()
        .find(|(m, _)| *m == msg)
    {
        Some((_, pods)) => pods.push(pod),
        None => groups.push((msg, vec![pod])),
    };
    let mut evict = Vec::new();
    for p in &pods {
        let finished = p
            .status
            .as_ref()
            .is_some_and(|s| s.phase == "Succeeded" || s.phase == "Failed");
        if controller_kind(p) == Some("DaemonSet") {
            if ignore_ds {
                group(
                    &mut warnings,
                    "ignoring DaemonSet-managed Pods".into(),
                    name(p),
                );
            } else {
                group(
                    &mut errors,
                    "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)".into(),
                    name(p),
                );
            }
            continue;
        }
        let mut passed = Vec::new();
        if !finished && p.spec.volumes.iter().any(|v| v.empty_dir.is_some()) {
            if !delete_local {
                group(
                    &mut errors,
                    "Pods with local storage (use --delete-emptydir-data to override)".into(),
                    name(p),
                );
                continue;
            }
            passed.push("deleting Pods with local storage");
        }
        if !finished && controller_kind(p).is_none() {
            if !force {
                group(
                    &mut errors,
                    "Pods that declare no controller (use --force to override)".into(),
                    name(p),
                );
                continue;
            }
            passed.push("deleting Pods that declare no controller");
        }
        if !passed.is_empty() {
            group(&mut warnings, passed.join(", "), name(p));
        }
        evict.push(p.clone());
    }
    // Group order follows the filters' order (DaemonSet, local storage, unreplicated).
    let rank = |msg: &String| {
        [
            "DaemonSet",
            "ignoring DaemonSet",
            "Pods with local",
            "deleting Pods with local",
        ]
        .iter()
        .position(|p| msg.starts_with(p))
        .map_or(2, |i| i / 2)
    };
    errors.sort_lean_by_key(|(m, _)| rank(m));
    warnings.sort_lean_by_key(|(m, _)| rank(m));
    let errors: Vec<String> = errors
        .into_iter()
        .map(|(msg, pods)| format!("cannot delete {msg}: {}", pods.join(", ")))
        .collect();
    let warnings: Vec<String> = warnings
        .into_iter()
        .map(|(msg, pods)| format!("{msg}: {}", pods.join(", ")))
        .collect();
    if !errors.is_empty() {
        // utilerrors.Aggregate: one error alone, several in brackets.
        let joined = if errors.len() == 1 {
            errors[0].clone()
        } else {
            format!("[{}]", errors.join(", "))
        };
        out.push(format!(
            "error: unable to drain node \"{node}\" due to error: {joined}, continuing command..."
        ));
        out.push("There are pending nodes to be drained:".into());
        out.push(format!(" {node}"));
        return out.join("\n");
    }
    if !warnings.is_empty() {
        out.push(format!("Warning: {}", warnings.join("; ")));
    }
    for p in &evict {
        out.push(format!("evicting pod {}", name(p)));
    }
    for p in &evict {
        c.delete(&Key::new("Pod", &p.metadata.namespace, &p.metadata.name));
        out.push(format!("pod/{} evicted", p.metadata.name));
    }
    out.push(format!("node/{node} drained"));
    out.join("\n")
}
