//! The files a person writes and reads inside containers, and where they really live: a
//! node's filesystem (hostPath, local volumes, kind's local-path provisioner), an emptyDir
//! that lives and dies with its pod, storage outside the nodes (NFS, cloud disks, CSI), or
//! the container's own scratch layer. This is how the storage lessons are shown, not told:
//! write a file, delete the pod, read again.

use crate::engine::sort::{CollectLean, SortLean};
use std::collections::BTreeMap;

use super::{pv_backing, Backing};
use crate::engine::api::core::Pod;
use crate::engine::cluster::Cluster;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// One filesystem entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(String),
    Socket,
    CharDevice,
    BlockDevice,
}

/// A filesystem: absolute paths → entries (directories explicit).
pub type Fs = BTreeMap<String, Entry>;

/// Every filesystem in the cluster, by store id: `node:<node>`, `emptydir:<pod uid>:<volume>`,
/// `ext:<backend id>`, `scratch:<pod uid>:<container>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    pub stores: BTreeMap<String, Fs>,
}

/// What a fresh kind node has on disk, as far as the lessons need.
fn node_fs() -> Fs {
    let mut fs = Fs::new();
    for d in [
        "/",
        "/dev",
        "/etc",
        "/mnt",
        "/run",
        "/run/containerd",
        "/tmp",
        "/var",
        "/var/lib",
        "/var/lib/kubelet",
        "/var/log",
        "/var/log/containers",
        "/var/log/pods",
    ] {
        fs.insert(d.into(), Entry::Dir);
    }
    fs.insert("/run/containerd/containerd.sock".into(), Entry::Socket);
    fs.insert("/dev/null".into(), Entry::CharDevice);
    fs.insert("/dev/vda".into(), Entry::BlockDevice);
    fs
}

/// What a store holds before anything is written to it: a node's default directories, a
/// container image's usual directories, or an empty volume.
fn fresh_fs(id: &str) -> Fs {
    if id.starts_with("node:") {
        node_fs()
    } else if id.starts_with("scratch:") {
        [
            "/", "/etc", "/home", "/root", "/tmp", "/usr", "/var", "/var/log",
        ]
        .iter()
        .map(|d| (d.to_string(), Entry::Dir))
        .collect()
    } else {
        Fs::from([("/".to_string(), Entry::Dir)])
    }
}

pub fn node_store(node: &str) -> String {
    format!("node:{node}")
}

impl Files {
    /// A store, created on first use (nodes with their default directories).
    pub fn store(&mut self, id: &str) -> &mut Fs {
        self.stores
            .entry(id.to_string())
            .or_insert_with(|| fresh_fs(id))
    }

    pub fn get(&self, id: &str, path: &str) -> Option<Entry> {
        match self.stores.get(id) {
            Some(fs) => fs.get(path).cloned(),
            None => fresh_fs(id).get(path).cloned(),
        }
    }

    /// Creates a directory and its parents.
    pub fn mkdir_p(&mut self, id: &str, path: &str) {
        let fs = self.store(id);
        let mut at = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at.push('/');
            at.push_str(part);
            fs.entry(at.clone()).or_insert(Entry::Dir);
        }
    }

    /// Removes everything at and below `path` (`"/"`: the whole store).
    pub fn wipe(&mut self, id: &str, path: &str) {
        if path == "/" {
            self.stores.remove(id);
            return;
        }
        if let Some(fs) = self.stores.get_mut(id) {
            let below = format!("{path}/");
            fs.retain(|p, _| p != path && !p.starts_with(&below));
        }
    }

    /// Removes what is below `path` but keeps the directory (a recycler's `rm -rf dir/*`).
    pub fn empty(&mut self, id: &str, path: &str) {
        if let Some(fs) = self.stores.get_mut(id) {
            let below = if path == "/" {
                "/".to_string()
            } else {
                format!("{path}/")
            };
            fs.retain(|p, _| !p.starts_with(&below) || p == "/");
        }
    }
}

/// Joins a base path and a relative one.
fn join(base: &str, rel: &str) -> String {
    let rel = rel.trim_matches('/');
    match (base.trim_end_matches('/'), rel) {
        ("", "") => "/".into(),
        (b, "") => b.into(),
        (b, r) => format!("{b}/{r}"),
    }
}

/// Normalises `a/./b/../c` and duplicate slashes.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Where a path inside a container lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub store: String,
    pub path: String,
    /// The mount's root in the store (it always exists as a directory).
    pub root: String,
    pub read_only: bool,
}

