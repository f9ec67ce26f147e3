//! Benchmarks (not tests): figures printed, never asserted.
//!
//! `cargo run --release --example bench [-- check OBJECTS...]` — how long reading and
//! checking generated manifests takes (default 1000 10000). Also writes the
//! 10,000-object manifest to target/bench-10000.yaml so the CLI itself can be timed:
//! `time target/release/kubeplay check target/bench-10000.yaml`.
//!
//! `cargo run --release --example bench -- dispatch [REQUESTS]` — requests per second
//! through a 100-Service, 1,000-pod cluster (default 10,000 requests).
//!
//! `cargo run --release --example bench -- rules [SERVICES...]` — time to regenerate the
//! iptables rules after one endpoint changes, for 1k and 10k services.
//!
//! `cargo run --release --example bench -- cluster [OBJECTS...]` — apply + reconcile time
//! and peak memory for simulated clusters of 1k, 10k and 100k objects (each size in its own
//! process, so the peak is that size's).
//!
//! `cargo run --release --example bench -- worker [OBJECTS]` — what the worker does for
//! the browser bench's manifest (scripts/bench-browser.mjs, default 10,000 objects), by
//! phase: read and check, apply, reconcile, and the whole message in and answer out.

use std::time::Instant;

use kubeplay::engine::{parse, SourceFile};

/// A realistic mix: a Deployment, a Service, a ConfigMap and a Pod with a volume, repeated.
fn manifest(objects: usize) -> String {
    let mut out = String::with_capacity(objects * 300);
    for i in 0..objects {
        let doc = match i % 4 {
            0 => format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  labels: {{app: app-{i}}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n"),
            1 => format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector: {{app: app-{}}}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 80\n", i - 1),
            2 => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  key: value-{i}\n"),
            _ => format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    volumeMounts:\n    - {{name: cache, mountPath: /cache}}\n  volumes:\n  - name: cache\n    emptyDir: {{}}\n"),
        };
        out.push_str("---\n");
        out.push_str(&doc);
    }
    out
}

/// A cluster of about `objects` stored objects: per 10, one Deployment of 3 replicas
/// (which makes a ReplicaSet and 3 Pods), one Service and 4 bare Pods; one Node per 80
/// pods (the kubelet's default limit is 110 pods per node).
fn cluster_objects(objects: usize) -> Vec<kubeplay::engine::manifest::ParsedObject> {
    let units = (objects / 10).max(1);
    // A pod network big enough for every node's /24 (kind's default /16 has room for 256
    // nodes; the 100k-object cluster has 875).
    let mut text = String::from(
        "---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking: {podSubnet: 10.0.0.0/8}\n",
    );
    for n in 0..(units * 7).div_ceil(80) {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\n"
        ));
    }
    for i in 0..units {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}, namespace: ns-{}}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n      containers: [{{name: web, image: nginx, ports: [{{containerPort: 80}}]}}]\n", i % 20));
        text.push_str(&format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: ns-{}}}\nspec:\n  selector: {{app: app-{i}}}\n  ports: [{{port: 80}}]\n", i % 20));
        for j in 0..4 {
            text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: pod-{i}-{j}, namespace: ns-{}}}\nspec:\n  containers: [{{name: c, image: busybox}}]\n", i % 20));
        }
    }
    // Parsed in chunks: the reader's limits are per input, and this is generated, not pasted.
    text.split("---\n")
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .chunks(5_000)
        .flat_map(|chunk| {
            let files = [SourceFile {
                name: "bench.yaml".into(),
                text: chunk.join("---\n"),
            }];
            parse(&files).objects
        })
        .collect()
}

/// Peak resident memory of this process, in MiB (Linux `VmHWM`).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn cluster_one(objects: usize) {
    let input = cluster_objects(objects);
    let t = Instant::now();
    let mut c = kubeplay::engine::cluster::Cluster::new(1);
    c.bootstrap(&input);
    kubeplay::engine::kubectl::apply(&mut c, &input);
    let applied = t.elapsed().as_secs_f64() * 1000.0;
    c.reconcile().expect("settles");
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{:>8} {:>10} {:>12} {:>10.1} {:>12.1} {:>14.1} {:>12.1}",
        objects,
        input.len(),
        c.store.len(),
        applied,
        ms - applied,
        ms,
        peak_mib()
    );
}

