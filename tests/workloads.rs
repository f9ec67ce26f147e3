//! StatefulSet and DaemonSet behaviour (RULES.md §4 "StatefulSet", §9 "Names", DaemonSet).

mod common;

use common::{check, session};
use expect_test::expect;

const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: 3\n  selector:\n    matchLabels: {app: nginx}\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: nginx\n        image: registry.k8s.io/nginx-slim:0.24\n        volumeMounts:\n        - {name: www, mountPath: /usr/share/nginx/html}\n  volumeClaimTemplates:\n  - metadata: {name: www}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n";

#[test]
fn rule_4_statefulset_pods_are_named_by_ordinal_with_one_claim_each() {
    check(
        STS,
        &["kubectl get sts,pods,pvc", "kubectl get pod web-1 -o json"],
        expect![[r#"
            $ kubectl get sts,pods,pvc
            NAME                   READY   AGE
            statefulset.apps/web   3/3     5s

            NAME        READY   STATUS    RESTARTS   AGE
            pod/web-0   1/1     Running   0          5s
            pod/web-1   1/1     Running   0          5s
            pod/web-2   1/1     Running   0          5s

            NAME                              STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            persistentvolumeclaim/www-web-0   Bound    pvc-3c821fbf-5910-4163-a7ff-0d388687ffb2   1Gi        RWO            standard       <unset>                 5s
            persistentvolumeclaim/www-web-1   Bound    pvc-c09a1a81-7914-4fbc-a8b8-94e1401ed25b   1Gi        RWO            standard       <unset>                 5s
            persistentvolumeclaim/www-web-2   Bound    pvc-b0eb094e-6f1d-4f73-a0cc-b6a06cd2330e   1Gi        RWO            standard       <unset>                 5s
            $ kubectl get pod web-1 -o json
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2025-01-01T00:00:00Z",
                "generation": 1,
                "labels": {
                  "app": "nginx",
                  "apps.kubernetes.io/pod-index": "1",
                  "statefulset.kubernetes.io/pod-name": "web-1"
                },
                "name": "web-1",
                "namespace": "default",
                "ownerReferences": [
                  {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": true,
                    "controller": true,
                    "kind": "StatefulSet",
                    "name": "web",
                    "uid": "497305c5-d1aa-499f-8c43-407dc177b6f7"
                  }
                ],
                "resourceVersion": "57",
                "uid": "1eb967d7-9298-43bb-8966-3e9ea0ec2561"
              },
              "spec": {
                "containers": [
                  {
                    "image": "registry.k8s.io/nginx-slim:0.24",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "nginx",
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/usr/share/nginx/html",
                        "name": "www"
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "hostname": "web-1",
                "nodeName": "kind-worker3",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "subdomain": "nginx",
                "terminationGracePeriodSeconds": 30,
                "volumes": [
                  {
                    "name": "www",
                    "persistentVolumeClaim": {
                      "claimName": "www-web-1"
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastTransitionTime": "2025-01-01T00:00:00Z",
                    "status": "True",
                    "type": "PodReadyToStartContainers"
                  },
                  {
                    "lastTransitionTime": "2025-01-01T00:00:00Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastTransitionTime": "2025-01-01T00:00:00Z",
                    "status": "True",
                    "type": "Ready"
                  },
                  {
                    "lastTransitionTime": "2025-01-01T00:00:00Z",
                    "status": "True",
                    "type": "ContainersReady"
                  },
                  {
                    "lastTransitionTime": "2025-01-01T00:00:00Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "image": "registry.k8s.io/nginx-slim:0.24",
                    "name": "nginx",
                    "ready": true,
                    "started": true,
                    "state": {
                      "running": {
                        "startedAt": "2025-01-01T00:00:00Z"
                      }
                    }
                  }
                ],
                "hostIP": "172.18.0.4",
                "hostIPs": [
                  {
                    "ip": "172.18.0.4"
                  }
                ],
                "phase": "Running",
                "podIP": "10.244.3.2",
                "podIPs": [
                  {
                    "ip": "10.244.3.2"
                  }
                ],
                "qosClass": "BestEffort",
                "startTime": "2025-01-01T00:00:00Z"
              }
            }
        "#]],
    );
}

#[test]
fn rule_4_ordered_ready_creates_in_order_and_waits_for_readiness() {
    // The events show 0, 1, 2 in order; a not-ready pod holds back the next ordinal.
    let not_ready = STS.replace(
        "    metadata:\n      labels: {app: nginx}\n",
        "    metadata:\n      labels: {app: nginx}\n      annotations: {kubeplay.io/ready: \"false\"}\n",
    );
    check(
        &not_ready,
        &[
            "kubectl get pods",
            "kubectl annotate pod web-0 kubeplay.io/ready=true --overwrite",
            "kubectl get pods",
        ],
        expect![[r#"
            $ kubectl get pods
            NAME    READY   STATUS    RESTARTS   AGE
            web-0   0/1     Running   0          5s
            $ kubectl annotate pod web-0 kubeplay.io/ready=true --overwrite
            pod/web-0 annotated
            $ kubectl get pods
            NAME    READY   STATUS    RESTARTS   AGE
            web-0   1/1     Running   0          15s
            web-1   0/1     Running   0          5s
        "#]],
    );
    let events = session(STS, &["kubectl get events"]);
    let order: Vec<&str> = events
        .lines()
        .filter(|l| l.contains("create Pod"))
        .map(|l| {
            l.split("create Pod ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(order, ["web-0", "web-1", "web-2"]);
}

#[test]
fn rule_4_parallel_policy_does_not_wait() {
    let parallel = STS
        .replace("  replicas: 3\n", "  replicas: 3\n  podManagementPolicy: Parallel\n")
        .replace(
            "    metadata:\n      labels: {app: nginx}\n",
            "    metadata:\n      labels: {app: nginx}\n      annotations: {kubeplay.io/ready: \"false\"}\n",
        );
    check(
        &parallel,
        &["kubectl get pods"],
        expect![[r#"
        $ kubectl get pods
        NAME    READY   STATUS    RESTARTS   AGE
        web-0   0/1     Running   0          5s
        web-1   0/1     Running   0          5s
        web-2   0/1     Running   0          5s
    "#]],
    );
}

#[test]
fn rule_4_scale_down_removes_the_highest_ordinal_and_keeps_claims() {
    check(
        STS,
        &[
            "kubectl scale statefulset web --replicas=1",
            "kubectl scale sts/web --replicas=1",
            "kubectl get pods,pvc",
        ],
        expect![[r#"
            $ kubectl scale statefulset web --replicas=1
            statefulset.apps/web scaled
            $ kubectl scale sts/web --replicas=1
            statefulset.apps/web scaled
            $ kubectl get pods,pvc
            NAME        READY   STATUS    RESTARTS   AGE
            pod/web-0   1/1     Running   0          15s

            NAME                              STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            persistentvolumeclaim/www-web-0   Bound    pvc-3c821fbf-5910-4163-a7ff-0d388687ffb2   1Gi        RWO            standard       <unset>                 15s
            persistentvolumeclaim/www-web-1   Bound    pvc-c09a1a81-7914-4fbc-a8b8-94e1401ed25b   1Gi        RWO            standard       <unset>                 15s
            persistentvolumeclaim/www-web-2   Bound    pvc-b0eb094e-6f1d-4f73-a0cc-b6a06cd2330e   1Gi        RWO            standard       <unset>                 15s
        "#]],
    );
}

const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {name: fluentd}\n  template:\n    metadata:\n      labels: {name: fluentd}\n    spec:\n      containers:\n      - name: fluentd\n        image: fluent/fluentd:v1.16\n        volumeMounts:\n        - {name: varlog, mountPath: /var/log}\n      volumes:\n      - name: varlog\n        hostPath: {path: /var/log/containers}\n";

#[test]
fn rule_9_daemonset_runs_one_pod_per_eligible_node() {
    check(
        DS,
        &[
            "kubectl get ds -n kube-system",
            "kubectl get pods -n kube-system -l name=fluentd -o wide",
        ],
        expect![[r#"
            $ kubectl get ds -n kube-system
            NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
            fluentd   3         3         3       3            3           <none>          5s
            $ kubectl get pods -n kube-system -l name=fluentd -o wide
            NAME            READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            fluentd-ksvcm   1/1     Running   0          10s   10.244.1.3   kind-worker    <none>           <none>
            fluentd-st9cb   1/1     Running   0          10s   10.244.2.3   kind-worker2   <none>           <none>
            fluentd-xlksm   1/1     Running   0          10s   10.244.3.2   kind-worker3   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_9_daemonset_follows_node_selector_and_labels() {
    let picky = DS.replace(
        "    spec:\n      containers:",
        "    spec:\n      nodeSelector: {logging: enabled}\n      containers:",
    );
    check(
        &picky,
        &[
            "kubectl get ds -n kube-system",
            "kubectl label node kind-worker2 logging=enabled",
            "kubectl get pods -n kube-system -l name=fluentd -o wide",
        ],
        expect![[r#"
            $ kubectl get ds -n kube-system
            NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR     AGE
            fluentd   0         0         0       0            0           logging=enabled   5s
            $ kubectl label node kind-worker2 logging=enabled
            node/kind-worker2 labeled
            $ kubectl get pods -n kube-system -l name=fluentd -o wide
            NAME            READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            fluentd-9cbl8   1/1     Running   0          5s    10.244.2.3   kind-worker2   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_9_daemonset_pods_tolerate_cordoned_nodes() {
    check(
        DS,
        &[
            "kubectl cordon kind-worker",
            "kubectl delete pod -n kube-system -l name=fluentd",
            "kubectl get ds -n kube-system",
        ],
        expect![[r#"
            $ kubectl cordon kind-worker
            node/kind-worker cordoned
            $ kubectl delete pod -n kube-system -l name=fluentd
            pod "fluentd-ksvcm" deleted
            pod "fluentd-st9cb" deleted
            pod "fluentd-xlksm" deleted
            $ kubectl get ds -n kube-system
            NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
            fluentd   3         3         3       3            3           <none>          15s
        "#]],
    );
}
