//! Services: allocation and validation (RULES.md §1 "ClusterIP allocation", "NodePort
//! allocation", §5.1–5.2) and the EndpointSlice/Endpoints controllers (§5.3).

mod common;

use common::{check, session};
use expect_test::expect;
use kubeplay::engine::session::Session;
use kubeplay::engine::SourceFile;

const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports: [{name: http, containerPort: 8080}]\n";

fn problems(manifest: &str) -> Vec<String> {
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: manifest.into(),
    }];
    let s = Session::start(1, &files).expect("settles");
    s.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn rule_1_cluster_ips_come_from_the_dynamic_band_and_the_seed() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {type: NodePort, ports: [{port: 80}]}\n";
    let out = session(svc, &["kubectl get svc a b -o json"]);
    let json: serde_json::Value = serde_json::from_str(out.split_once('\n').unwrap().1).unwrap();
    for item in json["items"].as_array().unwrap() {
        let ip = item["spec"]["clusterIP"].as_str().unwrap();
        let octets: Vec<u32> = ip.split('.').map(|o| o.parse().unwrap()).collect();
        let offset = ((octets[1] - 96) << 16) + (octets[2] << 8) + octets[3];
        assert!(
            octets[0] == 10 && (96..112).contains(&octets[1]),
            "{ip} in 10.96.0.0/12"
        );
        assert!(
            offset > 256,
            "{ip} is above the static band (10.96.0.1–10.96.1.0)"
        );
        assert_eq!(item["spec"]["clusterIPs"][0], ip);
        assert_eq!(item["spec"]["ipFamilies"][0], "IPv4");
        assert_eq!(item["spec"]["sessionAffinity"], "None");
    }
    let node_port = json["items"][1]["spec"]["ports"][0]["nodePort"]
        .as_i64()
        .unwrap();
    assert!(
        (30086..=32767).contains(&node_port),
        "{node_port} from the dynamic band first"
    );
    assert_eq!(json["items"][1]["spec"]["externalTrafficPolicy"], "Cluster");
    assert_eq!(
        json["items"][0]["spec"]["ports"][0]["targetPort"], 80,
        "targetPort defaults to port"
    );
    // Same input, same seed: same addresses.
    assert_eq!(out, session(svc, &["kubectl get svc a b -o json"]));
}

