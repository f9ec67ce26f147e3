//! Benchmark (not a test): prints how long reading and checking generated manifests takes.
//! Run with `cargo run --release --example bench [-- OBJECTS...]` (default 1000 10000).
//! Also writes the 10,000-object manifest to target/bench-10000.yaml so the CLI itself can
//! be timed: `time target/release/kubeplay check target/bench-10000.yaml`.

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

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
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
