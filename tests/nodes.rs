//! Node operations (RULES.md §9 "Cordon", "Drain") and the scheduler's view of them.

mod common;

use common::check;
use expect_test::expect;

const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

const MIXED: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {name: agent}}\n  template:\n    metadata: {labels: {name: agent}}\n    spec:\n      containers: [{name: a, image: busybox}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cache}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: cache}}\n  template:\n    metadata: {labels: {app: cache}}\n    spec:\n      containers: [{name: c, image: redis}]\n      volumes: [{name: scratch, emptyDir: {}}]\n";

#[test]
fn rule_9_cordon_marks_the_node_and_new_pods_avoid_it() {
    check(
        WEB,
        &[
            "kubectl cordon kind-worker",
            "kubectl cordon kind-worker",
            "kubectl get nodes",
            "kubectl scale deploy/web --replicas=6",
            "kubectl get pods -o wide",
            "kubectl describe node kind-worker",
            "kubectl uncordon kind-worker",
            "kubectl get nodes",
        ],
        expect![[r#"
            $ kubectl cordon kind-worker
            node/kind-worker cordoned
            $ kubectl cordon kind-worker
            node/kind-worker already cordoned
            $ kubectl get nodes
            NAME           STATUS                     ROLES    AGE   VERSION
            kind-worker    Ready,SchedulingDisabled   <none>   15s   v1.33.1
            kind-worker2   Ready                      <none>   15s   v1.33.1
            kind-worker3   Ready                      <none>   15s   v1.33.1
            $ kubectl scale deploy/web --replicas=6
            deployment.apps/web scaled
            $ kubectl get pods -o wide
            NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            web-694b8fc65c-42v9q   1/1     Running   0          25s   10.244.1.2   kind-worker    <none>           <none>
            web-694b8fc65c-kmcs7   1/1     Running   0          25s   10.244.2.2   kind-worker2   <none>           <none>
            web-694b8fc65c-qmd99   1/1     Running   0          5s    10.244.3.3   kind-worker3   <none>           <none>
            web-694b8fc65c-qtpx4   1/1     Running   0          5s    10.244.2.4   kind-worker2   <none>           <none>
            web-694b8fc65c-vcmps   1/1     Running   0          25s   10.244.3.2   kind-worker3   <none>           <none>
            web-694b8fc65c-wgs55   1/1     Running   0          5s    10.244.3.4   kind-worker3   <none>           <none>
            $ kubectl describe node kind-worker
            Name:               kind-worker
            Roles:              <none>
            Labels:             beta.kubernetes.io/arch=amd64
                                beta.kubernetes.io/os=linux
                                kubernetes.io/arch=amd64
                                kubernetes.io/hostname=kind-worker
                                kubernetes.io/os=linux
            Annotations:        <none>
            CreationTimestamp:  2025-01-01T00:00:00Z
            Taints:             node.kubernetes.io/unschedulable:NoSchedule
            Unschedulable:      true
            Conditions:
              Type   Status  Reason        Message
              ----   ------  ------        -------
              Ready  True    KubeletReady  kubelet is posting ready status
            Addresses:
              InternalIP:  172.18.0.2
              Hostname:    kind-worker
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
            PodCIDR:            10.244.1.0/24
            PodCIDRs:           10.244.1.0/24
            Non-terminated Pods:          (2 in total)
              Namespace    Name                      Age
              ---------    ----                      ---
              default      web-694b8fc65c-42v9q      30s
              kube-system  coredns-66bd94dfbf-9cbl8  30s
            Events:
              Type    Reason              Age   From     Message
              ----    ------              ----  ----     -------
              Normal  NodeNotSchedulable  25s   kubelet  Node kind-worker status is now: NodeNotSchedulable
            $ kubectl uncordon kind-worker
            node/kind-worker uncordoned
            $ kubectl get nodes
            NAME           STATUS   ROLES    AGE   VERSION
            kind-worker    Ready    <none>   40s   v1.33.1
            kind-worker2   Ready    <none>   40s   v1.33.1
            kind-worker3   Ready    <none>   40s   v1.33.1
        "#]],
    );
}

#[test]
fn rule_9_drain_refuses_without_flags_with_kubectls_messages() {
    check(
        MIXED,
        &[
            "kubectl drain kind-worker",
            "kubectl drain kind-worker --ignore-daemonsets",
        ],
        expect![[r#"
            $ kubectl drain kind-worker
            node/kind-worker cordoned
            error: unable to drain node "kind-worker" due to error: [cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/agent-phmz7, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-f6984966f-sst9c, cannot delete Pods that declare no controller (use --force to override): default/lonely], continuing command...
            There are pending nodes to be drained:
             kind-worker
            $ kubectl drain kind-worker --ignore-daemonsets
            node/kind-worker already cordoned
            error: unable to drain node "kind-worker" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-f6984966f-sst9c, cannot delete Pods that declare no controller (use --force to override): default/lonely], continuing command...
            There are pending nodes to be drained:
             kind-worker
        "#]],
    );
}

#[test]
fn rule_9_drain_with_flags_evicts_and_pods_are_rescheduled() {
    check(
        MIXED,
        &[
            "kubectl drain kind-worker --ignore-daemonsets --delete-emptydir-data --force",
            "kubectl get pods -o wide",
        ],
        expect![[r#"
            $ kubectl drain kind-worker --ignore-daemonsets --delete-emptydir-data --force
            node/kind-worker cordoned
            Warning: ignoring DaemonSet-managed Pods: kube-system/agent-phmz7; deleting Pods with local storage: default/cache-f6984966f-sst9c; deleting Pods that declare no controller: default/lonely
            evicting pod default/cache-f6984966f-sst9c
            evicting pod default/lonely
            pod/cache-f6984966f-sst9c evicted
            pod/lonely evicted
            node/kind-worker drained
            $ kubectl get pods -o wide
            NAME                    READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            cache-f6984966f-7d242   1/1     Running   0          10s   10.244.2.2   kind-worker2   <none>           <none>
            cache-f6984966f-qksvc   1/1     Running   0          10s   10.244.3.2   kind-worker3   <none>           <none>
            cache-f6984966f-smvp5   1/1     Running   0          5s    10.244.2.5   kind-worker2   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_9_a_cordoned_node_gives_the_unschedulable_reason() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n";
    // A pod created while every node is cordoned stays Pending with the scheduler's reason.
    let cordoned = "apiVersion: v1\nkind: Node\nmetadata: {name: only}\nspec: {unschedulable: true}\nstatus:\n  conditions: [{type: Ready, status: \"True\"}]\n  allocatable: {cpu: \"2\", memory: 2Gi, pods: \"110\"}\n---\n";
    check(
        &format!("{cordoned}{pod}"),
        &["kubectl get pods", "kubectl describe pod p"],
        expect![[r#"
            $ kubectl get pods
            NAME   READY   STATUS    RESTARTS   AGE
            p      0/1     Pending   0          5s
            $ kubectl describe pod p
            Name:             p
            Namespace:        default
            Priority:         0
            Service Account:  default
            Node:             <none>
            Labels:           <none>
            Annotations:      <none>
            Status:           Pending
            IP:
            IPs:              <none>
            Containers:
              c:
                Image:          busybox
                Port:           <none>
                State:          Waiting
                  Reason:       Pending
                Ready:          False
                Restart Count:  0
                Mounts:         <none>
            Conditions:
              Type          Status
              PodScheduled  False
            Volumes:
              <none>
            QoS Class:        BestEffort
            Node-Selectors:   <none>
            Tolerations:      <none>
            Events:
              Type     Reason            Age   From               Message
              ----     ------            ----  ----               -------
              Warning  FailedScheduling  10s   default-scheduler  0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.
        "#]],
    );
}
