//! Cluster-core scenarios: manifest + terminal commands ⇒ terminal output, as inline
//! snapshots (`UPDATE_EXPECT=1 cargo test` refreshes them; read the diff).

use expect_test::{expect, Expect};
use kubeplay::engine::cluster::Cluster;
use kubeplay::engine::{kubectl, parse, SourceFile};

/// What `kubeplay run --seed 1 m.yaml -c ...` prints.
fn session(manifest: &str, commands: &[&str]) -> String {
    let parsed = parse(&[SourceFile {
        name: "m.yaml".into(),
        text: manifest.into(),
    }]);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut c = Cluster::new(1);
    c.bootstrap(&parsed.objects);
    kubectl::apply(&mut c, &parsed.objects);
    c.reconcile().expect("settles");
    let mut out = String::new();
    for cmd in commands {
        out.push_str(&format!("$ {cmd}\n{}\n", kubectl::run(&mut c, cmd)));
    }
    out
}

fn check(manifest: &str, commands: &[&str], expect: Expect) {
    expect.assert_eq(&session(manifest, commands));
}

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
            web-694b8fc65c-9qksv   1/1     Running   0          10s   10.244.1.2   kind-worker    <none>           <none>
            web-694b8fc65c-r2z6k   1/1     Running   0          10s   10.244.2.2   kind-worker2   <none>           <none>
            web-694b8fc65c-s7d24   1/1     Running   0          10s   10.244.3.2   kind-worker3   <none>           <none>
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
            web-694b8fc65c-9qksv   1/1     Running   0          20s
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
            $ kubectl delete pod web-694b8fc65c-9qksv
            pod "web-694b8fc65c-9qksv" deleted
            $ kubectl get pods
            NAME                   READY   STATUS    RESTARTS   AGE
            web-694b8fc65c-pdw78   1/1     Running   0          5s
            web-694b8fc65c-r2z6k   1/1     Running   0          10s
            web-694b8fc65c-s7d24   1/1     Running   0          10s
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
            coredns-66bd94dfbf-l8xlk   1/1     Running   0          5s
            coredns-66bd94dfbf-psst9   1/1     Running   0          5s
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
    let mut c = Cluster::new(1);
    c.bootstrap(&[]);
    let read = |text: &str| {
        parse(&[SourceFile {
            name: "m.yaml".into(),
            text: text.into(),
        }])
        .objects
    };
    kubectl::apply(&mut c, &read(WEB));
    c.reconcile().unwrap();
    let out = kubectl::apply(
        &mut c,
        &read(
            &WEB.replace("nginx:1.27", "nginx:1.28")
                .replace("replicas: 3", "replicas: 2"),
        ),
    );
    assert_eq!(out, "deployment.apps/web configured\n");
    c.reconcile().unwrap();
    let rs = kubectl::run(&mut c, "kubectl get rs");
    let old = rs
        .lines()
        .find(|l| l.contains("   0   "))
        .expect("an old ReplicaSet at 0")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let events = kubectl::run(&mut c, "kubectl get events");
    assert!(
        events.contains(&format!("Scaled down replica set {old} from 3 to 0")),
        "{events}"
    );
    assert_eq!(
        kubectl::run(&mut c, "kubectl get pods").lines().count(),
        3,
        "two new pods"
    );
}