fn cluster(sizes: &[usize]) {
    println!(
        "{:>8} {:>10} {:>12} {:>10} {:>12} {:>14} {:>12}",
        "target", "input", "stored", "apply ms", "reconcile ms", "apply+rec ms", "peak MiB"
    );
    let exe = std::env::current_exe().expect("own path");
    for n in sizes {
        let status = std::process::Command::new(&exe)
            .args(["cluster-one", &n.to_string()])
            .status()
            .expect("run one size");
        if !status.success() {
            println!("{n}: failed ({status})");
        }
    }
}

/// Dispatches `requests` connections through a 100-Service, 1,000-pod cluster (NodePort
/// from outside, round the nodes) and prints the rate.
fn dispatch(requests: usize) {
    let mut text = String::new();
    for n in 0..10 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\n"
        ));
    }
    for i in 0..100 {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}}}\nspec:\n  replicas: 10\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec: {{containers: [{{name: web, image: nginx, ports: [{{containerPort: 80}}]}}]}}\n"));
        text.push_str(&format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}}}\nspec: {{type: NodePort, selector: {{app: app-{i}}}, ports: [{{port: 80, nodePort: {}}}]}}\n", 30100 + i));
    }
    let files = [SourceFile {
        name: "bench.yaml".into(),
        text,
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).expect("settles");
    let nodes: Vec<String> = (0..10).map(|n| format!("172.18.0.{}", n + 2)).collect();
    let t = Instant::now();
    let mut answered = 0usize;
    for r in 0..requests {
        let trace = kubeplay::engine::dispatch::connect(
            &mut s.cluster,
            &kubeplay::engine::dispatch::Client::Outside,
            &nodes[r % nodes.len()],
            30100 + (r % 100) as i32,
        );
        if matches!(
            trace.outcome,
            kubeplay::engine::dispatch::Outcome::Answered { .. }
        ) {
            answered += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{requests} requests through 100 services / 1000 pods: {:.3} s, {:.0} requests/s, {answered} answered",
        secs,
        requests as f64 / secs
    );
}

/// Regenerates kube-proxy's iptables rules for clusters of `services` selector-less
/// Services with two endpoints each, before and after one endpoint changes.
fn rules(sizes: &[usize]) {
    println!(
        "{:>9} {:>12} {:>16} {:>14}",
        "services", "rules lines", "first save ms", "after change ms"
    );
    for &n in sizes {
        let docs: Vec<String> = (0..n)
            .flat_map(|i| {
                [
                    format!("apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}}}\nspec: {{ports: [{{name: http, port: 80}}]}}\n"),
                    format!("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: svc-{i}-a, labels: {{kubernetes.io/service-name: svc-{i}}}}}\naddressType: IPv4\nports: [{{name: http, port: 8080}}]\nendpoints: [{{addresses: [10.{}.{}.1], conditions: {{ready: true}}}}, {{addresses: [10.{}.{}.2], conditions: {{ready: true}}}}]\n", 100 + i / 65536, (i / 256) % 256, 100 + i / 65536, (i / 256) % 256),
                ]
            })
            .collect();
        let mut c = cluster_of(&docs);
        c.reconcile().expect("settles");
        let t = Instant::now();
        let first = kubeplay::engine::kube_proxy::iptables::save(&c, "kind-worker", true);
        let first_ms = t.elapsed().as_secs_f64() * 1000.0;
        // One endpoint changes: the second address of the first service moves.
        let slice = c
            .store
            .get(&kubeplay::engine::store::Key::new(
                "EndpointSlice",
                "default",
                "svc-0-a",
            ))
            .cloned()
            .expect("slice");
        let mut slice = match slice {
            kubeplay::engine::manifest::Object::EndpointSlice(s) => s,
            _ => unreachable!(),
        };
        slice.endpoints[1].addresses = vec!["10.250.0.9".into()];
        c.put(kubeplay::engine::manifest::Object::EndpointSlice(slice));
        let t = Instant::now();
        let second = kubeplay::engine::kube_proxy::iptables::save(&c, "kind-worker", true);
        let change_ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_ne!(first, second);
        println!(
            "{:>9} {:>12} {:>16.1} {:>14.1}",
            n,
            second.lines().count(),
            first_ms,
            change_ms
        );
    }
}

/// Resolves `lookups` names through a pod's resolver against a cluster of `services`
/// Services: short names (the search walk finds them in the pod's namespace), names in
/// another namespace, fully qualified names and misses, in turn.
fn dns(services: usize, lookups: usize) {
    use kubeplay::engine::resolver::{resolve, Libc, ResolvConf};
    let docs: Vec<String> = (0..services)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: {}}}\nspec: {{ports: [{{port: 80}}]}}\n",
                if i % 2 == 0 { "default" } else { "other" }
            )
        })
        .chain(std::iter::once(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n".to_string(),
        ))
        .collect();
    let mut c = cluster_of(&docs);
    c.reconcile().expect("settles");
    let conf = ResolvConf {
        searches: vec![
            "default.svc.cluster.local".into(),
            "svc.cluster.local".into(),
            "cluster.local".into(),
        ],
        nameservers: vec!["10.96.0.10".into()],
        options: vec![("ndots".into(), Some("5".into()))],
    };
    let names: Vec<String> = (0..1000)
        .map(|i| match i % 4 {
            0 => format!("svc-{}", (i * 2) % services),
            1 => format!("svc-{}.other", (i * 2 + 1) % services),
            2 => format!("svc-{}.default.svc.cluster.local.", (i * 2) % services),
            _ => format!("nosuch-{i}"),
        })
        .collect();
    let t = Instant::now();
    let (mut found, mut queries) = (0usize, 0usize);
    for i in 0..lookups {
        let name = &names[i % names.len()];
        queries += conf.candidates_for(name, Libc::Glibc).len();
        if resolve(&c, &conf, name, Libc::Glibc).is_some() {
            found += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{lookups} lookups against {services} services: {secs:.3} s, {:.0} lookups/s ({found} resolved; at most {queries} queries)",
        lookups as f64 / secs
    );
}

