//! Request dispatch (RULES.md §6.1 "Behaviour", the seed deck's NodePort example): curl
//! from outside and from pods, following kube-proxy's rules to a pod that answers.

mod common;

use std::collections::BTreeSet;

use common::session;
use kubeplay::engine::session::Session;
use kubeplay::engine::SourceFile;

fn start(manifest: &str) -> Session {
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: manifest.into(),
    }];
    let s = Session::start(1, &files).expect("settles");
    assert!(!s.has_errors(), "{:?}", s.diagnostics);
    s
}

fn hostname(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("Hostname: "))
        .unwrap_or_else(|| panic!("no answer: {out}"))
        .to_string()
}

#[test]
fn seed_nodeport_answers_on_every_node_and_spreads_over_all_pods() {
    let mut s = start(kubeplay::SEED_EXAMPLE);
    let pods: BTreeSet<String> = s
        .run("kubectl get pods -o name")
        .lines()
        .map(|p| p.trim_start_matches("pod/").to_string())
        .collect();
    assert_eq!(pods.len(), 3);
    let mut seen = BTreeSet::new();
    for node_ip in ["172.18.0.2", "172.18.0.3", "172.18.0.4"] {
        for _ in 0..20 {
            let out = s.run(&format!("curl http://{node_ip}:30080/"));
            assert!(out.contains(&format!("Host: {node_ip}:30080")), "{out}");
            // externalTrafficPolicy Cluster: the pod sees the node's address.
            assert!(out.contains(&format!("RemoteAddr: {node_ip}:")), "{out}");
            seen.insert(hostname(&out));
        }
    }
    assert_eq!(seen, pods, "every pod answers some of the 60 requests");
}

#[test]
fn cluster_ip_from_a_pod_by_name_and_address_and_ping_fails_on_the_virtual_ip() {
    let mut s = start(kubeplay::SEED_EXAMPLE);
    let pod = s
        .run("kubectl get pods -o name")
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    let by_name = s.run(&format!(
        "kubectl exec {pod} -- curl -s http://httpd-deployment/"
    ));
    assert!(
        by_name.starts_with("Hostname: httpd-deployment-"),
        "{by_name}"
    );
    assert!(by_name.contains("Host: httpd-deployment\n"), "{by_name}");
    let by_ns = s.run(&format!(
        "kubectl exec {pod} -- curl httpd-deployment.default"
    ));
    assert!(by_ns.starts_with("Hostname: "), "{by_ns}");
    let svc: serde_json::Value =
        serde_json::from_str(&s.run("kubectl get svc httpd-deployment -o json")).unwrap();
    let ip = svc["spec"]["clusterIP"].as_str().unwrap().to_string();
    let ping = s.run(&format!("kubectl exec {pod} -- ping -c 2 {ip}"));
    assert!(
        ping.ends_with("2 packets transmitted, 0 packets received, 100% packet loss"),
        "{ping}"
    );
    let pod_ip: serde_json::Value =
        serde_json::from_str(&s.run(&format!("kubectl get pod {pod} -o json"))).unwrap();
    let pod_ip = pod_ip["status"]["podIP"].as_str().unwrap().to_string();
    let other = s
        .run("kubectl get pods -o name")
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    let ping_pod = s.run(&format!("kubectl exec {other} -- ping -c 1 {pod_ip}"));
    assert!(
        ping_pod.contains("1 packets transmitted, 1 packets received, 0% packet loss"),
        "{ping_pod}"
    );
    // From outside, the cluster IP is not routable at all.
    assert_eq!(
        s.run(&format!("curl {ip}")),
        format!("curl: (28) Failed to connect to {ip} port 80 after 130000 ms: Couldn't connect to server")
    );
    assert_eq!(
        s.run("curl http://nosuch/"),
        "curl: (6) Could not resolve host: nosuch"
    );
}

#[test]
fn refusals_no_endpoints_and_closed_ports() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: wrong-port}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30001}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec: {type: NodePort, selector: {app: nobody}, ports: [{port: 80, nodePort: 30002}]}\n";
    let out = session(
        manifest,
        &[
            "curl 172.18.0.2:30001",
            "curl 172.18.0.2:30002",
            "curl -v 172.18.0.2:30002",
        ],
    );
    assert!(out.contains("$ curl 172.18.0.2:30001\ncurl: (7) Failed to connect to 172.18.0.2 port 30001 after 0 ms: Couldn't connect to server"), "{out}");
    assert!(out.contains("$ curl 172.18.0.2:30002\ncurl: (7) Failed to connect to 172.18.0.2 port 30002 after 0 ms: Couldn't connect to server"), "{out}");
    assert!(
        out.contains("\"default/empty has no endpoints\" -j REJECT"),
        "the trace names the rule: {out}"
    );
}

#[test]
fn local_traffic_policy_serves_only_on_nodes_with_an_endpoint() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: only, labels: {app: web}}\nspec: {nodeName: kind-worker2, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: local}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, nodePort: 30111}]}\n";
    let mut s = start(manifest);
    let served = s.run("curl 172.18.0.3:30111");
    assert_eq!(hostname(&served), "only");
    assert!(
        served.contains("RemoteAddr: 172.18.0.1:"),
        "Local keeps the client address: {served}"
    );
    assert_eq!(
        s.run("curl 172.18.0.2:30111"),
        "curl: (28) Failed to connect to 172.18.0.2 port 30111 after 130000 ms: Couldn't connect to server"
    );
}

#[test]
fn client_ip_affinity_keeps_the_same_pod() {
    let manifest = kubeplay::SEED_EXAMPLE.replace(
        "  type: NodePort\n",
        "  type: NodePort\n  sessionAffinity: ClientIP\n",
    );
    let mut s = start(&manifest);
    let first = hostname(&s.run("curl 172.18.0.2:30080"));
    for node_ip in ["172.18.0.2", "172.18.0.2", "172.18.0.2"] {
        assert_eq!(hostname(&s.run(&format!("curl {node_ip}:30080"))), first);
    }
}
