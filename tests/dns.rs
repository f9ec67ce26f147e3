//! DNS (RULES.md §7): CoreDNS records, pod resolv.conf per dnsPolicy, search lists and
//! bind's nslookup output, NXDOMAIN versus NODATA.

mod common;

use common::check;
use expect_test::expect;

const SETUP: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: nginx\n  replicas: 2\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: web}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec: {clusterIP: None, selector: {app: nginx}, ports: [{port: 80, name: web}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: other}\nspec: {clusterIP: 10.96.7.7, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: busybox}]}\n";

#[test]
fn rule_7_2_resolv_conf_for_each_dns_policy() {
    let pods = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet}\nspec: {hostNetwork: true, containers: [{name: c, image: busybox}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet-cluster}\nspec: {hostNetwork: true, dnsPolicy: ClusterFirstWithHostNet, containers: [{name: c, image: busybox}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: custom}\nspec:\n  dnsPolicy: None\n  dnsConfig:\n    nameservers: [192.0.2.1]\n    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix]\n    options: [{name: ndots, value: \"2\"}, {name: edns0}]\n  containers: [{name: c, image: busybox}]\n";
    check(
        &format!("{SETUP}{pods}"),
        &[
            "kubectl exec client -- cat /etc/resolv.conf",
            "kubectl exec hostnet -- cat /etc/resolv.conf",
            "kubectl exec hostnet-cluster -- cat /etc/resolv.conf",
            "kubectl exec custom -- cat /etc/resolv.conf",
        ],
        expect![[r#"
            $ kubectl exec client -- cat /etc/resolv.conf
            search default.svc.cluster.local svc.cluster.local cluster.local
            nameserver 10.96.0.10
            options ndots:5
            $ kubectl exec hostnet -- cat /etc/resolv.conf
            nameserver 172.18.0.1
            $ kubectl exec hostnet-cluster -- cat /etc/resolv.conf
            search default.svc.cluster.local svc.cluster.local cluster.local
            nameserver 10.96.0.10
            options ndots:5
            $ kubectl exec custom -- cat /etc/resolv.conf
            search ns1.svc.cluster-domain.example my.dns.search.suffix
            nameserver 192.0.2.1
            options ndots:2 edns0
        "#]],
    );
}

#[test]
fn rule_7_1_records_and_rule_7_4_nslookup_output() {
    check(
        SETUP,
        &[
            "kubectl exec client -- nslookup kubernetes.default",
            "kubectl exec client -- nslookup api.other",
            "kubectl exec client -- nslookup nginx",
            "kubectl exec client -- nslookup web-1.nginx.default.svc.cluster.local",
            "kubectl exec client -- nslookup ext",
            "kubectl exec client -- nslookup nosuch",
            "kubectl exec client -- nslookup other.svc.cluster.local",
            "kubectl exec client -- nslookup 10-96-7-7.other.pod.cluster.local",
            "kubectl exec client -- nslookup foo.cluster.local",
        ],
        expect![[r#"
            $ kubectl exec client -- nslookup kubernetes.default
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	kubernetes.default.svc.cluster.local
            Address: 10.96.0.1
            $ kubectl exec client -- nslookup api.other
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	api.other.svc.cluster.local
            Address: 10.96.7.7
            $ kubectl exec client -- nslookup nginx
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	nginx.default.svc.cluster.local
            Address: 10.244.2.2
            Name:	nginx.default.svc.cluster.local
            Address: 10.244.2.3
            $ kubectl exec client -- nslookup web-1.nginx.default.svc.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	web-1.nginx.default.svc.cluster.local
            Address: 10.244.2.3
            $ kubectl exec client -- nslookup ext
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Non-authoritative answer:
            ext.default.svc.cluster.local	canonical name = example.com.
            Name:	example.com
            Address: 93.184.215.14
            $ kubectl exec client -- nslookup nosuch
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find nosuch: NXDOMAIN
            $ kubectl exec client -- nslookup other.svc.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            *** Can't find other.svc.cluster.local: No answer
            $ kubectl exec client -- nslookup 10-96-7-7.other.pod.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	10-96-7-7.other.pod.cluster.local
            Address: 10.96.7.7
            $ kubectl exec client -- nslookup foo.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find foo.cluster.local: NXDOMAIN
        "#]],
    );
}

#[test]
fn rule_7_2_host_network_pods_use_the_nodes_resolver_and_cannot_find_services() {
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet}\nspec: {hostNetwork: true, containers: [{name: c, image: busybox}]}\n";
    check(
        &format!("{SETUP}{pod}"),
        &[
            "kubectl exec hostnet -- nslookup kubernetes",
            "kubectl exec client -- curl -s web-0.nginx",
        ],
        expect![[r#"
            $ kubectl exec hostnet -- nslookup kubernetes
            Server:		172.18.0.1
            Address:	172.18.0.1#53

            ** server can't find kubernetes: NXDOMAIN
            $ kubectl exec client -- curl -s web-0.nginx
            Hostname: web-0
            IP: 127.0.0.1
            IP: 10.244.3.2
            RemoteAddr: 10.244.1.2:58479
            GET / HTTP/1.1
            Host: web-0.nginx
            User-Agent: curl/8.5.0
            Accept: */*
        "#]],
    );
}

#[test]
fn rule_7_2_too_many_search_domains_are_cut_with_the_kubelets_warning() {
    let searches: Vec<String> = (0..33).map(|i| format!("s{i}.example")).collect();
    let pod = format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: many}}\nspec:\n  dnsPolicy: None\n  dnsConfig:\n    nameservers: [10.96.0.10]\n    searches: [{}]\n  containers: [{{name: c, image: busybox}}]\n", searches.join(", "));
    let out = common::session(&format!("{SETUP}{pod}"), &["kubectl describe pod many"]);
    assert!(out.contains("Warning  DNSConfigForming"), "{out}");
    assert!(out.contains("Search Line limits were exceeded, some search paths have been omitted, the applied search line is: s0.example"), "{out}");
}

#[test]
fn rule_7_3_query_order_follows_ndots_for_the_seed_lessons() {
    use kubeplay::engine::coredns::Answer;
    use kubeplay::engine::manifest::Object;
    use kubeplay::engine::resolver::{pod_resolv_conf, trace};
    use kubeplay::engine::session::Session;
    use kubeplay::engine::store::Key;
    use kubeplay::engine::SourceFile;

    let other = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: other}\nspec: {containers: [{name: c, image: busybox}]}\n";
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: format!("{}{other}", kubeplay::SEED_EXAMPLE),
    }];
    let s = Session::start(1, &files).unwrap();
    let Some(Object::Pod(pod)) = s
        .cluster
        .store
        .get(&Key::new("Pod", "other", "probe"))
        .cloned()
    else {
        panic!()
    };
    let conf = pod_resolv_conf(&s.cluster, &pod).0;
    let show = |name: &str| -> Vec<String> {
        trace(&s.cluster, &conf, name)
            .into_iter()
            .map(|t| {
                format!(
                    "{} {}",
                    t.name,
                    match t.answer {
                        Answer::Records { addresses, .. } => addresses.join(","),
                        Answer::NxDomain => "NXDOMAIN".into(),
                        Answer::NoData => "NODATA".into(),
                        Answer::Cname(c) => format!("CNAME {c}"),
                        other => format!("{other:?}"),
                    }
                )
            })
            .collect()
    };
    let svc_ip = match s
        .cluster
        .store
        .get(&Key::new("Service", "default", "httpd-deployment"))
    {
        Some(Object::Service(svc)) => svc.spec.cluster_ip.clone().unwrap(),
        _ => panic!(),
    };
    // From another namespace the short name walks the whole search list and fails…
    assert_eq!(
        show("httpd-deployment"),
        [
            "httpd-deployment.other.svc.cluster.local NXDOMAIN",
            "httpd-deployment.svc.cluster.local NXDOMAIN",
            "httpd-deployment.cluster.local NXDOMAIN",
            "httpd-deployment NXDOMAIN",
        ]
    );
    // …and `name.namespace` finds it on the second query, as the seed deck says.
    assert_eq!(
        show("httpd-deployment.default"),
        [
            "httpd-deployment.default.other.svc.cluster.local NXDOMAIN".to_string(),
            format!("httpd-deployment.default.svc.cluster.local {svc_ip}"),
        ]
    );
    // A trailing dot skips the search list; example.com is known to the simulated upstream.
    assert_eq!(show("example.com."), ["example.com 93.184.215.14"]);
    // Without it, ndots:5 sends the three cluster suffixes first.
    assert_eq!(show("example.com").len(), 4);
}

#[test]
fn rule_7_1_srv_ptr_and_aaaa() {
    let web = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.8.8, selector: {app: nginx}, ports: [{name: http, port: 8080, targetPort: 80}]}\n";
    check(
        &format!("{SETUP}{web}"),
        &[
            "kubectl exec client -- nslookup -type=srv _http._tcp.web",
            "kubectl exec client -- nslookup -type=srv _web._tcp.nginx",
            "kubectl exec client -- nslookup -type=srv _nope._tcp.web",
            "kubectl exec client -- nslookup 10.96.8.8",
            "kubectl exec client -- nslookup -type=aaaa web",
            "kubectl exec client -- nslookup 192.0.2.99",
        ],
        expect![[r#"
            $ kubectl exec client -- nslookup -type=srv _http._tcp.web
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            _http._tcp.web.default.svc.cluster.local	service = 0 100 8080 web.default.svc.cluster.local.
            $ kubectl exec client -- nslookup -type=srv _web._tcp.nginx
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            _web._tcp.nginx.default.svc.cluster.local	service = 0 50 80 web-0.nginx.default.svc.cluster.local.
            _web._tcp.nginx.default.svc.cluster.local	service = 0 50 80 web-1.nginx.default.svc.cluster.local.
            $ kubectl exec client -- nslookup -type=srv _nope._tcp.web
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find _nope._tcp.web: NXDOMAIN
            $ kubectl exec client -- nslookup 10.96.8.8
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            8.8.96.10.in-addr.arpa	name = web.default.svc.cluster.local.
            $ kubectl exec client -- nslookup -type=aaaa web
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            *** Can't find web: No answer
            $ kubectl exec client -- nslookup 192.0.2.99
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find 99.2.0.192.in-addr.arpa: NXDOMAIN
        "#]],
    );
}