/// Binds `n` claims against `n` PersistentVolumes (static, no class, mixed sizes and
/// access modes): the whole reconcile after applying them, per size.
fn storage(sizes: &[usize]) {
    println!("{:>8} {:>14} {:>12}", "claims", "reconcile ms", "bound");
    for &n in sizes {
        let docs: Vec<String> = (0..n)
            .flat_map(|i| {
                let modes = if i % 3 == 0 { "[ReadWriteOnce, ReadWriteMany]" } else { "[ReadWriteOnce]" };
                [
                    format!("apiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv-{i}}}\nspec: {{capacity: {{storage: {}Gi}}, accessModes: {modes}, nfs: {{server: nfs, path: /e/{i}}}}}\n", 1 + i % 100),
                    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-{i}}}\nspec: {{storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {{requests: {{storage: {}Gi}}}}}}\n", 1 + (i * 7) % 100),
                ]
            })
            .collect();
        let mut c = cluster_of(&docs);
        let t = Instant::now();
        c.reconcile().expect("settles");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let bound = c
            .store
            .list("PersistentVolumeClaim", None)
            .filter(|o| matches!(o, kubeplay::engine::manifest::Object::PersistentVolumeClaim(p) if !p.spec.volume_name.is_empty()))
            .count();
        println!("{n:>8} {ms:>14.1} {bound:>12}");
    }
}

/// Parses generated documents (in chunks, under the input limits) and applies them to a
/// fresh default cluster, not yet reconciled.
fn cluster_of(docs: &[String]) -> kubeplay::engine::cluster::Cluster {
    let objects: Vec<_> = docs
        .chunks(5_000)
        .flat_map(|chunk| {
            parse(&[SourceFile {
                name: "bench.yaml".into(),
                text: chunk.join("---\n"),
            }])
            .objects
        })
        .collect();
    let mut c = kubeplay::engine::cluster::Cluster::new(1);
    c.bootstrap(&objects);
    kubeplay::engine::kubectl::apply(&mut c, &objects);
    c
}

