//! DNS (RULES.md §7): CoreDNS records, pod resolv.conf per dnsPolicy, search lists and
//! bind's nslookup output, NXDOMAIN versus NODATA.

mod common;

use common::check;
use expect_test::expect;

const SETUP: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: nginx\n  replicas: 2\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: web}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec: {clusterIP: None, selector: {app: nginx}, ports: [{port: 80, name: web}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: other}\nspec: {clusterIP: 10.96.7.7, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3}]}\n";

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
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet}\nspec: {hostNetwork: true, containers: [{name: c, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3}]}\n";
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
            RemoteAddr: 10.244.1.2:59769
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

    let other = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: other}\nspec: {containers: [{name: c, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3}]}\n";
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
        trace(
            &s.cluster,
            &conf,
            name,
            kubeplay::engine::resolver::Libc::Glibc,
        )
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

const TOOLBOXES: &str = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec: {containers: [{name: c, image: busybox:1.36}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bb128}\nspec: {containers: [{name: c, image: busybox:1.28}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: alpine}\nspec: {containers: [{name: c, image: alpine:3.20}]}\n";

#[test]
fn rule_7_4_busybox_nslookup_formats_follow_the_image() {
    check(
        &format!("{SETUP}{TOOLBOXES}"),
        &[
            "kubectl exec bb -- nslookup nginx",
            "kubectl exec bb -- nslookup api.other.svc.cluster.local",
            "kubectl exec bb128 -- nslookup nginx",
            "kubectl exec bb128 -- nslookup nosuch",
            "kubectl exec bb -- dig nginx",
        ],
        expect![[r#"
            $ kubectl exec bb -- nslookup nginx
            Server:		10.96.0.10
            Address:	10.96.0.10:53

            Name:	nginx.default.svc.cluster.local
            Address: 10.244.2.3
            Name:	nginx.default.svc.cluster.local
            Address: 10.244.2.4

            ** server can't find nginx.svc.cluster.local: NXDOMAIN

            ** server can't find nginx.cluster.local: NXDOMAIN


            ** server can't find nginx.svc.cluster.local: NXDOMAIN

            ** server can't find nginx.cluster.local: NXDOMAIN
            $ kubectl exec bb -- nslookup api.other.svc.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10:53

            Name:	api.other.svc.cluster.local
            Address: 10.96.7.7
            $ kubectl exec bb128 -- nslookup nginx
            Server:    10.96.0.10
            Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

            Name:      nginx
            Address 1: 10.244.2.3 web-0.nginx.default.svc.cluster.local
            Address 2: 10.244.2.4 web-1.nginx.default.svc.cluster.local
            $ kubectl exec bb128 -- nslookup nosuch
            Server:    10.96.0.10
            Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

            nslookup: can't resolve 'nosuch'
            $ kubectl exec bb -- dig nginx
            error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "dig": executable file not found in $PATH: unknown
            command terminated with exit code 126
        "#]],
    );
}

#[test]
fn rule_7_3_musl_stops_at_nodata_and_asks_dotted_names_once() {
    use kubeplay::engine::resolver::{Libc, ResolvConf};
    let conf = ResolvConf {
        searches: vec![
            "default.svc.cluster.local".into(),
            "svc.cluster.local".into(),
        ],
        nameservers: vec!["10.96.0.10".into()],
        options: vec![("ndots".into(), Some("2".into()))],
    };
    assert_eq!(conf.candidates_for("a.b.c", Libc::Musl), ["a.b.c"]);
    assert_eq!(
        conf.candidates_for("a.b.c", Libc::Glibc),
        [
            "a.b.c",
            "a.b.c.default.svc.cluster.local",
            "a.b.c.svc.cluster.local"
        ]
    );
    assert_eq!(
        conf.candidates_for("web", Libc::Musl),
        [
            "web.default.svc.cluster.local",
            "web.svc.cluster.local",
            "web"
        ]
    );
}

#[test]
fn rule_7_4_dig_shows_flags_sections_and_the_search_walk() {
    check(
        SETUP,
        &[
            "kubectl exec client -- dig nginx.default.svc.cluster.local",
            "kubectl exec client -- dig +short nginx",
            "kubectl exec client -- dig +search +short nginx",
            "kubectl exec client -- dig +showsearch api.other",
            "kubectl exec client -- dig _web._tcp.nginx.default.svc.cluster.local SRV",
            "kubectl exec client -- dig -x 10.96.7.7 +short",
            "kubectl exec client -- dig example.com",
        ],
        expect![[r#"
            $ kubectl exec client -- dig nginx.default.svc.cluster.local

            ; <<>> DiG 9.18.33 <<>> nginx.default.svc.cluster.local
            ;; global options: +cmd
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 63286
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;nginx.default.svc.cluster.local.			IN	A

            ;; ANSWER SECTION:
            nginx.default.svc.cluster.local.	30	IN	A	10.244.2.2
            nginx.default.svc.cluster.local.	30	IN	A	10.244.2.3

            ;; Query time: 0 msec
            ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
            ;; WHEN: Wed Jan 01 00:00:05 UTC 2025
            ;; MSG SIZE  rcvd: 92
            $ kubectl exec client -- dig +short nginx
            $ kubectl exec client -- dig +search +short nginx
            10.244.2.2
            10.244.2.3
            $ kubectl exec client -- dig +showsearch api.other

            ; <<>> DiG 9.18.33 <<>> +showsearch api.other
            ;; global options: +cmd
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 12999
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;api.other.default.svc.cluster.local.			IN	A

            ;; AUTHORITY SECTION:
            cluster.local.	30	IN	SOA	ns.dns.cluster.local. hostmaster.cluster.local. 1735689620 7200 1800 86400 30

            ;; Query time: 0 msec
            ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
            ;; WHEN: Wed Jan 01 00:00:20 UTC 2025
            ;; MSG SIZE  rcvd: 133


            ; <<>> DiG 9.18.33 <<>> +showsearch api.other
            ;; global options: +cmd
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 25652
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;api.other.svc.cluster.local.			IN	A

            ;; ANSWER SECTION:
            api.other.svc.cluster.local.	30	IN	A	10.96.7.7

            ;; Query time: 0 msec
            ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
            ;; WHEN: Wed Jan 01 00:00:20 UTC 2025
            ;; MSG SIZE  rcvd: 72
            $ kubectl exec client -- dig _web._tcp.nginx.default.svc.cluster.local SRV

            ; <<>> DiG 9.18.33 <<>> _web._tcp.nginx.default.svc.cluster.local SRV
            ;; global options: +cmd
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 23079
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;_web._tcp.nginx.default.svc.cluster.local.			IN	SRV

            ;; ANSWER SECTION:
            _web._tcp.nginx.default.svc.cluster.local.	30	IN	SRV	0 50 80 web-0.nginx.default.svc.cluster.local.
            _web._tcp.nginx.default.svc.cluster.local.	30	IN	SRV	0 50 80 web-1.nginx.default.svc.cluster.local.

            ;; ADDITIONAL SECTION:
            web-0.nginx.default.svc.cluster.local.	30	IN	A	10.244.2.2
            web-1.nginx.default.svc.cluster.local.	30	IN	A	10.244.2.3

            ;; Query time: 0 msec
            ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
            ;; WHEN: Wed Jan 01 00:00:25 UTC 2025
            ;; MSG SIZE  rcvd: 216
            $ kubectl exec client -- dig -x 10.96.7.7 +short
            api.other.svc.cluster.local.
            $ kubectl exec client -- dig example.com

            ; <<>> DiG 9.18.33 <<>> example.com
            ;; global options: +cmd
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 17513
            ;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;example.com.			IN	A

            ;; ANSWER SECTION:
            example.com.	30	IN	A	93.184.215.14

            ;; Query time: 0 msec
            ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
            ;; WHEN: Wed Jan 01 00:00:35 UTC 2025
            ;; MSG SIZE  rcvd: 56
        "#]],
    );
}

const COREFILE: &str = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata:\n  Corefile: |\n    .:53 {\n        errors\n        rewrite name api.example.internal api.other.svc.cluster.local\n        hosts {\n            10.1.2.3 legacy.corp.internal\n            fallthrough\n        }\n        kubernetes cluster.local in-addr.arpa ip6.arpa {\n            pods verified\n            ttl 10\n        }\n        autopath @kubernetes\n        forward . /etc/resolv.conf\n    }\n    consul.local:53 {\n        forward . 10.150.0.1\n    }\n";

#[test]
fn rule_7_1_the_corefile_rewrites_hosts_pods_verified_and_warns_on_unknown_plugins() {
    check(
        &format!("{SETUP}{COREFILE}"),
        &[
            "kubectl exec client -- nslookup api.example.internal",
            "kubectl exec client -- nslookup legacy.corp.internal",
            "kubectl exec client -- nslookup 10-96-7-7.other.pod.cluster.local",
            "kubectl exec client -- dig +short web.service.consul.local",
        ],
        expect![[r#"
            $ kubectl exec client -- nslookup api.example.internal
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	api.example.internal
            Address: 10.96.7.7
            $ kubectl exec client -- nslookup legacy.corp.internal
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            Name:	legacy.corp.internal
            Address: 10.1.2.3
            $ kubectl exec client -- nslookup 10-96-7-7.other.pod.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find 10-96-7-7.other.pod.cluster.local: NXDOMAIN
            $ kubectl exec client -- dig +short web.service.consul.local
        "#]],
    );
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: format!("{SETUP}{COREFILE}"),
    }];
    let s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let notes = s.notes();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("CoreDNS plugin `autopath` is not simulated")),
        "{notes:?}"
    );
}

#[test]
fn rule_7_1_a_corefile_that_does_not_parse_is_refused_and_the_old_one_serves() {
    let broken = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata:\n  Corefile: |\n    .:53 {\n        kubernetes cluster.local\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: format!("{SETUP}{broken}"),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let notes = s.notes();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("refused") && n.contains("Corefile:1")),
        "{notes:?}"
    );
    let out = s.run("kubectl exec client -- nslookup nginx");
    assert!(
        out.contains("Name:\tnginx.default.svc.cluster.local"),
        "{out}"
    );
}

#[test]
fn rule_7_1_a_custom_dns_domain_changes_records_search_list_and_corefile() {
    let cfg = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking: {dnsDomain: corp.internal}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.8.8, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3}]}\n";
    check(
        cfg,
        &[
            "kubectl exec client -- cat /etc/resolv.conf",
            "kubectl exec client -- dig +search +short web",
            "kubectl exec client -- nslookup web.default.svc.cluster.local",
        ],
        expect![[r#"
            $ kubectl exec client -- cat /etc/resolv.conf
            search default.svc.corp.internal svc.corp.internal corp.internal
            nameserver 10.96.0.10
            options ndots:5
            $ kubectl exec client -- dig +search +short web
            10.96.8.8
            $ kubectl exec client -- nslookup web.default.svc.cluster.local
            Server:		10.96.0.10
            Address:	10.96.0.10#53

            ** server can't find web.default.svc.cluster.local: NXDOMAIN
        "#]],
    );
}

#[test]
fn rule_7_3_why_name_lists_every_query_of_the_search_walk() {
    check(
        SETUP,
        &[
            "why name client example.com",
            "why name client example.com.",
            "why name client api.other",
            "why name client nosuch",
        ],
        expect![[r#"
            $ why name client example.com
            example.com has 1 dot(s); ndots is 5: each search domain is tried first, then the name as is.
            1. example.com.default.svc.cluster.local                NXDOMAIN
            2. example.com.svc.cluster.local                        NXDOMAIN
            3. example.com.cluster.local                            NXDOMAIN
            4. example.com                                          A 93.184.215.14
            Resolved after 4 queries.
            See: DNS for Services and Pods — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
            $ why name client example.com.
            example.com. has 1 dot(s); ndots is 5: the trailing dot makes it absolute, so it is asked as is, once.
            1. example.com                                          A 93.184.215.14
            Resolved after 1 query.
            See: DNS for Services and Pods — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
            $ why name client api.other
            api.other has 1 dot(s); ndots is 5: each search domain is tried first, then the name as is.
            1. api.other.default.svc.cluster.local                  NXDOMAIN
            2. api.other.svc.cluster.local                          A 10.96.7.7
            Resolved after 2 queries.
            See: DNS for Services and Pods — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
            $ why name client nosuch
            nosuch has 0 dot(s); ndots is 5: each search domain is tried first, then the name as is.
            1. nosuch.default.svc.cluster.local                     NXDOMAIN
            2. nosuch.svc.cluster.local                             NXDOMAIN
            3. nosuch.cluster.local                                 NXDOMAIN
            4. nosuch                                               NXDOMAIN
            Not found after 4 queries.
            See: DNS for Services and Pods — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
        "#]],
    );
}
