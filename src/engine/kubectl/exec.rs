//! `kubectl exec POD [-c CONTAINER] -- COMMAND`: commands inside a running container.
//! `env`/`printenv` show the environment the kubelet fixed when the container started
//! (Service variables included), `hostname` the pod's host name, `curl` and `ping` go out
//! from the pod, `nslookup`/`dig` ask DNS, and `sh -c 'echo … > FILE'`, `cat`, `ls` act on
//! the container's files and volumes (storage::files).

use super::{not_found, take_namespace};
use crate::engine::cluster::Cluster;
use crate::engine::dispatch::Client;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

pub fn exec(c: &mut Cluster, args: &[&str]) -> String {
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let (before, command) = match rest.iter().position(|a| *a == "--") {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => return "error: you must specify at least one command for the container (kubectl exec POD -- COMMAND)".into(),
    };
    let mut pod_name = None;
    let mut container = None;
    let mut it = before.iter();
    while let Some(&a) = it.next() {
        match a {
            "-c" | "--container" => container = it.next().copied(),
            "-i" | "-t" | "-it" | "-ti" | "--stdin" | "--tty" => {}
            _ if a.starts_with("--container=") => container = Some(&a["--container=".len()..]),
            _ if a.starts_with('-') => return format!("error: unknown flag: {a}"),
            _ => pod_name = Some(a.strip_prefix("pod/").unwrap_or(a)),
        }
    }
    let Some(pod_name) = pod_name else {
        return "error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command".into();
    };
    let Some(Object::Pod(pod)) = c.store.get(&Key::new("Pod", &namespace, pod_name)).cloned()
    else {
        return not_found("Pod", pod_name);
    };
    let ct = match container {
        Some(name) => match pod.spec.containers.iter().find(|ct| ct.name == name) {
            Some(ct) => ct,
            None => {
                return format!(
                "Error from server (BadRequest): container {name} is not valid for pod {pod_name}"
            )
            }
        },
        None => match pod.spec.containers.first() {
            Some(ct) => ct,
            None => return format!("error: pod {pod_name} has no containers"),
        },
    };
    let running = pod.status.as_ref().is_some_and(|s| s.phase == "Running");
    let Some(base_env) = c.container_env.get(&pod.metadata.uid).filter(|_| running) else {
        return format!(
            "error: unable to upgrade connection: container not found (\"{}\")",
            ct.name
        );
    };
    let mut env = base_env.vars();
    for e in &ct.env {
        env.retain(|(k, _)| *k != e.name);
        env.push((e.name.clone(), e.value.clone()));
    }
    env.push(("HOME".into(), "/root".into()));
    let client = Client::of_pod(&pod);
    match command {
        // Killing PID 1 ends the container; the kubelet restarts it (restartPolicy Always):
        // its own files are gone, its volumes (emptyDir included) are not.
        ["kill", "1"] | ["kill", "-9", "1"] | ["kill", "-KILL", "1"] => {
            crate::engine::controllers::kubelet::restart_container(c, &pod, &ct.name.clone());
            "command terminated with exit code 137".into()
        }
        ["cat", "/etc/nginx/nginx.conf"]
            if pod.metadata.namespace == crate::engine::ingress::NAMESPACE
                && pod.metadata.labels.get("app.kubernetes.io/component").map(String::as_str) == Some("controller") =>
        {
            crate::engine::ingress::nginx_conf(c).trim_end().to_string()
        }
        ["cat", "/etc/resolv.conf"] => crate::engine::resolver::pod_resolv_conf(c, &pod).0.render().trim_end().to_string(),
        ["nslookup", args @ ..] => {
            remember_lookup(c, &pod, args);
            let conf = crate::engine::resolver::pod_resolv_conf(c, &pod).0;
            super::dns::nslookup(c, &conf, super::dns::Toolbox::of_image(&ct.image), args).trim_end().to_string()
        }
        ["dig", args @ ..] => {
            remember_lookup(c, &pod, args);
            let conf = crate::engine::resolver::pod_resolv_conf(c, &pod).0;
            super::dns::dig(c, &conf, super::dns::Toolbox::of_image(&ct.image), args).trim_end().to_string()
        }
        ["curl", rest @ ..] => super::curl::curl(c, &client, rest),
        ["ping", rest @ ..] => super::curl::ping(c, &client, rest),
        ["env"] | ["printenv"] => env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"),
        ["printenv", names @ ..] => names
            .iter()
            .filter_map(|n| env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
            .collect::<Vec<_>>()
            .join("\n"),
        ["hostname"] => env.iter().find(|(k, _)| k == "HOSTNAME").map(|(_, v)| v.clone()).unwrap_or_default(),
        [] => "error: you must specify at least one command for the container".into(),
        argv => match crate::engine::storage::files::run(c, &pod, &ct.name.clone(), argv) {
            Some(out) => out,
            None => format!("{}: not simulated yet inside containers in this version of kubeplay (env, printenv, hostname, nslookup, dig, curl, ping, sh -c, echo, cat, ls, rm, touch and mkdir are)", argv[0]),
        },
    }
}

/// Keeps the name a pod looked up (the first argument that is not an option, a server or
/// a record type) for the DNS diagram; reverse lookups (`-x`) are not kept.
fn remember_lookup(c: &mut Cluster, pod: &crate::engine::api::core::Pod, args: &[&str]) {
    if args.contains(&"-x") {
        return;
    }
    let name = args.iter().find(|a| {
        !a.starts_with(['-', '+', '@'])
            && !matches!(
                **a,
                "A" | "AAAA" | "SRV" | "PTR" | "TXT" | "MX" | "NS" | "SOA" | "CNAME" | "ANY"
            )
    });
    if let Some(name) = name {
        c.last_lookup = Some((
            pod.metadata.namespace.clone(),
            pod.metadata.name.clone(),
            name.to_string(),
        ));
    }
}