/// Builds, lays out and draws the network and storage views of clusters of about `n`
/// objects (the `cluster` bench's mix), per size.
fn diagram(sizes: &[usize]) {
    use kubeplay::engine::diagram::{layout::layout, network, render, storage};
    println!(
        "{:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "target", "view", "boxes", "edges", "model ms", "layout ms", "svg ms", "svg KiB"
    );
    for &n in sizes {
        let input = cluster_objects(n);
        let mut c = kubeplay::engine::cluster::Cluster::new(1);
        c.bootstrap(&input);
        kubeplay::engine::kubectl::apply(&mut c, &input);
        c.reconcile().expect("settles");
        for view in ["network", "storage"] {
            let t = Instant::now();
            let m = if view == "network" {
                network::build(&c)
            } else {
                storage::build(&c)
            };
            let model_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let l = layout(&m);
            let layout_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let svg = render::svg(&m, &l);
            let svg_ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{:>8} {:>8} {:>8} {:>8} {:>10.1} {:>10.1} {:>10.1} {:>10}",
                n,
                view,
                m.nodes.len(),
                m.edges.len(),
                model_ms,
                layout_ms,
                svg_ms,
                svg.len() / 1024
            );
        }
    }
}

/// Hostile inputs: how long each takes to be refused (or read), and the first diagnostic.
fn hostile() {
    let laughs = {
        let mut t = String::from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [lol]\n",
        );
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            t.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
        }
        t
    };
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let big = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata: {{k: \"{}\"}}\n",
        "x".repeat(10 * 1024 * 1024)
    );
    let docs = "---\na: 1\n".repeat(100_000);
    let long_string = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: s}}\ndata: {{k: \"{}\"}}\n",
        "y".repeat(1024 * 1024)
    );
    let long_key = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: s}}\ndata: {{{}: v}}\n",
        "k".repeat(100_000)
    );
    let nul =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"a\\0b\"}\ndata: {k: \"\0\0\0\"}\n"
            .to_string();
    let long_name = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {}}}\n",
        "p".repeat(100_000)
    );
    let steps = format!(
        "kubeplay: scenario/v1\ntitle: {{en: many}}\nmanifests: [{{name: a.yaml, inline: \"apiVersion: v1\\nkind: ConfigMap\\nmetadata: {{name: a}}\\n\"}}]\nsteps:\n{}",
        "  - run: kubectl get cm\n".repeat(10_000)
    );
    println!(
        "{:<34} {:>10} {:>9}  first diagnostic",
        "input", "bytes", "ms"
    );
    let cases: Vec<(&str, String)> = vec![
        ("billion laughs (9^11 aliases)", laughs),
        ("10 MB document", big),
        ("10,000-deep nesting", deep),
        ("100,000 documents", docs),
        ("1 MB string", long_string),
        ("100,000-character key", long_key),
        ("NUL bytes", nul),
        ("100,000-character name", long_name),
    ];
    for (what, text) in cases {
        let t = Instant::now();
        let files = [SourceFile {
            name: "h.yaml".into(),
            text: text.clone(),
        }];
        let parsed = parse(&files);
        let first = parsed.diagnostics.first().map_or_else(
            || format!("read {} objects", parsed.objects.len()),
            |d| d.to_string(),
        );
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "{what:<34} {:>10} {ms:>9.1}  {}",
            text.len(),
            first.chars().take(110).collect::<String>()
        );
    }
    let t = Instant::now();
    let outcome = match kubeplay::engine::scenario::parse("many.scenario.yaml", &steps) {
        Ok(s) => {
            let report = kubeplay::engine::scenario::run(&s, &[]);
            format!("ran {} steps", report.steps.len())
        }
        Err(d) => d.first().map(|d| d.to_string()).unwrap_or_default(),
    };
    println!(
        "{:<34} {:>10} {:>9.1}  {outcome}",
        "scenario with 10,000 steps",
        steps.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let bad =
        String::from_utf8(vec![b'a', 0xff, 0xfe, b'b']).map_err(|e| e.utf8_error().valid_up_to());
    println!("{:<34} {:>10} {:>9.1}  {:?} (the CLI says: not UTF-8 text (invalid byte at offset 1); a browser's text is always UTF-8)", "invalid UTF-8", 4, t.elapsed().as_secs_f64() * 1000.0, bad);
    println!("peak memory: {:.0} MiB", peak_mib());
}