/// The store and path behind one pod volume, at a sub-path.
pub fn volume_location(c: &Cluster, pod: &Pod, volume: &str) -> Option<(String, String, bool)> {
    let v = pod.spec.volumes.iter().find(|v| v.name == volume)?;
    let uid = &pod.metadata.uid;
    let node = &pod.spec.node_name;
    if v.empty_dir.is_some() {
        return Some((format!("emptydir:{uid}:{volume}"), "/".into(), false));
    }
    if let Some(hp) = &v.host_path {
        return Some((node_store(node), normalise(&hp.path), false));
    }
    if let Some(claim) = &v.persistent_volume_claim {
        let Some(Object::PersistentVolumeClaim(pvc)) = c.store.get(&Key::new(
            "PersistentVolumeClaim",
            &pod.metadata.namespace,
            &claim.claim_name,
        )) else {
            return None;
        };
        let Some(Object::PersistentVolume(pv)) =
            c.store
                .get(&Key::new("PersistentVolume", "", &pvc.spec.volume_name))
        else {
            return None;
        };
        let ro = claim.read_only;
        return Some(match pv_backing(pv) {
            Backing::PodNode(path) => (node_store(node), normalise(&path), ro),
            Backing::Node(n, path) => (node_store(&n), normalise(&path), ro),
            Backing::External(id) => (format!("ext:{id}"), "/".into(), ro),
        });
    }
    if let Some((_, id)) = super::inline_provider(v) {
        return Some((format!("ext:{id}"), "/".into(), false));
    }
    None
}

/// Resolves a path in a container: the mount with the longest matching mount path, or the
/// container's scratch layer.
pub fn locate(c: &Cluster, pod: &Pod, container: &str, path: &str) -> Location {
    let path = normalise(path);
    let mounts = pod
        .spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .find(|ct| ct.name == container)
        .map(|ct| ct.volume_mounts.clone())
        .unwrap_or_default();
    let best = mounts
        .iter()
        .filter(|m| {
            let mp = normalise(&m.mount_path);
            path == mp || mp == "/" || path.starts_with(&format!("{mp}/"))
        })
        .max_by_key(|m| normalise(&m.mount_path).len());
    if let Some(m) = best {
        if let Some((store, base, ro)) = volume_location(c, pod, &m.name) {
            let mp = normalise(&m.mount_path);
            let root = normalise(&join(&base, &m.sub_path));
            let rel = &path[mp.len().min(path.len())..];
            return Location {
                store,
                path: normalise(&join(&root, rel)),
                root,
                read_only: ro || m.read_only,
            };
        }
    }
    Location {
        store: format!("scratch:{}:{container}", pod.metadata.uid),
        path,
        root: "/".into(),
        read_only: false,
    }
}

/// The mount points of a container, for `ls /`.
fn mount_points(pod: &Pod, container: &str) -> Vec<String> {
    pod.spec
        .containers
        .iter()
        .find(|ct| ct.name == container)
        .map(|ct| {
            ct.volume_mounts
                .iter()
                .map(|m| normalise(&m.mount_path))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a directory exists at a location (a mount's root always does).
fn is_dir(c: &Cluster, l: &Location) -> bool {
    l.path == l.root || c.files.get(&l.store, &l.path) == Some(Entry::Dir)
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => path[..i].into(),
    }
}

/// Runs a command of the container's shell on its files: `echo … > FILE` (and `>>`),
/// `cat`, `ls`, `rm`, `touch`, `mkdir [-p]`, several joined by `;` or `&&`; `sh -c
/// 'SCRIPT'` runs a script. Returns the output, or `None` if this is not a file command.
pub fn run(c: &mut Cluster, pod: &Pod, container: &str, argv: &[&str]) -> Option<String> {
    match argv {
        ["sh" | "bash" | "/bin/sh" | "/bin/bash", "-c", script] => {
            Some(script_run(c, pod, container, script))
        }
        [cmd, ..] if matches!(*cmd, "cat" | "ls" | "rm" | "touch" | "mkdir" | "echo") => {
            let words: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            Some(
                simple(c, pod, container, &words, None)
                    .0
                    .trim_end()
                    .to_string(),
            )
        }
        _ => None,
    }
}

fn script_run(c: &mut Cluster, pod: &Pod, container: &str, script: &str) -> String {
    let mut out = String::new();
    // Split on `;` and `&&` outside quotes.
    let mut commands: Vec<(String, bool)> = Vec::new();
    let (mut cur, mut quote) = (String::new(), None);
    let mut chars = script.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quote, ch) {
            (Some(q), x) if x == q => {
                quote = None;
                cur.push(ch);
            }
            (Some(_), _) => cur.push(ch),
            (None, '\'' | '"') => {
                quote = Some(ch);
                cur.push(ch);
            }
            (None, ';') | (None, '\n') => commands.push((std::mem::take(&mut cur), false)),
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                commands.push((std::mem::take(&mut cur), true));
            }
            _ => cur.push(ch),
        }
    }
    commands.push((cur, false));
    let mut skip = false;
    for (text, and) in commands {
        if text.trim().is_empty() {
            continue;
        }
        let ok = if skip {
            false
        } else {
            let (o, ok) = command_line(c, pod, container, &text);
            out.push_str(&o);
            ok
        };
        skip = and && !ok;
    }
    out.trim_end().to_string()
}

