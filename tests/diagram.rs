//! Diagrams: the layout of every gallery scenario (snapshots, no browser), layout
//! properties (no overlaps, edges end on their boxes) on random models, and what the
//! views show for the lessons: request paths, selection, claims, multi-attach, DNS walks.

mod common;

use expect_test::expect_file;
use kubeplay::engine::diagram::layout::{layout, Layout};
use kubeplay::engine::diagram::{self, render, Edge, Lane, Model, Node, State};
use kubeplay::engine::session::Session;
use kubeplay::engine::{scenario, SourceFile};

/// A gallery scenario's cluster after all its steps.
fn gallery_session(name: &str) -> Session {
    gallery_session_at(name, usize::MAX)
}

/// A gallery scenario's cluster after its first `steps` steps.
fn gallery_session_at(name: &str, steps: usize) -> Session {
    let text = kubeplay::GALLERY
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("in the gallery");
    let s = scenario::parse(name, text).expect("parses");
    let files = common::gallery_files();
    let mut session =
        Session::start(s.spec.seed.unwrap_or(1), &scenario::sources(&s, &files)).expect("settles");
    for f in files {
        session.add_file(f);
    }
    for step in s.spec.steps.iter().take(steps) {
        for _ in 0..step.repeat.unwrap_or(1) {
            session.run(&step.run);
        }
    }
    session
}

/// Boxes with positions and edges, one per line: what a layout snapshot compares.
fn dump(m: &Model, l: &Layout) -> String {
    let mut out = format!("{} {}x{}\n", m.title, l.width, l.height);
    for p in &l.boxes {
        let n = &m.nodes[p.node];
        out.push_str(&format!(
            "  {} @{},{} {} [{}]\n",
            n.id,
            p.x,
            p.y,
            n.state.name(),
            n.lines.join(" | ")
        ));
    }
    for e in &m.edges {
        out.push_str(&format!(
            "  {} -> {}{}{}{}\n",
            e.from,
            e.to,
            if e.label.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", e.label)
            },
            if e.dashed { " dashed" } else { "" },
            if e.path { " PATH" } else { "" }
        ));
    }
    out
}

/// Every box inside the canvas, no two overlapping, every edge starting and ending on
/// the outline of its boxes.
fn assert_well_formed(m: &Model, l: &Layout) {
    assert_eq!(l.boxes.len(), m.nodes.len(), "every box is placed");
    for (i, a) in l.boxes.iter().enumerate() {
        assert!(a.x >= 0 && a.y >= 0 && a.x + a.w <= l.width && a.y + a.h <= l.height);
        for b in &l.boxes[i + 1..] {
            assert!(
                !a.overlaps(b),
                "{} overlaps {}",
                m.nodes[a.node].id,
                m.nodes[b.node].id
            );
        }
    }
    for r in &l.edges {
        let e = &m.edges[r.edge];
        let from = m.nodes.iter().position(|n| n.id == e.from).unwrap();
        let to = m.nodes.iter().position(|n| n.id == e.to).unwrap();
        assert!(
            l.placed(from).unwrap().on_border(r.points[0]),
            "{} -> {} starts on its box",
            e.from,
            e.to
        );
        assert!(
            l.placed(to).unwrap().on_border(r.points[3]),
            "{} -> {} ends on its box",
            e.from,
            e.to
        );
    }
    assert_eq!(l.edges.len(), m.edges.len(), "every edge is routed");
}

#[test]
fn gallery_layouts_match_their_snapshots_and_are_well_formed() {
    for (name, _) in kubeplay::GALLERY
        .iter()
        .filter(|(n, _)| n.ends_with(".scenario.yaml"))
    {
        let session = gallery_session(name);
        let c = &session.cluster;
        let mut out = String::new();
        for m in [diagram::storage::build(c), diagram::network::build(c)] {
            let l = layout(&m);
            assert_well_formed(&m, &l);
            assert_eq!(l, layout(&m), "the layout is deterministic");
            out.push_str(&dump(&m, &l));
        }
        let stem = name.trim_end_matches(".scenario.yaml");
        expect_file![format!("snapshots/diagram/{stem}.txt")].assert_eq(&out);
    }
}