/// The manifest scripts/bench-browser.mjs applies in the worker: per 10 objects, a
/// Deployment of 3 replicas, its NodePort Service and 4 pods, in 20 namespaces.
fn browser_manifest(objects: usize) -> String {
    let mut text = String::new();
    for i in 0..(objects / 10).max(1) {
        let ns = format!("ns-{}", i % 20);
        if i < 20 {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n"
            ));
        }
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}, namespace: {ns}}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n      containers: [{{name: web, image: nginx, ports: [{{containerPort: 80}}]}}]\n"));
        text.push_str(&format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: {ns}}}\nspec:\n  type: NodePort\n  selector: {{app: app-{i}}}\n  ports: [{{port: 80}}]\n"));
        for j in 0..4 {
            text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: pod-{i}-{j}, namespace: {ns}, labels: {{app: app-{i}}}}}\nspec:\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: 80}}]}}]\n"));
        }
    }
    text
}

/// The worker's work for one Apply of the browser bench's manifest, by phase (medians of 5).
fn worker(objects: usize) {
    let files = vec![SourceFile {
        name: "manifest.yaml".into(),
        text: browser_manifest(objects),
    }];
    let request =
        serde_json::json!({"type": "Apply", "id": 1, "seed": 1, "files": files}).to_string();
    let mut phases: [Vec<f64>; 5] = Default::default();
    for _ in 0..5 {
        let t = Instant::now();
        let parsed = parse(&files);
        let read = t.elapsed();
        let mut c = kubeplay::engine::cluster::Cluster::new(1);
        c.bootstrap(&parsed.objects);
        kubeplay::engine::kubectl::apply(&mut c, &parsed.objects);
        let applied = t.elapsed();
        c.reconcile().expect("settles");
        let reconciled = t.elapsed();
        let mut service = kubeplay::protocol::EngineService::default();
        let t = Instant::now();
        let answer = service.handle_text(&request);
        let whole = t.elapsed();
        assert!(
            answer.contains("\"Applied\""),
            "{}",
            &answer[..200.min(answer.len())]
        );
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        for (v, x) in phases.iter_mut().zip([
            ms(read),
            ms(applied - read),
            ms(reconciled - applied),
            ms(whole),
            answer.len() as f64 / 1000.0,
        ]) {
            v.push(x);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [read, apply, reconcile, whole, answer] = &mut phases;
    println!(
        "{objects} objects ({} KB of YAML): read and check {:.1} ms, apply {:.1} ms, reconcile {:.1} ms; whole Apply message (JSON in, answer out, {:.0} KB) {:.1} ms",
        files[0].text.len() / 1000,
        median(read),
        median(apply),
        median(reconcile),
        median(answer),
        median(whole)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    match args.first().map(String::as_str) {
        Some("cluster-one") => return cluster_one(numbers[0]),
        Some("worker") => return worker(numbers.first().copied().unwrap_or(10_000)),
        Some("dispatch") => return dispatch(numbers.first().copied().unwrap_or(10_000)),
        Some("storage") => {
            let sizes = if numbers.is_empty() {
                vec![1_000, 10_000]
            } else {
                numbers
            };
            return storage(&sizes);
        }
        Some("dns") => {
            return dns(
                numbers.first().copied().unwrap_or(10_000),
                numbers.get(1).copied().unwrap_or(1_000_000),
            )
        }
        Some("rules") => {
            let sizes = if numbers.is_empty() {
                vec![1_000, 10_000]
            } else {
                numbers
            };
            return rules(&sizes);
        }
        Some("hostile") => return hostile(),
        Some("diagram") => {
            let sizes = if numbers.is_empty() {
                vec![100, 1_000, 5_000]
            } else {
                numbers
            };
            return diagram(&sizes);
        }
        Some("cluster") => {
            let sizes = if numbers.is_empty() {
                vec![1_000, 10_000, 100_000]
            } else {
                numbers
            };
            return cluster(&sizes);
        }
        _ => {}
    }
    let sizes = numbers;
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>10}",
        "objects", "bytes", "best ms", "median ms", "objs/s"
    );
    for n in sizes {
        let text = manifest(n);
        if n == 10_000 {
            let _ = std::fs::create_dir_all("target");
            let _ = std::fs::write("target/bench-10000.yaml", &text);
        }
        let files = [SourceFile {
            name: "bench.yaml".into(),
            text: text.clone(),
        }];
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let parsed = parse(&files);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(parsed.objects.len(), n, "{:?}", parsed.diagnostics.first());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:>8} {:>10} {:>12.1} {:>12.1} {:>10.0}",
            n,
            text.len(),
            times[0],
            times[2],
            n as f64 / (times[2] / 1000.0)
        );
    }
}