#[test]
fn rule_1_requested_cluster_ips_and_node_ports_are_checked_like_the_api_server() {
    let svc = |name: &str, spec: &str| {
        format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {spec}\n")
    };
    let manifest = [
        svc("static", "{clusterIP: 10.96.0.20, ports: [{port: 80}]}"),
        svc("dns-clash", "{clusterIP: 10.96.0.10, ports: [{port: 80}]}"),
        svc("outside", "{clusterIP: 1.2.3.4, ports: [{port: 80}]}"),
        svc("np-a", "{type: NodePort, ports: [{port: 80, nodePort: 30080}]}"),
        svc("np-b", "{type: NodePort, ports: [{port: 80, nodePort: 30080}]}"),
        svc("np-low", "{type: NodePort, ports: [{port: 80, nodePort: 80}]}"),
        svc("np-twice", "{type: NodePort, ports: [{name: a, port: 80, nodePort: 30090}, {name: b, port: 81, nodePort: 30090}]}"),
        svc("np-udp", "{type: NodePort, ports: [{name: tcp, port: 53, nodePort: 30053}, {name: udp, port: 53, protocol: UDP, nodePort: 30053}]}"),
    ]
    .concat();
    expect![[r#"
        [
            "m.yaml:7:1: error: The Service \"dns-clash\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.10\"]: failed to allocate IP 10.96.0.10: provided IP is already allocated",
            "m.yaml:12:1: error: The Service \"outside\" is invalid: spec.clusterIPs: Invalid value: [\"1.2.3.4\"]: failed to allocate IP 1.2.3.4: the provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            "m.yaml:22:1: error: The Service \"np-b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
            "m.yaml:27:1: error: The Service \"np-low\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
            "m.yaml:32:1: error: The Service \"np-twice\" is invalid: spec.ports[1].nodePort: Duplicate value: 30090",
        ]
    "#]].assert_debug_eq(&problems(&manifest));
}

#[test]
fn rule_5_2_static_validation_uses_the_api_servers_words() {
    let manifest = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: ClusterIP\n  ports:\n  - port: 80\n    nodePort: 30080\n  - port: 81\n    name: http\n  externalTrafficPolicy: Local\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: headless-np}\nspec: {clusterIP: None, type: NodePort, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: bad-type}\nspec: {type: Ingress, ports: [{port: 80}]}\n";
    expect![[r#"
        [
            "m.yaml:7:5: error: The Service \"web\" is invalid: spec.ports[0].name: Required value",
            "m.yaml:8:15: error: The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
            "m.yaml:11:26: error: The Service \"web\" is invalid: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services",
            "m.yaml:12:26: error: The Service \"web\" is invalid: spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None",
            "m.yaml:17:19: error: The Service \"headless-np\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
            "m.yaml:22:7: error: The Service \"ext\" is invalid: spec.externalName: Required value",
            "m.yaml:27:14: error: The Service \"bad-type\" is invalid: spec.type: Unsupported value: \"Ingress\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        ]
    "#]].assert_debug_eq(&problems(manifest));
}

#[test]
fn rule_5_1_service_kinds_in_kubectl_get() {
    let manifest = format!("{WEB}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{selector: {{app: web}}, ports: [{{name: http, port: 80, targetPort: http}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: lb}}\nspec: {{type: LoadBalancer, selector: {{app: web}}, ports: [{{port: 80, targetPort: 8080}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: lb-no-np}}\nspec: {{type: LoadBalancer, allocateLoadBalancerNodePorts: false, selector: {{app: web}}, ports: [{{port: 80}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: db}}\nspec: {{clusterIP: None, selector: {{app: db}}, ports: [{{port: 5432}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: ext}}\nspec: {{type: ExternalName, externalName: example.com}}\n");
    check(
        &manifest,
        &["kubectl get svc", "kubectl describe svc lb"],
        expect![[r#"
            $ kubectl get svc
            NAME         TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
            db           ClusterIP      None             <none>           5432/TCP       5s
            ext          ExternalName   <none>           example.com      <none>         5s
            kubernetes   ClusterIP      10.96.0.1        <none>           443/TCP        5s
            lb           LoadBalancer   10.103.155.233   172.18.255.200   80:30138/TCP   5s
            lb-no-np     LoadBalancer   10.110.204.207   172.18.255.201   80/TCP         5s
            web          ClusterIP      10.106.192.48    <none>           80/TCP         5s
            $ kubectl describe svc lb
            Name:                     lb
            Namespace:                default
            Labels:                   <none>
            Annotations:              <none>
            Selector:                 app=web
            Type:                     LoadBalancer
            IP Family Policy:         SingleStack
            IP Families:              IPv4
            IP:                       10.103.155.233
            IPs:                      10.103.155.233
            LoadBalancer Ingress:     172.18.255.200 (VIP)
            Port:                     <unset>  80/TCP
            TargetPort:               8080/TCP
            NodePort:                 <unset>  30138/TCP
            Endpoints:                10.244.1.2:8080,10.244.2.2:8080,10.244.3.2:8080
            Session Affinity:         None
            External Traffic Policy:  Cluster
            Internal Traffic Policy:  Cluster
            Events:
              Type    Reason                Age   From                Message
              ----    ------                ----  ----                -------
              Normal  EnsuringLoadBalancer  10s   service-controller  Ensuring load balancer
              Normal  EnsuredLoadBalancer   10s   service-controller  Ensured load balancer
        "#]],
    );
}

#[test]
fn rule_5_3_endpoint_slices_resolve_named_ports_per_pod() {
    // Two deployments behind one Service whose targetPort is the port *name*: each pod
    // publishes the number it declares, so the slices split by port.
    let other = WEB
        .replace("name: web}", "name: web-v2}")
        .replace("{app: web}", "{app: web, v: \"2\"}")
        .replace("containerPort: 8080", "containerPort: 9090")
        .replace("replicas: 3", "replicas: 1");
    let manifest = format!("{WEB}---\n{other}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, labels: {{tier: front}}}}\nspec: {{selector: {{app: web}}, ports: [{{name: http, port: 80, targetPort: http}}]}}\n");
    check(
        &manifest,
        &["kubectl get endpointslices", "kubectl get endpoints web"],
        expect![[r#"
            $ kubectl get endpointslices
            NAME        ADDRESSTYPE   PORTS   ENDPOINTS                          AGE
            web-5nqtp   IPv4          9090    10.244.1.3                         5s
            web-wfqmd   IPv4          8080    10.244.1.2,10.244.2.2,10.244.3.2   5s
            $ kubectl get endpoints web
            Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
            NAME   ENDPOINTS                                                     AGE
            web    10.244.1.2:8080,10.244.2.2:8080,10.244.3.2:8080 + 1 more...   10s
        "#]],
    );
    let out = session(&manifest, &["kubectl get endpointslices -o json"]);
    let json: serde_json::Value = serde_json::from_str(out.split_once('\n').unwrap().1).unwrap();
    let slice = &json["items"][0];
    assert_eq!(
        slice["metadata"]["labels"]["kubernetes.io/service-name"],
        "web"
    );
    assert_eq!(
        slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"],
        "endpointslice-controller.k8s.io"
    );
    assert_eq!(
        slice["metadata"]["labels"]["tier"], "front",
        "the Service's labels are copied"
    );
    assert_eq!(slice["metadata"]["generateName"], "web-");
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");
    assert_eq!(slice["endpoints"][0]["targetRef"]["kind"], "Pod");
    assert_eq!(slice["endpoints"][0]["conditions"]["ready"], true);
}

#[test]
fn rule_5_3_not_ready_and_terminating_pods() {
    let manifest = format!("{WEB}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{selector: {{app: web}}, ports: [{{port: 80, targetPort: 8080}}]}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: leaving, labels: {{app: web}}, finalizers: [example.com/hold]}}\nspec: {{containers: [{{name: c, image: nginx}}]}}\n");
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: manifest,
    }];
    let mut s = Session::start(1, &files).unwrap();
    let first = s
        .run("kubectl get pods -l app=web -o name")
        .lines()
        .find(|l| l.starts_with("pod/web-"))
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    s.run(&format!(
        "kubectl annotate pod {first} kubeplay.io/ready=false"
    ));
    s.run("kubectl delete pod leaving");
    let json: serde_json::Value =
        serde_json::from_str(&s.run("kubectl get endpointslices -o json")).unwrap();
    let endpoints = json["items"][0]["endpoints"].as_array().unwrap();
    let by_pod = |name: &str| {
        endpoints
            .iter()
            .find(|e| e["targetRef"]["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_pod(&first)["conditions"],
        serde_json::json!({"ready": false, "serving": false, "terminating": false})
    );
    assert_eq!(
        by_pod("leaving")["conditions"],
        serde_json::json!({"ready": false, "serving": true, "terminating": true})
    );
    let ep_text = s.run("kubectl get endpoints web -o json");
    // The first line is the deprecation warning.
    let ep: serde_json::Value = serde_json::from_str(ep_text.split_once('\n').unwrap().1).unwrap();
    let subset = &ep["subsets"][0];
    assert_eq!(
        subset["addresses"].as_array().unwrap().len(),
        2,
        "two ready pods"
    );
    assert_eq!(
        subset["notReadyAddresses"].as_array().unwrap().len(),
        1,
        "the not-ready pod"
    );
    assert!(
        !ep.to_string().contains("leaving"),
        "terminating pods are left out of Endpoints"
    );
}

#[test]
fn rule_5_3_headless_and_selectorless_services() {
    let manifest = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: legacy}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy}\nsubsets: [{addresses: [{ip: 192.0.2.42}], ports: [{port: 9376}]}]\n";
    check(
        manifest,
        &[
            "kubectl get endpointslices,endpoints",
            "kubectl get endpointslices -l service.kubernetes.io/headless -o name",
        ],
        expect![[r#"
            $ kubectl get endpointslices,endpoints
            Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
            NAME                                             ADDRESSTYPE   PORTS     ENDPOINTS    AGE
            endpointslice.discovery.k8s.io/db-psst9          IPv4          <unset>   <unset>      5s
            endpointslice.discovery.k8s.io/legacy-mirror-0   IPv4          9376      192.0.2.42   5s

            NAME               ENDPOINTS         AGE
            endpoints/db       <none>            5s
            endpoints/legacy   192.0.2.42:9376   5s
            $ kubectl get endpointslices -l service.kubernetes.io/headless -o name
            endpointslice.discovery.k8s.io/db-psst9
        "#]],
    );
}

#[test]
fn rule_7_5_service_environment_variables_for_services_that_existed_at_start() {
    // `web` exists before the pods start; `late` is applied afterwards, so the running
    // pods do not see it until they are recreated.
    let manifest = format!("{WEB}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{selector: {{app: web}}, ports: [{{name: http, port: 80, targetPort: http}}]}}\n");
    let late = "apiVersion: v1\nkind: Service\nmetadata: {name: late-svc}\nspec: {ports: [{port: 5432}]}\n";
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: manifest,
    }];
    let mut s = Session::start(1, &files).unwrap();
    s.add_file(SourceFile {
        name: "late.yaml".into(),
        text: late.into(),
    });
    s.run("kubectl apply -f late.yaml");
    let pod = s
        .run("kubectl get pods -o name")
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    let env = s.run(&format!("kubectl exec {pod} -- env"));
    let ip = s.run("kubectl get svc web -o json");
    let ip: serde_json::Value = serde_json::from_str(&ip).unwrap();
    let ip = ip["spec"]["clusterIP"].as_str().unwrap().to_string();
    for line in [
        format!("WEB_SERVICE_HOST={ip}"),
        "WEB_SERVICE_PORT=80".into(),
        "WEB_SERVICE_PORT_HTTP=80".into(),
        format!("WEB_PORT=tcp://{ip}:80"),
        format!("WEB_PORT_80_TCP=tcp://{ip}:80"),
        "WEB_PORT_80_TCP_PROTO=tcp".into(),
        "WEB_PORT_80_TCP_PORT=80".into(),
        format!("WEB_PORT_80_TCP_ADDR={ip}"),
        "KUBERNETES_SERVICE_HOST=10.96.0.1".into(),
        "KUBERNETES_SERVICE_PORT_HTTPS=443".into(),
        format!("HOSTNAME={pod}"),
    ] {
        assert!(
            env.lines().any(|l| l == line),
            "{line} missing from:\n{env}"
        );
    }
    assert!(
        !env.contains("LATE_SVC"),
        "created after the pod started:\n{env}"
    );
    // The pod the ReplicaSet starts in its place sees it.
    s.run(&format!("kubectl delete pod {pod}"));
    let pods = s.run("kubectl get pods -o name");
    let mut knowing = Vec::new();
    for p in pods.lines().map(|p| p.trim_start_matches("pod/")) {
        if !s
            .run(&format!(
                "kubectl exec {p} -- printenv LATE_SVC_SERVICE_HOST"
            ))
            .is_empty()
        {
            knowing.push(p.to_string());
        }
    }
    assert_eq!(
        knowing.len(),
        1,
        "only the recreated pod knows the late service: {knowing:?}"
    );
    assert_eq!(
        s.run(&format!("kubectl exec {pod} -- env")),
        format!("Error from server (NotFound): pods \"{pod}\" not found")
    );
}

#[test]
fn rule_1_a_deleted_services_cluster_ip_and_node_port_are_free_again_and_an_update_keeps_its_own() {
    use kubeplay::engine::cluster::Cluster;
    use kubeplay::engine::store::Key;
    let objects = |text: &str| {
        kubeplay::engine::parse(&[SourceFile {
            name: "m.yaml".into(),
            text: text.into(),
        }])
        .objects
    };
    let first = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: NodePort, clusterIP: 10.96.0.20, ports: [{port: 80, nodePort: 30080}]}\n";
    let second = "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {type: NodePort, clusterIP: 10.96.0.20, ports: [{port: 80, nodePort: 30080}]}\n";
    let mut c = Cluster::new(1);
    c.bootstrap(&objects(first));
    let applied = kubeplay::engine::kubectl::apply(&mut c, &objects(first));
    assert!(applied.rejected.is_empty(), "{:?}", applied.rejected);
    // Applying the same Service again is not a clash with itself.
    let again = kubeplay::engine::kubectl::apply(&mut c, &objects(first));
    assert!(again.rejected.is_empty(), "{:?}", again.rejected);
    // Another Service asking for the same address and port is refused while `a` holds them…
    let refused = kubeplay::engine::kubectl::apply(&mut c, &objects(second));
    assert_eq!(refused.rejected.len(), 1, "{}", refused.output);
    assert!(
        refused.output.contains("provided IP is already allocated"),
        "{}",
        refused.output
    );
    // …and gets them once `a` is gone.
    assert!(c.delete(&Key::new("Service", "default", "a")));
    c.reconcile().expect("settles");
    let taken = kubeplay::engine::kubectl::apply(&mut c, &objects(second));
    assert!(taken.rejected.is_empty(), "{}", taken.output);
}