/// One command with an optional `>`/`>>` redirection.
fn command_line(c: &mut Cluster, pod: &Pod, container: &str, text: &str) -> (String, bool) {
    let Ok(words) = crate::engine::kubectl::split_words(text) else {
        return (
            "sh: syntax error: unterminated quoted string\n".into(),
            false,
        );
    };
    let mut args = Vec::new();
    let mut redirect = None;
    let mut it = words.into_iter();
    while let Some(w) = it.next() {
        if let Some(rest) = w.strip_prefix(">>") {
            let target = if rest.is_empty() {
                it.next()
            } else {
                Some(rest.to_string())
            };
            redirect = target.map(|t| (t, true));
        } else if let Some(rest) = w.strip_prefix('>') {
            let target = if rest.is_empty() {
                it.next()
            } else {
                Some(rest.to_string())
            };
            redirect = target.map(|t| (t, false));
        } else {
            args.push(w);
        }
    }
    let (mut out, ok) = simple(c, pod, container, &args, redirect.as_ref());
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    (out, ok)
}

/// Writes `text` at a path (append or replace).
fn write(
    c: &mut Cluster,
    pod: &Pod,
    container: &str,
    path: &str,
    text: &str,
    append: bool,
) -> Result<(), String> {
    let l = locate(c, pod, container, path);
    if l.read_only {
        return Err(format!("sh: can't create {path}: Read-only file system"));
    }
    if c.files.get(&l.store, &l.path) == Some(Entry::Dir) || l.path == l.root {
        return Err(format!("sh: can't create {path}: Is a directory"));
    }
    let dir = Location {
        path: parent(&l.path),
        ..l.clone()
    };
    if !is_dir(c, &dir) {
        return Err(format!("sh: can't create {path}: nonexistent directory"));
    }
    let fs = c.files.store(&l.store);
    match fs.get_mut(&l.path) {
        Some(Entry::File(old)) if append => old.push_str(text),
        _ => {
            fs.insert(l.path, Entry::File(text.to_string()));
        }
    }
    Ok(())
}