#[test]
fn every_scenario_in_www_examples_is_in_the_gallery() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/www/examples")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".scenario.yaml") {
            assert!(
                kubeplay::GALLERY.iter().any(|(n, _)| *n == name),
                "{name} is missing from kubeplay::GALLERY"
            );
        }
    }
}

#[test]
fn seed_example_network_layout_matches_its_snapshot() {
    let s = Session::start(
        1,
        &[SourceFile {
            name: "seed.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    )
    .unwrap();
    let m = diagram::network::build(&s.cluster);
    let l = layout(&m);
    assert_well_formed(&m, &l);
    expect_file!["snapshots/diagram/seed-example.txt"].assert_eq(&dump(&m, &l));
}

/// A small deterministic generator for random models.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn property_random_models_lay_out_without_overlaps_and_with_edges_on_their_boxes() {
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let lanes = 1 + rng.below(6);
        let nodes = rng.below(60);
        let mut m = Model {
            title: "random".into(),
            tiers: vec!["a", "b", "c", "d", "e", "f", "g", "h"],
            lanes: (0..lanes)
                .map(|i| Lane {
                    id: format!("l{i}"),
                    label: format!("lane {i}"),
                })
                .collect(),
            ..Model::default()
        };
        for i in 0..nodes {
            m.nodes.push(Node {
                id: format!("n{i}"),
                lane: rng.below(lanes),
                tier: rng.below(8),
                kind: "pod",
                label: format!("n{i}"),
                lines: vec![],
                state: State::Ok,
                title: String::new(),
            });
        }
        for _ in 0..rng.below(nodes * 2 + 1) {
            if nodes == 0 {
                break;
            }
            let (a, b) = (rng.below(nodes), rng.below(nodes));
            m.edges.push(Edge {
                from: format!("n{a}"),
                to: format!("n{b}"),
                label: String::new(),
                dashed: false,
                state: State::Neutral,
                title: String::new(),
                path: false,
            });
        }
        let l = layout(&m);
        assert_well_formed(&m, &l);
    }
}

const WEB: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: traefik/whoami, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30100}]
---
apiVersion: v1
kind: Service
metadata: {name: lonely}
spec:
  selector: {app: weeb}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: typo, labels: {app: wbe}}
spec:
  containers: [{name: web, image: traefik/whoami, ports: [{containerPort: 80}]}]
"#;

/// The name of one of the `web` Deployment's pods.
fn first_web_pod(s: &mut Session) -> String {
    s.run("kubectl get pods -l app=web -o name")
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("pod/")
        .to_string()
}

fn start(manifest: &str) -> Session {
    Session::start(
        1,
        &[SourceFile {
            name: "m.yaml".into(),
            text: manifest.into(),
        }],
    )
    .unwrap()
}

#[test]
fn rules_6_1_request_path_follows_nodeport_rules_and_counts_the_spread_over_pods() {
    let mut s = start(WEB);
    for _ in 0..6 {
        s.run("curl http://172.18.0.2:30100/");
    }
    let m = diagram::network::build(&s.cluster);
    let path = m.path.as_ref().expect("a request was sent");
    let ids: Vec<&str> = path.steps.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids[0], "client");
    assert_eq!(ids[1], "Node/kind-worker");
    assert_eq!(ids[2], "Service/default/web");
    assert!(ids[3].starts_with("EndpointSlice/default/web-"));
    assert!(ids[4].starts_with("Pod/default/web-"));
    assert!(
        path.steps[1].1[0].contains("KUBE-NODEPORTS"),
        "the node's hop names the chain: {:?}",
        path.steps[1]
    );
    assert_eq!(path.spread.values().sum::<usize>(), 6);
    assert!(
        path.spread.len() > 1,
        "six requests reach more than one pod"
    );
    let highlighted = m.edges.iter().filter(|e| e.path).count();
    assert_eq!(highlighted, 4, "one highlighted edge per hop");
    let svg = render::svg(&m, &layout(&m));
    assert!(svg.contains("kp-d-step") && svg.contains("kp-d-count"));
    let table = render::table(&m);
    assert!(table.contains("Request: curl 172.18.0.2:30100/ from client: answered by default/web-"));
    assert!(table.contains("(6 such requests so far)"));
}

