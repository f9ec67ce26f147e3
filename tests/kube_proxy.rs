//! kube-proxy's iptables mode (RULES.md §6.1): the nat table as `iptables-save` prints it.

mod common;

use common::session;

/// RULES.md §6.1's example, reproduced with selector-less Services and the EndpointSlices
/// that give them exactly the example's endpoints.
const EXAMPLE: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: 10.96.45.10, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- {addresses: [10.244.1.5], conditions: {ready: true}, nodeName: kind-worker}
- {addresses: [10.244.2.7], conditions: {ready: true}, nodeName: kind-worker2}
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec: {type: NodePort, clusterIP: 10.96.200.20, ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-np-abc, labels: {kubernetes.io/service-name: web-np}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- {addresses: [10.244.1.6], conditions: {ready: true}, nodeName: kind-worker}
";

/// The example's lines (RULES.md §6.1, `iptables-save -t nat` on a kind worker).
const GOLDEN: &str = r#"*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-2262UYG6EQJDKK3I - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-SEP-2RIJ5GIYXEFH6G4D - [0:0]
:KUBE-SEP-4OI5LYBPLHVU4IU3 - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-2262UYG6EQJDKK3I - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-2262UYG6EQJDKK3I -m comment --comment "masquerade traffic for default/web-np:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-2262UYG6EQJDKK3I -j KUBE-SVC-2262UYG6EQJDKK3I
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment default/web-np:http -m tcp --dport 30080 -j KUBE-EXT-2262UYG6EQJDKK3I
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -s 10.244.2.7/32 -m comment --comment default/web:http -j KUBE-MARK-MASQ
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -p tcp -m comment --comment default/web:http -m tcp -j DNAT --to-destination 10.244.2.7:8080
-A KUBE-SEP-4OI5LYBPLHVU4IU3 -s 10.244.1.6/32 -m comment --comment default/web-np:http -j KUBE-MARK-MASQ
-A KUBE-SEP-4OI5LYBPLHVU4IU3 -p tcp -m comment --comment default/web-np:http -m tcp -j DNAT --to-destination 10.244.1.6:8080
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -s 10.244.1.5/32 -m comment --comment default/web:http -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -p tcp -m comment --comment default/web:http -m tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SERVICES -d 10.96.45.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -d 10.96.200.20/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-2262UYG6EQJDKK3I
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-2262UYG6EQJDKK3I ! -s 10.244.0.0/16 -d 10.96.200.20/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-2262UYG6EQJDKK3I -m comment --comment "default/web-np:http -> 10.244.1.6:8080" -j KUBE-SEP-4OI5LYBPLHVU4IU3
-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.45.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D
COMMIT
"#;

/// Keeps the lines that are not about the cluster's own services (kube-dns, kubernetes),
/// which the example leaves out.
fn without_system_services(text: &str) -> String {
    let system = ["kube-system/", "default/kubernetes"];
    let chains_of_system: Vec<String> = text
        .lines()
        .filter(|l| system.iter().any(|s| l.contains(s)))
        .flat_map(|l| {
            l.split_whitespace()
                .filter(|w| {
                    w.starts_with("KUBE-SVC-")
                        || w.starts_with("KUBE-SEP-")
                        || w.starts_with("KUBE-EXT-")
                })
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    text.lines()
        .filter(|l| !system.iter().any(|s| l.contains(s)))
        .filter(|l| {
            !chains_of_system
                .iter()
                .any(|c| l.starts_with(&format!(":{c} ")) || l.starts_with(&format!("-A {c} ")))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn rule_6_1_iptables_save_nat_matches_kube_proxy_byte_for_byte() {
    let out = session(
        EXAMPLE,
        &["kubectl debug node/kind-worker -- iptables-save -t nat"],
    );
    let table = out.split_once('\n').unwrap().1;
    assert_eq!(without_system_services(table), GOLDEN);
}

#[test]
fn rule_6_1_three_endpoints_affinity_and_no_endpoints() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: sticky}\nspec: {selector: {app: web}, sessionAffinity: ClientIP, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec: {selector: {app: nothing}, ports: [{port: 80}]}\n";
    let out = session(
        manifest,
        &["kubectl debug node/kind-worker -- iptables-save"],
    );
    let lines: Vec<&str> = out.lines().collect();
    let probabilities: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("default/sticky -> ") && l.contains("--probability"))
        .map(|l| {
            l.split("--probability ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(probabilities, ["0.33333333349", "0.50000000000"]);
    let affinity = lines
        .iter()
        .filter(|l| l.contains("-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-"))
        .count();
    assert_eq!(affinity, 3, "one affinity check per endpoint");
    let set = lines
        .iter()
        .filter(|l| l.contains("-m recent --set --name KUBE-SEP-") && l.contains("DNAT"))
        .count();
    assert_eq!(set, 3);
    assert!(
        lines.iter().any(|l| l.starts_with("-A KUBE-SERVICES -d ")
            && l.contains("\"default/empty has no endpoints\"")
            && l.ends_with("-j REJECT --reject-with icmp-port-unreachable")),
        "{out}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("default/empty cluster IP")),
        "no nat rules without endpoints"
    );
}

#[test]
fn rule_6_1_local_policy_uses_local_endpoints_only() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: only, labels: {app: web}}\nspec: {nodeName: kind-worker2, containers: [{name: web, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: local}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, nodePort: 30111}]}\n";
    let on = |node: &str| {
        session(
            manifest,
            &[&format!("kubectl debug node/{node} -- iptables-save")],
        )
    };
    let with_endpoint = on("kind-worker2");
    let without = on("kind-worker");
    let svl = kubeplay::engine::kube_proxy::iptables::chain_name("KUBE-SVL-", "default/localtcp");
    assert!(
        with_endpoint.contains(&format!(
            "-A {svl} -m comment --comment \"default/local -> "
        )),
        "{with_endpoint}"
    );
    assert!(
        !without.contains(&format!("-A {svl} ")),
        "no local endpoint on kind-worker"
    );
    assert!(without.contains("\"default/local has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp --dport 30111 -j DROP"), "{without}");
    assert!(with_endpoint.contains("\"pod traffic for default/local external destinations\""));
}

/// The same example in ipvs mode (RULES.md §6.2).
#[test]
fn rule_6_2_ipvsadm_lists_virtual_and_real_servers() {
    let ipvs = format!(
        "{EXAMPLE}---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {{scheduler: rr}}\n"
    )
    .replace(
        "spec: {clusterIP: 10.96.45.10, ports:",
        "spec: {clusterIP: 10.96.45.10, sessionAffinity: ClientIP, ports:",
    );
    let out = session(&ipvs, &["kubectl debug node/kind-worker2 -- ipvsadm -Ln"]);
    let table = out.split_once('\n').unwrap().1;
    // Only the example's services: the cluster's own ones are left out here.
    let mine: String = table
        .lines()
        .scan(false, |keep, l| {
            if !l.starts_with("  ->") {
                *keep = l.contains("10.96.45.10:")
                    || l.contains("10.96.200.20:")
                    || l.contains(":30080")
                    || !l.starts_with("TCP") && !l.starts_with("UDP");
            }
            Some((*keep).then(|| format!("{l}\n")))
        })
        .flatten()
        .collect();
    assert_eq!(
        mine,
        r#"IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.96.45.10:80 rr persistent 10800
  -> 10.244.1.5:8080              Masq    1      0          0
  -> 10.244.2.7:8080              Masq    1      0          0
TCP  10.96.200.20:80 rr
  -> 10.244.1.6:8080              Masq    1      0          0
TCP  172.18.0.3:30080 rr
  -> 10.244.1.6:8080              Masq    1      0          0
"#
    );
    let iptables = session(&ipvs, &["kubectl debug node/kind-worker -- iptables-save"]);
    assert!(
        iptables.contains("kube-proxy runs in ipvs mode here"),
        "{iptables}"
    );
}

#[test]
fn rule_6_2_ipvs_round_robin_dispatch() {
    let manifest = format!(
        "{}---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n",
        kubeplay::SEED_EXAMPLE
    );
    let out = session(
        &manifest,
        &[
            "curl 172.18.0.2:30080",
            "curl 172.18.0.2:30080",
            "curl 172.18.0.2:30080",
            "curl 172.18.0.2:30080",
            "curl -v 172.18.0.2:30080",
        ],
    );
    let hosts: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("Hostname: "))
        .collect();
    assert_eq!(hosts.len(), 5);
    assert_eq!(
        hosts[0], hosts[3],
        "round robin over three pods comes back to the first"
    );
    assert_ne!(hosts[0], hosts[1]);
    assert_ne!(hosts[1], hosts[2]);
    assert!(
        out.contains("ipvs virtual server 172.18.0.2:30080 (rr) -> real server "),
        "{out}"
    );
}

/// userspace mode, as the seed deck teaches it (RULES.md §6.3).
#[test]
fn rule_6_3_userspace_redirects_to_kube_proxy_which_round_robins() {
    let manifest = format!(
        "{}---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\n",
        kubeplay::SEED_EXAMPLE
    );
    let out = session(
        &manifest,
        &[
            "kubectl debug node/kind-worker -- iptables-save",
            "curl 172.18.0.3:30080",
            "curl 172.18.0.3:30080",
            "curl 172.18.0.3:30080",
            "curl 172.18.0.3:30080",
            "curl -v 172.18.0.3:30080",
        ],
    );
    assert!(out.contains("removed in Kubernetes 1.26"), "{out}");
    let redirect = out
        .lines()
        .find(|l| l.starts_with("-A KUBE-NODEPORT-CONTAINER -p tcp -m comment --comment \"default/httpd-deployment:\" -m tcp --dport 30080 -j REDIRECT --to-ports "))
        .unwrap_or_else(|| panic!("{out}"));
    let proxy_port = redirect.rsplit(' ').next().unwrap();
    assert!(out.contains(&format!("-A KUBE-NODEPORT-HOST -p tcp -m comment --comment \"default/httpd-deployment:\" -m tcp --dport 30080 -j DNAT --to-destination 172.18.0.2:{proxy_port}")));
    let hosts: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("Hostname: "))
        .collect();
    assert_eq!(hosts[0], hosts[3], "round robin over three pods");
    assert_ne!(hosts[0], hosts[1]);
    // kube-proxy relays: the pod sees the node, never the client.
    assert!(
        out.lines()
            .filter(|l| l.starts_with("RemoteAddr: "))
            .all(|l| l.starts_with("RemoteAddr: 172.18.0.3:")),
        "{out}"
    );
    assert!(
        out.contains("kube-proxy relays the connection: round robin picks"),
        "{out}"
    );
}

#[test]
fn rule_5_1_headless_services_get_no_cluster_ip_and_no_rules() {
    let manifest = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  replicas: 2\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n";
    let out = session(
        manifest,
        &[
            "kubectl get svc db",
            "kubectl get endpointslices -l kubernetes.io/service-name=db -o wide",
            "kubectl debug node/kind-worker -- iptables-save",
        ],
    );
    assert!(
        out.contains("db     ClusterIP   None         <none>        5432/TCP"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("db-") && l.contains("5432") && l.contains("10.244.")),
        "the slice lists both pods: {out}"
    );
    assert!(
        !out.contains("default/db"),
        "kube-proxy ignores headless services: {out}"
    );
}
