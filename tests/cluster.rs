//! Cluster-core scenarios: manifest + terminal commands ⇒ terminal output, as inline
//! snapshots (`UPDATE_EXPECT=1 cargo test` refreshes them; read the diff).

mod common;

use common::{check, session};
use expect_test::expect;
use kubeplay::engine::session::Session;
use kubeplay::engine::SourceFile;

const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

#[test]
fn deployment_of_three_spreads_over_three_nodes() {
    check(
        WEB,
        &["kubectl get deployments", "kubectl get pods -o wide"],
        expect![[r#"
            $ kubectl get deployments
            NAME   READY   UP-TO-DATE   AVAILABLE   AGE
            web    3/3     3            3           5s
            $ kubectl get pods -o wide
            NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            web-694b8fc65c-42v9q   1/1     Running   0          10s   10.244.1.2   kind-worker    <none>           <none>
            web-694b8fc65c-kmcs7   1/1     Running   0          10s   10.244.2.2   kind-worker2   <none>           <none>
            web-694b8fc65c-vcmps   1/1     Running   0          10s   10.244.3.2   kind-worker3   <none>           <none>
        "#]],
    );
}

#[test]
fn scaling_up_and_down() {
    check(
        WEB,
        &[
            "kubectl scale deployment/web --replicas=5",
            "kubectl get deploy web",
            "kubectl scale deploy/web --replicas=1",
            "kubectl get pods",
        ],
        expect![[r#"
            $ kubectl scale deployment/web --replicas=5
            deployment.apps/web scaled
            $ kubectl get deploy web
            NAME   READY   UP-TO-DATE   AVAILABLE   AGE
            web    5/5     5            5           10s
            $ kubectl scale deploy/web --replicas=1
            deployment.apps/web scaled
            $ kubectl get pods
            NAME                   READY   STATUS    RESTARTS   AGE
            web-694b8fc65c-42v9q   1/1     Running   0          20s
        "#]],
    );
}

#[test]
fn a_deleted_pod_is_recreated_with_a_new_name() {
    let out = session(WEB, &["kubectl get pods -o name"]);
    let first = out
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    check(
        WEB,
        &[&format!("kubectl delete pod {first}"), "kubectl get pods"],
        expect![[r#"
            $ kubectl delete pod web-694b8fc65c-42v9q
            pod "web-694b8fc65c-42v9q" deleted
            $ kubectl get pods
            NAME                   READY   STATUS    RESTARTS   AGE
            web-694b8fc65c-kmcs7   1/1     Running   0          10s
            web-694b8fc65c-vcmps   1/1     Running   0          10s
            web-694b8fc65c-wgs55   1/1     Running   0          5s
        "#]],
    );
}

#[test]
fn unschedulable_pod_gets_the_schedulers_failed_scheduling_message() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: picky}\nspec:\n  nodeSelector: {disktype: ssd}\n  containers:\n  - name: c\n    image: busybox\n    resources:\n      requests: {cpu: \"64\"}\n";
    check(
        pod,
        &["kubectl get pods", "kubectl get events"],
        expect![[r#"
        $ kubectl get pods
        NAME    READY   STATUS    RESTARTS   AGE
        picky   0/1     Pending   0          5s
        $ kubectl get events
        LAST SEEN   TYPE      REASON             OBJECT      MESSAGE
        10s         Warning   FailedScheduling   pod/picky   0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
    "#]],
    );
}

#[test]
fn garbage_collection_on_deployment_delete() {
    check(
        WEB,
        &[
            "kubectl delete deployment web",
            "kubectl get rs",
            "kubectl get pods",
        ],
        expect![[r#"
        $ kubectl delete deployment web
        deployment.apps "web" deleted
        $ kubectl get rs
        No resources found in default namespace.
        $ kubectl get pods
        No resources found in default namespace.
    "#]],
    );
}

#[test]
fn errors_use_kubectls_wording() {
    check(
        WEB,
        &[
            "kubectl get pods nosuch",
            "kubectl get foo",
            "kubectl frob",
            "kubectl get",
            "kubectl scale deploy/nosuch --replicas=2",
        ],
        expect![[r#"
        $ kubectl get pods nosuch
        Error from server (NotFound): pods "nosuch" not found
        $ kubectl get foo
        error: the server doesn't have a resource type "foo"
        $ kubectl frob
        error: unknown command "frob" for "kubectl"
        Run 'help' for the commands kubeplay simulates.
        $ kubectl get
        You must specify the type of resource to get. Run 'help' for the kinds kubeplay simulates.
        error: Required resource not specified.
        $ kubectl scale deploy/nosuch --replicas=2
        Error from server (NotFound): deployments "nosuch" not found
    "#]],
    );
}

#[test]
fn get_o_json_is_a_real_api_list() {
    let out = session(WEB, &["kubectl get pods -o json"]);
    let json: serde_json::Value =
        serde_json::from_str(out.split_once('\n').unwrap().1).expect("valid JSON");
    assert_eq!(json["kind"], "List");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        assert_eq!(item["kind"], "Pod");
        assert_eq!(item["status"]["phase"], "Running");
        assert_eq!(item["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
        assert!(item["metadata"]["uid"].as_str().unwrap().len() == 36);
    }
}

#[test]
fn determinism_same_input_and_seed_give_identical_output() {
    let cmds = [
        "kubectl get pods -o json",
        "kubectl scale deploy/web --replicas=4",
        "kubectl get events",
    ];
    assert_eq!(session(WEB, &cmds), session(WEB, &cmds));
}

#[test]
fn namespace_flags_are_read_the_same_by_every_command() {
    check(
        WEB,
        &[
            "kubectl get pods -n kube-system",
            "kubectl get deploy --namespace=default",
            "kubectl scale deploy/web -n other --replicas=2",
            "kubectl delete deploy web --namespace other",
            "kubectl get pods -n",
        ],
        expect![[r#"
            $ kubectl get pods -n kube-system
            NAME                       READY   STATUS    RESTARTS   AGE
            coredns-66bd94dfbf-9cbl8   1/1     Running   0          5s
            coredns-66bd94dfbf-ksmpd   1/1     Running   0          5s
            $ kubectl get deploy --namespace=default
            NAME   READY   UP-TO-DATE   AVAILABLE   AGE
            web    3/3     3            3           10s
            $ kubectl scale deploy/web -n other --replicas=2
            Error from server (NotFound): deployments "web" not found
            $ kubectl delete deploy web --namespace other
            Error from server (NotFound): deployments "web" not found
            $ kubectl get pods -n
            error: flag needs an argument: 'n' in -n
        "#]],
    );
}

#[test]
fn a_new_pod_template_scales_the_old_replicaset_down_from_its_size() {
    let file = |name: &str, text: &str| SourceFile {
        name: name.into(),
        text: text.into(),
    };
    let mut s = Session::start(1, &[file("v1.yaml", WEB)]).unwrap();
    let v2 = WEB
        .replace("nginx:1.27", "nginx:1.28")
        .replace("replicas: 3", "replicas: 2");
    s.add_file(file("v2.yaml", &v2));
    assert_eq!(
        s.run("kubectl apply -f v2.yaml"),
        "deployment.apps/web configured"
    );
    let rs = s.run("kubectl get rs");
    let old = rs
        .lines()
        .find(|l| l.contains("   0   "))
        .expect("an old ReplicaSet at 0")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let events = s.run("kubectl get events");
    assert!(
        events.contains(&format!("Scaled down replica set {old} from 3 to 0")),
        "{events}"
    );
    assert_eq!(s.run("kubectl get pods").lines().count(), 3, "two new pods");
    assert_eq!(
        s.run("kubectl apply -f -"),
        "deployment.apps/web configured"
    );
    assert_eq!(s.run("kubectl apply -f -"), "deployment.apps/web unchanged");
    assert_eq!(
        s.run("kubectl apply -f nosuch.yaml"),
        "error: the path \"nosuch.yaml\" does not exist"
    );
}

#[test]
fn rule_1_default_cluster_objects_are_visible() {
    check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: empty}\n",
        &[
            "kubectl get nodes -o wide",
            "kubectl get ns",
            "kubectl get svc,deploy -A",
            "kubectl get pods -n kube-system -o wide",
        ],
        expect![[r#"
            $ kubectl get nodes -o wide
            NAME           STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
            kind-worker    Ready    <none>   5s    v1.33.1   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1
            kind-worker2   Ready    <none>   5s    v1.33.1   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1
            kind-worker3   Ready    <none>   5s    v1.33.1   172.18.0.4    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1
            $ kubectl get ns
            NAME              STATUS   AGE
            default           Active   10s
            kube-node-lease   Active   10s
            kube-public       Active   10s
            kube-system       Active   10s
            $ kubectl get svc,deploy -A
            NAMESPACE     NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
            default       service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  15s
            kube-system   service/kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   15s

            NAMESPACE     NAME                      READY   UP-TO-DATE   AVAILABLE   AGE
            kube-system   deployment.apps/coredns   2/2     2            2           15s
            $ kubectl get pods -n kube-system -o wide
            NAME                       READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            coredns-66bd94dfbf-d242v   1/1     Running   0          20s   10.244.1.2   kind-worker    <none>           <none>
            coredns-66bd94dfbf-z6kmc   1/1     Running   0          20s   10.244.2.2   kind-worker2   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_1_cluster_configuration_changes_subnets() {
    let cfg = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.100.0.0/16\n  podSubnet: 192.168.0.0/16\n  dnsDomain: example.internal\n";
    check(
        cfg,
        &["kubectl get svc -A", "kubectl get pods -A -o wide"],
        expect![[r#"
            $ kubectl get svc -A
            NAMESPACE     NAME         TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)                  AGE
            default       kubernetes   ClusterIP   10.100.0.1    <none>        443/TCP                  5s
            kube-system   kube-dns     ClusterIP   10.100.0.10   <none>        53/UDP,53/TCP,9153/TCP   5s
            $ kubectl get pods -A -o wide
            NAMESPACE     NAME                       READY   STATUS    RESTARTS   AGE   IP            NODE           NOMINATED NODE   READINESS GATES
            kube-system   coredns-66bd94dfbf-r2z6k   1/1     Running   0          10s   192.168.1.2   kind-worker    <none>           <none>
            kube-system   coredns-66bd94dfbf-s7d24   1/1     Running   0          10s   192.168.2.2   kind-worker2   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_9_input_nodes_replace_the_default_nodes() {
    let nodes = "apiVersion: v1\nkind: Node\nmetadata:\n  name: edge-a\n  labels: {topology.kubernetes.io/zone: a}\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: edge-b\nspec:\n  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]\n";
    check(
        nodes,
        &[
            "kubectl get nodes -o wide",
            "kubectl get pods -n kube-system -o wide",
            "kubectl describe node edge-b",
        ],
        expect![[r#"
            $ kubectl get nodes -o wide
            NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
            edge-a   Ready    <none>   5s    v1.33.1   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1
            edge-b   Ready    <none>   5s    v1.33.1   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1
            $ kubectl get pods -n kube-system -o wide
            NAME                       READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
            coredns-66bd94dfbf-mcs7d   1/1     Running   0          10s   10.244.1.2   edge-a   <none>           <none>
            coredns-66bd94dfbf-x5r2z   1/1     Running   0          10s   10.244.1.3   edge-a   <none>           <none>
            $ kubectl describe node edge-b
            Name:               edge-b
            Roles:              <none>
            Labels:             beta.kubernetes.io/arch=amd64
                                beta.kubernetes.io/os=linux
                                kubernetes.io/arch=amd64
                                kubernetes.io/hostname=edge-b
                                kubernetes.io/os=linux
            Annotations:        <none>
            CreationTimestamp:  2025-01-01T00:00:00Z
            Taints:             dedicated=gpu:NoSchedule
            Unschedulable:      false
            Conditions:
              Type   Status  Reason        Message
              ----   ------  ------        -------
              Ready  True    KubeletReady  kubelet is posting ready status
            Addresses:
              InternalIP:  172.18.0.3
              Hostname:    edge-b
            Capacity:
              cpu:                4
              ephemeral-storage:  100Gi
              memory:             8Gi
              pods:               110
            Allocatable:
              cpu:                4
              ephemeral-storage:  100Gi
              memory:             8Gi
              pods:               110
            PodCIDR:            10.244.2.0/24
            PodCIDRs:           10.244.2.0/24
            Non-terminated Pods:          (0 in total)
              Namespace  Name  Age
              ---------  ----  ---
            Events:  <none>
        "#]],
    );
}

#[test]
fn get_several_kinds_and_label_selectors() {
    check(
        WEB,
        &[
            "kubectl get deploy,rs",
            "kubectl get pods -l app=web,pod-template-hash -o name",
            "kubectl get pods -l 'app in (api)'",
            "kubectl get pods -l 'app in (web'",
            "kubectl get deploy,rs web",
        ],
        expect![[r#"
            $ kubectl get deploy,rs
            NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
            deployment.apps/web   3/3     3            3           5s

            NAME                             DESIRED   CURRENT   READY   AGE
            replicaset.apps/web-694b8fc65c   3         3         3       5s
            $ kubectl get pods -l app=web,pod-template-hash -o name
            pod/web-694b8fc65c-42v9q
            pod/web-694b8fc65c-kmcs7
            pod/web-694b8fc65c-vcmps
            $ kubectl get pods -l 'app in (api)'
            No resources found in default namespace.
            $ kubectl get pods -l 'app in (web'
            error: unable to parse requirement: found 'app in (web', expected: label selector such as app=web, app!=web, app in (a,b), app, !app
            $ kubectl get deploy,rs web
            error: you must specify only one resource type when naming resources (use TYPE/NAME for each)
        "#]],
    );
}

#[test]
fn label_and_annotate_follow_kubectl() {
    check(
        WEB,
        &[
            "kubectl label deploy web tier=front",
            "kubectl label deploy web tier=back",
            "kubectl label deploy web tier=back --overwrite",
            "kubectl label deploy/web 'bad key=x'",
            "kubectl get deploy -l tier=back",
            "kubectl label deploy web tier-",
            "kubectl annotate deploy web note=hello",
        ],
        expect![[r#"
            $ kubectl label deploy web tier=front
            deployment.apps/web labeled
            $ kubectl label deploy web tier=back
            error: 'tier' already has a value (front), and --overwrite is false
            $ kubectl label deploy web tier=back --overwrite
            deployment.apps/web labeled
            $ kubectl label deploy/web 'bad key=x'
            error: invalid label spec: bad key=x: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            $ kubectl get deploy -l tier=back
            NAME   READY   UP-TO-DATE   AVAILABLE   AGE
            web    3/3     3            3           25s
            $ kubectl label deploy web tier-
            deployment.apps/web unlabeled
            $ kubectl annotate deploy web note=hello
            deployment.apps/web annotated
        "#]],
    );
}

#[test]
fn deletion_with_a_finalizer_leaves_the_object_terminating() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\nspec:\n  containers: [{name: c, image: busybox}]\n";
    check(
        pod,
        &["kubectl delete pod held", "kubectl get pods"],
        expect![[r#"
            $ kubectl delete pod held
            pod "held" deleted
            $ kubectl get pods
            NAME   READY   STATUS        RESTARTS   AGE
            held   1/1     Terminating   0          10s
        "#]],
    );
}

#[test]
fn get_o_yaml_reads_back_as_the_same_object() {
    let out = session(WEB, &["kubectl get deploy web -o yaml"]);
    let yaml = out.split_once('\n').unwrap().1;
    assert!(
        yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"),
        "{yaml}"
    );
    let json = session(WEB, &["kubectl get deploy web -o json"]);
    let json: serde_json::Value = serde_json::from_str(json.split_once('\n').unwrap().1).unwrap();
    let parsed = kubeplay::engine::parse(&[SourceFile {
        name: "out.yaml".into(),
        text: yaml.into(),
    }]);
    assert_eq!(parsed.diagnostics, vec![], "kubectl's YAML is valid input");
    assert_eq!(parsed.objects[0].object.to_json(), json);
}

#[test]
fn malformed_commands_get_a_message_never_a_panic() {
    let inputs = [
        "",
        "   ",
        "kubectl",
        "kubectl get",
        "kubectl get -n",
        "kubectl get pods -o",
        "kubectl get pods -o xml",
        "kubectl get pods -l",
        "kubectl get pods -l '!!'",
        "kubectl describe",
        "kubectl describe pod",
        "kubectl delete",
        "kubectl delete pod",
        "kubectl scale",
        "kubectl scale deploy/web",
        "kubectl scale deploy/web --replicas=-1",
        "kubectl scale foo/bar --replicas=1",
        "kubectl label",
        "kubectl label pod",
        "kubectl label deploy web =x",
        "kubectl label deploy web a=b=c",
        "kubectl cordon",
        "kubectl cordon a b",
        "kubectl drain",
        "kubectl drain nosuch",
        "kubectl drain kind-worker --frob",
        "kubectl apply",
        "kubectl apply -f",
        "kubectl apply -f /etc/passwd",
        "kubectl exec web -- ls",
        "kubectl get pods/",
        "kubectl get /x",
        "kubectl get ,,",
        "echo 'unterminated",
        "kubectl \"\" \"\"",
        "rm -rf /",
        "curl http://x",
        "kubectl get pods -n 'a b'",
        "\u{0}",
        "kubectl get 🚀",
    ];
    for input in inputs {
        let out = session(WEB, &[input]);
        assert!(out.starts_with(&format!("$ {input}\n")), "{input:?}: {out}");
    }
    check(
        WEB,
        &[
            "kubectl get pods -o xml",
            "kubectl scale deploy/web",
            "kubectl frob",
            "frob",
        ],
        expect![[r#"
            $ kubectl get pods -o xml
            error: unable to match a printer suitable for the output format "xml", allowed formats are: json,name,wide,yaml
            $ kubectl scale deploy/web
            error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0
            $ kubectl frob
            error: unknown command "frob" for "kubectl"
            Run 'help' for the commands kubeplay simulates.
            $ frob
            frob: command not found
            Run 'help' for the commands kubeplay simulates.
        "#]],
    );
}

#[test]
fn identical_unschedulable_pods_each_get_failed_scheduling_and_a_smaller_pod_still_fits() {
    // The scheduler reuses the verdict for pods asking the same as one that fit nowhere;
    // a pod asking less is judged on its own.
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 5\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec:\n      containers: [{name: c, image: busybox, resources: {requests: {cpu: \"3\"}}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: small}\nspec:\n  containers: [{name: c, image: busybox, resources: {requests: {cpu: 500m}}}]\n";
    let out = session(manifest, &["kubectl get pods", "kubectl get events"]);
    let pods: Vec<&str> = out.lines().filter(|l| l.starts_with("big-")).collect();
    assert_eq!(
        pods.iter().filter(|l| l.contains("Running")).count(),
        3,
        "{out}"
    );
    let pending: Vec<&str> = pods
        .iter()
        .filter(|l| l.contains("Pending"))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(pending.len(), 2, "{out}");
    for pod in pending {
        assert!(
            out.lines().any(|l| l.contains(&format!("pod/{pod}"))
                && l.contains("FailedScheduling")
                && l.contains("3 Insufficient cpu")),
            "{out}"
        );
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("small ") && l.contains("Running")),
        "{out}"
    );
}