#[test]
fn rules_5_3_selector_label_mismatch_and_not_ready_pods_are_dashed_with_why() {
    let mut s = start(WEB);
    let pod = first_web_pod(&mut s);
    s.run(&format!(
        "kubectl annotate pod {pod} kubeplay.io/ready=false --overwrite"
    ));
    let m = diagram::network::build(&s.cluster);
    // A Service that selects nothing shows the pods it nearly selects, and why not.
    let typo = m
        .edges
        .iter()
        .find(|e| e.from == "Service/default/lonely" && e.to == "Pod/default/typo")
        .expect("the near miss is drawn");
    assert!(typo.dashed);
    assert_eq!(typo.label, "label mismatch");
    assert!(
        typo.title.contains("app=weeb (pod has app=wbe)"),
        "{}",
        typo.title
    );
    // A Service that selects pods does not flag others that look alike.
    assert!(!m
        .edges
        .iter()
        .any(|e| e.from == "Service/default/web" && e.label == "label mismatch"));
    let unready = m
        .edges
        .iter()
        .find(|e| {
            e.from.starts_with("EndpointSlice/default/web-") && e.to == format!("Pod/default/{pod}")
        })
        .unwrap();
    assert!(unready.dashed, "{unready:?}");
    assert!(unready.title.contains("not ready"));
}

#[test]
fn rules_8_3_ingress_request_path_goes_through_the_controller_and_the_rule() {
    let s = gallery_session("ingress.scenario.yaml");
    let m = diagram::network::build(&s.cluster);
    assert!(m.nodes.iter().any(|n| n.id.starts_with("Ingress/")));
    assert!(m
        .nodes
        .iter()
        .any(|n| n.label == "ingress-nginx controller" && n.tier == 3));
    assert!(m
        .edges
        .iter()
        .any(|e| e.from.starts_with("Ingress/") && e.to.starts_with("Service/")));
}

#[test]
fn rules_8_2_ingress_request_path_numbers_the_rule_hop() {
    let mut s = gallery_session("ingress.scenario.yaml");
    let out = s.run("curl -H 'Host: shop.example.com' http://172.18.0.2:30080/");
    let m = diagram::network::build(&s.cluster);
    let path = m.path.as_ref().unwrap();
    let ids: Vec<&str> = path.steps.iter().map(|(id, _)| id.as_str()).collect();
    if out.contains("Hostname:") {
        assert!(ids.iter().any(|i| i.starts_with("Ingress/")), "{ids:?}");
        assert!(ids.last().unwrap().starts_with("Pod/"));
    } else {
        // No rule for that host: the controller answers from its default backend.
        assert!(
            ids.last().unwrap().starts_with("Pod/ingress-nginx/"),
            "{ids:?}"
        );
        assert!(path
            .steps
            .last()
            .unwrap()
            .1
            .iter()
            .any(|h| h.contains("404")));
    }
}

#[test]
fn rules_2_2_and_3_storage_view_explains_pending_claims_and_multi_attach() {
    let s = gallery_session("static-pv.scenario.yaml");
    let m = diagram::storage::build(&s.cluster);
    let pending: Vec<&Node> = m
        .nodes
        .iter()
        .filter(|n| n.kind == "pvc" && n.state == State::Pending)
        .collect();
    assert!(!pending.is_empty());
    assert!(
        pending[0].title.contains("Pending"),
        "the hover text is the binder's verdict: {}",
        pending[0].title
    );
    assert!(m.nodes.iter().any(|n| n.kind == "pv"
        && n.lines
            .iter()
            .any(|l| l.contains("Retain") || l.contains("Delete"))));

    let mut s = start(
        r#"
apiVersion: v1
kind: PersistentVolume
metadata: {name: disk}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: disk}
spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  nodeName: kind-worker
  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: disk}}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  nodeName: kind-worker2
  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: disk}}]
"#,
    );
    s.run("kubectl get pods");
    let m = diagram::storage::build(&s.cluster);
    let b = m.node("Pod/default/b").unwrap();
    assert_eq!(b.state, State::Error);
    let e = m.edges.iter().find(|e| e.from == "Pod/default/b").unwrap();
    assert_eq!(e.label, "Multi-Attach error");
    assert!(
        m.node("ext/csi://vol-1").is_some(),
        "the disk lives outside the nodes"
    );
}

