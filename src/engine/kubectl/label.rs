//! `kubectl label` and `kubectl annotate` (kubectl: pkg/cmd/label, pkg/cmd/annotate):
//! `KIND NAME key=value... key-... [--overwrite]`. Annotating a pod
//! `kubeplay.io/ready=false` makes its readiness probe fail (see the kubelet).

use super::{not_found, object_kind, resource_name, take_namespace};
use crate::engine::cluster::Cluster;
use crate::engine::store::Key;
use crate::engine::validation;

/// Which map of the metadata a command edits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Labels,
    Annotations,
}

pub fn label(c: &mut Cluster, args: &[&str], target: Target) -> String {
    let (verb, done) = match target {
        Target::Labels => ("label", "labeled"),
        Target::Annotations => ("annotate", "annotated"),
    };
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let overwrite = rest
        .iter()
        .any(|a| *a == "--overwrite" || *a == "--overwrite=true");
    let words: Vec<&str> = rest.into_iter().filter(|a| !a.starts_with("--")).collect();
    let (kind_word, name, changes) = match words.as_slice() {
        [first, rest @ ..] if first.contains('/') => {
            let (k, n) = first.split_once('/').unwrap_or_default();
            (k, n, rest)
        }
        [kind, name, rest @ ..] => (*kind, *name, rest),
        _ => return format!("error: USAGE: kubectl {verb} KIND NAME KEY=VALUE... [--overwrite]"),
    };
    if changes.is_empty() {
        return format!(
            "error: at least one {} update is required",
            if target == Target::Labels {
                "label"
            } else {
                "annotation"
            }
        );
    }
    let (kind, ns) = match object_kind(kind_word, namespace) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let key = Key::new(kind, &ns, name);
    let Some(mut object) = c.store.get(&key).cloned() else {
        return not_found(kind, name);
    };
    let meta = object.meta_mut();
    let map = match target {
        Target::Labels => &mut meta.labels,
        Target::Annotations => &mut meta.annotations,
    };
    let mut only_removals = true;
    for change in changes {
        if let Some(k) = change.strip_suffix('-').filter(|_| !change.contains('=')) {
            map.remove(k);
            continue;
        }
        only_removals = false;
        let Some((k, v)) = change.split_once('=') else {
            return format!("error: invalid {verb} format: {change} (expected KEY=VALUE or KEY-)");
        };
        let mut errs = validation::qualified_name(k);
        if target == Target::Labels {
            errs.extend(validation::label_value(v));
        }
        if let Some(e) = errs.first() {
            return format!("error: invalid {verb} spec: {change}: {e}");
        }
        if let Some(old) = map.get(k).filter(|old| *old != v) {
            if !overwrite {
                return format!(
                    "error: '{k}' already has a value ({old}), and --overwrite is false"
                );
            }
        }
        map.insert(k.to_string(), v.to_string());
    }
    c.put(object);
    let done = if only_removals && target == Target::Labels {
        "unlabeled"
    } else {
        done
    };
    format!("{}/{name} {done}", resource_name(kind))
}