/// A simple command; `(output, success)`.
fn simple(
    c: &mut Cluster,
    pod: &Pod,
    container: &str,
    args: &[String],
    redirect: Option<&(String, bool)>,
) -> (String, bool) {
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (output, ok) = match argv.as_slice() {
        [] => (String::new(), true),
        ["echo", "-n", rest @ ..] => (rest.join(" "), true),
        ["echo", rest @ ..] => (format!("{}\n", rest.join(" ")), true),
        ["cat", files @ ..] if !files.is_empty() => {
            let mut out = String::new();
            let mut ok = true;
            for f in files {
                let l = locate(c, pod, container, f);
                match c.files.get(&l.store, &l.path) {
                    Some(Entry::File(text)) => out.push_str(&text),
                    Some(Entry::Dir) => {
                        out.push_str("cat: read error: Is a directory\n");
                        ok = false;
                    }
                    None if l.path == l.root => {
                        out.push_str("cat: read error: Is a directory\n");
                        ok = false;
                    }
                    Some(_) => {}
                    None => {
                        out.push_str(&format!(
                            "cat: can't open '{f}': No such file or directory\n"
                        ));
                        ok = false;
                    }
                }
            }
            (out, ok)
        }
        ["ls", rest @ ..] => {
            let paths: Vec<&str> = rest
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-'))
                .collect();
            let path = paths.first().copied().unwrap_or("/");
            let l = locate(c, pod, container, path);
            if !is_dir(c, &l) {
                return match c.files.get(&l.store, &l.path) {
                    Some(_) => (format!("{path}\n"), true),
                    None => (format!("ls: {path}: No such file or directory\n"), false),
                };
            }
            let prefix = if l.path == "/" {
                "/".to_string()
            } else {
                format!("{}/", l.path)
            };
            // A node lists its default directories even before anything is written.
            let fresh;
            let fs = match c.files.stores.get(&l.store) {
                Some(fs) => Some(fs),
                None if l.store.starts_with("node:") => {
                    fresh = node_fs();
                    Some(&fresh)
                }
                None => None,
            };
            let mut names: Vec<String> = fs
                .map(|fs| {
                    fs.keys()
                        .filter_map(|p| p.strip_prefix(&prefix))
                        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            // Mount points directly below show up as directories.
            let here = normalise(path);
            let here_prefix = if here == "/" {
                "/".to_string()
            } else {
                format!("{here}/")
            };
            for mp in mount_points(pod, container) {
                if let Some(rest) = mp.strip_prefix(&here_prefix) {
                    if !rest.is_empty() && !rest.contains('/') {
                        names.push(rest.to_string());
                    }
                }
            }
            names.sort_lean();
            names.dedup();
            (names.iter().map(|n| format!("{n}\n")).collect(), true)
        }
        ["touch", files @ ..] if !files.is_empty() => {
            for f in files {
                let l = locate(c, pod, container, f);
                if c.files.get(&l.store, &l.path).is_none() {
                    if let Err(e) = write(c, pod, container, f, "", true) {
                        return (
                            format!("{}\n", e.replacen("sh: can't create", "touch:", 1)),
                            false,
                        );
                    }
                }
            }
            (String::new(), true)
        }
        ["mkdir", rest @ ..] if !rest.is_empty() => {
            let parents = rest.contains(&"-p");
            for d in rest.iter().filter(|a| !a.starts_with('-')) {
                let l = locate(c, pod, container, d);
                if l.read_only {
                    return (
                        format!("mkdir: can't create directory '{d}': Read-only file system\n"),
                        false,
                    );
                }
                let exists = is_dir(c, &l);
                if exists && !parents {
                    return (
                        format!("mkdir: can't create directory '{d}': File exists\n"),
                        false,
                    );
                }
                let dir = Location {
                    path: parent(&l.path),
                    ..l.clone()
                };
                if !parents && !is_dir(c, &dir) {
                    return (
                        format!("mkdir: can't create directory '{d}': No such file or directory\n"),
                        false,
                    );
                }
                c.files.mkdir_p(&l.store, &l.path);
            }
            (String::new(), true)
        }
        ["rm", rest @ ..] if !rest.is_empty() => {
            let recursive = rest.iter().any(|a| a.starts_with('-') && a.contains('r'));
            let force = rest.iter().any(|a| a.starts_with('-') && a.contains('f'));
            for f in rest.iter().filter(|a| !a.starts_with('-')) {
                let l = locate(c, pod, container, f);
                if l.read_only {
                    return (
                        format!("rm: can't remove '{f}': Read-only file system\n"),
                        false,
                    );
                }
                match c.files.get(&l.store, &l.path) {
                    None if force => {}
                    None => {
                        return (
                            format!("rm: can't remove '{f}': No such file or directory\n"),
                            false,
                        )
                    }
                    Some(Entry::Dir) if !recursive => {
                        return (format!("rm: '{f}' is a directory\n"), false)
                    }
                    Some(_) if l.path == l.root => c.files.empty(&l.store, &l.path),
                    Some(_) => c.files.wipe(&l.store, &l.path),
                }
            }
            (String::new(), true)
        }
        [cmd, ..] => (
            format!(
                "sh: {cmd}: not simulated in kubeplay (echo, cat, ls, rm, touch and mkdir are)\n"
            ),
            false,
        ),
    };
    match redirect {
        Some((target, append)) if ok || !output.is_empty() => {
            match write(c, pod, container, target, &output, *append) {
                Ok(()) => (String::new(), ok),
                Err(e) => (format!("{e}\n"), false),
            }
        }
        _ => (output, ok),
    }
}

/// The kubelet's log file for a container on its node (`/var/log/containers/…`), which a
/// log collector (the seed's fluentd DaemonSet) reads through a hostPath.
pub fn container_log_path(pod: &Pod, container: &str) -> String {
    format!(
        "/var/log/containers/{}_{}_{container}-{}.log",
        pod.metadata.name,
        pod.metadata.namespace,
        pod.metadata.uid.replace('-', "")
    )
}

/// Drops what dies with pods: emptyDirs, scratch layers and container logs of pods that
/// are gone. Returns whether anything was removed.
pub fn collect_garbage(c: &mut Cluster) -> bool {
    let alive: std::collections::BTreeSet<String> = c
        .store
        .list("Pod", None)
        .map(|o| o.meta().uid.clone())
        .collect_set();
    let before = c.files.stores.len();
    c.files.stores.retain(|id, _| {
        let uid = id
            .strip_prefix("emptydir:")
            .or_else(|| id.strip_prefix("scratch:"))
            .and_then(|rest| rest.split(':').next());
        uid.is_none_or(|u| alive.contains(u))
    });
    let mut changed = before != c.files.stores.len();
    let alive_ids: std::collections::BTreeSet<String> =
        alive.iter().map(|u| u.replace('-', "")).collect_set();
    for (id, fs) in c.files.stores.iter_mut() {
        if !id.starts_with("node:") {
            continue;
        }
        let n = fs.len();
        fs.retain(|p, _| {
            p.strip_prefix("/var/log/containers/")
                .and_then(|f| f.strip_suffix(".log"))
                .and_then(|f| f.rsplit('-').next())
                .is_none_or(|id| alive_ids.contains(id))
        });
        changed |= n != fs.len();
    }
    changed
}