#[test]
fn rules_4_storage_view_puts_emptydir_in_the_pod_and_hostpath_on_the_node() {
    let s = gallery_session("efk.scenario.yaml");
    let m = diagram::storage::build(&s.cluster);
    let disk = m
        .nodes
        .iter()
        .find(|n| n.id.starts_with("disk/kind-worker/var/log"))
        .expect("fluentd's hostPath is on its node");
    assert_eq!(m.lanes[disk.lane].id, "Node/kind-worker");
    let s = gallery_session_at("emptydir.scenario.yaml", 2);
    let m = diagram::storage::build(&s.cluster);
    let vol = m
        .nodes
        .iter()
        .find(|n| n.label.starts_with("emptyDir "))
        .expect("the emptyDir is drawn");
    assert!(vol.lines[0].starts_with("in the pod"));
}

#[test]
fn rules_7_3_dns_view_draws_each_query_of_the_search_walk() {
    let mut s = start(WEB);
    let pod = first_web_pod(&mut s);
    s.run(&format!("kubectl exec {pod} -- nslookup example.com"));
    let seq = diagram::dns::build(&s.cluster, None);
    let asked: Vec<&str> = seq
        .messages
        .iter()
        .filter(|m| m.from == 0)
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(
        asked,
        [
            "A? example.com.default.svc.cluster.local",
            "A? example.com.svc.cluster.local",
            "A? example.com.cluster.local",
            "A? example.com"
        ]
    );
    assert_eq!(seq.messages[1].text, "NXDOMAIN");
    let table = render::sequence_table(&seq);
    assert!(table.contains("4 queries for one name."), "{table}");
    let mermaid = render::sequence_mermaid(&seq);
    assert!(mermaid.starts_with("sequenceDiagram\n  participant P0 as pod web-"));
    assert!(mermaid.contains("P1-->>P0: NXDOMAIN"));
    let out = s.run("diagram dns -n default typo web");
    assert!(out.contains("A? web.default.svc.cluster.local"), "{out}");
}

#[test]
fn svg_is_self_contained_and_escapes_text() {
    let mut m = Model {
        title: "T <&>".into(),
        tiers: vec!["a"],
        lanes: vec![Lane {
            id: "l".into(),
            label: "<script>alert(1)</script>".into(),
        }],
        ..Model::default()
    };
    m.nodes.push(Node {
        id: "x\"y".into(),
        lane: 0,
        tier: 0,
        kind: "pod",
        label: "<img src=x onerror=alert(1)>".into(),
        lines: vec!["javascript:alert(1)".into()],
        state: State::Ok,
        title: "a & b".into(),
    });
    let svg = render::svg(&m, &layout(&m));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<style>") && svg.ends_with("</svg>"));
    assert!(!svg.contains("<script>") && !svg.contains("<img"));
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;") || svg.contains("&lt;img"));
    assert!(svg.contains("data-id=\"x&quot;y\""));
    // Tags balance: every element opened is closed.
    let opens = svg.matches("<g").count();
    let closes = svg.matches("</g>").count();
    assert_eq!(opens, closes);
}

#[test]
fn mermaid_export_declares_every_node_it_links() {
    let s = gallery_session("static-pv.scenario.yaml");
    for m in [
        diagram::storage::build(&s.cluster),
        diagram::network::build(&s.cluster),
    ] {
        let text = render::mermaid(&m);
        assert!(text.contains("\nflowchart LR\n"), "{text}");
        let declared: std::collections::BTreeSet<String> = text
            .lines()
            .filter_map(|l| l.trim().split_once("[\"").map(|(id, _)| id.to_string()))
            .filter(|id| id.starts_with('n'))
            .collect();
        for line in text
            .lines()
            .filter(|l| l.contains("-->") || l.contains("-.->"))
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (a, b) = (words[0], words[words.len() - 1]);
            assert!(declared.contains(a) && declared.contains(b), "{line}");
        }
        let subgraphs = text.matches("subgraph ").count();
        assert_eq!(subgraphs, text.matches("\n  end").count());
    }
}

#[test]
fn diagram_command_reports_bad_usage() {
    let mut s = start(WEB);
    assert!(s.run("diagram").starts_with("error: usage: diagram"));
    assert!(s
        .run("diagram storage -o png")
        .contains("unknown output format \"png\""));
    assert!(s.run("diagram network -o mermaid").contains("flowchart LR"));
}
