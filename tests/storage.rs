//! Storage (RULES.md §2–4): files in volumes, emptyDir and hostPath lifetimes, PV/PVC
//! binding, provisioning, WaitForFirstConsumer, reclaim policies, access modes, StatefulSet
//! claims, protection finalizers, validation, and `why pvc`.

mod common;

use common::{check, session};
use expect_test::expect;

const EMPTYDIR: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cache}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: cache}}\n  template:\n    metadata: {labels: {app: cache}}\n    spec:\n      containers:\n      - {name: writer, image: busybox, volumeMounts: [{name: scratch, mountPath: /cache}]}\n      - {name: reader, image: busybox, volumeMounts: [{name: scratch, mountPath: /data, readOnly: true}]}\n      volumes:\n      - name: scratch\n        emptyDir: {medium: Memory, sizeLimit: 64Mi}\n";

#[test]
fn rule_4_emptydir_is_shared_by_containers_and_dies_with_the_pod() {
    let out = session(
        EMPTYDIR,
        &["kubectl exec deploy/cache -c writer -- sh -c 'echo hello > /cache/greeting'"],
    );
    // `deploy/NAME` is not a pod: name the pod the way kubectl users do, by listing.
    assert!(out.contains("Error from server (NotFound)"), "{out}");
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: EMPTYDIR.into(),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let pod = s
        .run("kubectl get pods -o name")
        .trim()
        .trim_start_matches("pod/")
        .to_string();
    let run =
        |s: &mut kubeplay::engine::session::Session, cmd: &str| s.run(&cmd.replace("POD", &pod));
    assert_eq!(
        run(
            &mut s,
            "kubectl exec POD -c writer -- sh -c 'echo hello > /cache/greeting'"
        ),
        ""
    );
    assert_eq!(
        run(&mut s, "kubectl exec POD -c reader -- cat /data/greeting"),
        "hello"
    );
    assert_eq!(
        run(
            &mut s,
            "kubectl exec POD -c reader -- sh -c 'echo x > /data/other'"
        ),
        "sh: can't create /data/other: Read-only file system"
    );
    // Another path in the container is its own scratch layer, not shared.
    assert_eq!(
        run(
            &mut s,
            "kubectl exec POD -c writer -- sh -c 'echo mine > /tmp/x'"
        ),
        ""
    );
    assert_eq!(
        run(&mut s, "kubectl exec POD -c reader -- cat /tmp/x"),
        "cat: can't open '/tmp/x': No such file or directory"
    );
    let describe = run(&mut s, "kubectl describe pod POD");
    assert!(
        describe.contains("Medium:     Memory") && describe.contains("SizeLimit:  64Mi"),
        "{describe}"
    );
    run(&mut s, "kubectl delete pod POD");
    let new_pod = s
        .run("kubectl get pods -o name")
        .trim()
        .trim_start_matches("pod/")
        .to_string();
    assert_ne!(new_pod, pod);
    assert_eq!(
        s.run(&format!(
            "kubectl exec {new_pod} -c reader -- cat /data/greeting"
        )),
        "cat: can't open '/data/greeting': No such file or directory"
    );
    assert_eq!(
        s.run(&format!("kubectl exec {new_pod} -c reader -- ls /data")),
        ""
    );
}

const HOSTPATH: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox, volumeMounts: [{name: h, mountPath: /shared}]}]\n  volumes: [{name: h, hostPath: {path: /srv/shared, type: DirectoryOrCreate}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox, volumeMounts: [{name: h, mountPath: /mnt}]}]\n  volumes: [{name: h, hostPath: {path: /srv/shared}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: elsewhere}\nspec:\n  nodeName: kind-worker2\n  containers: [{name: c, image: busybox, volumeMounts: [{name: h, mountPath: /shared}]}]\n  volumes: [{name: h, hostPath: {path: /srv/shared, type: DirectoryOrCreate}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: strict}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: h, mountPath: /data}]}]\n  volumes: [{name: h, hostPath: {path: /mnt/data, type: Directory}}]\n";

#[test]
fn rule_4_hostpath_is_the_nodes_directory_and_type_is_checked() {
    check(
        HOSTPATH,
        &[
            "kubectl exec a -- sh -c 'echo from-a > /shared/note'",
            "kubectl exec b -- cat /mnt/note",
            "kubectl exec elsewhere -- ls /shared",
            "kubectl get pods -o wide",
            "kubectl describe pod strict",
        ],
        expect![[r#"
            $ kubectl exec a -- sh -c 'echo from-a > /shared/note'
            $ kubectl exec b -- cat /mnt/note
            from-a
            $ kubectl exec elsewhere -- ls /shared
            $ kubectl get pods -o wide
            NAME        READY   STATUS              RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            a           1/1     Running             0          20s   10.244.1.2   kind-worker    <none>           <none>
            b           1/1     Running             0          20s   10.244.1.3   kind-worker    <none>           <none>
            elsewhere   1/1     Running             0          20s   10.244.2.2   kind-worker2   <none>           <none>
            strict      0/1     ContainerCreating   0          20s   <none>       kind-worker3   <none>           <none>
            $ kubectl describe pod strict
            Name:             strict
            Namespace:        default
            Priority:         0
            Service Account:  default
            Node:             kind-worker3/172.18.0.4
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
                  Reason:       ContainerCreating
                Ready:          False
                Restart Count:  0
                Mounts:         /data from h (rw)
            Conditions:
              Type          Status
              PodScheduled  True
            Volumes:
              h:
                Type:          HostPath (bare host directory volume)
                Path:          /mnt/data
                HostPathType:  Directory
            QoS Class:        BestEffort
            Node-Selectors:   <none>
            Tolerations:      <none>
            Events:
              Type     Reason       Age                From               Message
              ----     ------       ----               ----               -------
              Normal   Scheduled    25s                default-scheduler  Successfully assigned default/strict to kind-worker3
              Warning  FailedMount  10s (x2 over 25s)  kubelet            MountVolume.SetUp failed for volume "h" : hostPath type check failed: /mnt/data is not a directory
        "#]],
    );
}

const STATIC: &str = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-1g}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv-1g}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-10g}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv-10g}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-many}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce, ReadOnlyMany, ReadWriteMany]\n  nfs: {server: nfs.example.com, path: /exports/many}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-gold, labels: {tier: gold}}\nspec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {path: /tmp/gold}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: small}\nspec: {storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {requests: {storage: 500Mi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared}\nspec: {storageClassName: \"\", accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: too-big}\nspec: {storageClassName: \"\", accessModes: [ReadWriteMany], resources: {requests: {storage: 2Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: gold}\nspec: {storageClassName: manual, selector: {matchLabels: {tier: gold}}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: silver}\nspec: {storageClassName: manual, selector: {matchLabels: {tier: silver}}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

#[test]
fn rule_2_1_smallest_fit_fewest_modes_selector_and_class() {
    check(
        STATIC,
        &[
            "kubectl get pv",
            "kubectl get pvc",
            "why pvc too-big",
            "why pvc silver",
        ],
        expect![[r#"
            $ kubectl get pv
            NAME      CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
            pv-10g    10Gi       RWO            Retain           Available                                   <unset>                          5s
            pv-1g     1Gi        RWO            Retain           Bound       default/small                   <unset>                          5s
            pv-gold   5Gi        RWO            Retain           Bound       default/gold     manual         <unset>                          5s
            pv-many   1Gi        RWO,ROX,RWX    Retain           Bound       default/shared                  <unset>                          5s
            $ kubectl get pvc
            NAME      STATUS    VOLUME    CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            gold      Bound     pv-gold   5Gi        RWO            manual         <unset>                 10s
            shared    Bound     pv-many   1Gi        RWO,ROX,RWX                   <unset>                 10s
            silver    Pending                                       manual         <unset>                 10s
            small     Bound     pv-1g     1Gi        RWO                           <unset>                 10s
            too-big   Pending                                                      <unset>                 10s
            $ why pvc too-big
            Pending: storageClassName is "" (or no default class exists), so nothing is provisioned; only a PersistentVolume without a class can bind, and none fits.
            PersistentVolumes considered:
              ✗ pv-10g: its access modes (RWO) do not include the claim's (RWX)
              ✗ pv-1g: it is bound to another claim (default/small)
              ✗ pv-gold: it is bound to another claim (default/gold)
              ✗ pv-many: it is bound to another claim (default/shared)
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
            $ why pvc silver
            Pending: StorageClass "manual" does not exist, so nothing can provision the claim, and no PersistentVolume of that class fits.
            PersistentVolumes considered:
              ✗ pv-10g: its labels do not match the claim's selector
              ✗ pv-1g: it is bound to another claim (default/small)
              ✗ pv-gold: it is bound to another claim (default/gold)
              ✗ pv-many: it is bound to another claim (default/shared)
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
        "#]],
    );
}

#[test]
fn rule_2_3_pre_binding_from_either_side() {
    let m = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: reserved}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  claimRef: {namespace: default, name: wanted}\n  hostPath: {path: /tmp/reserved}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: tiny}\nspec:\n  capacity: {storage: 100Mi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/tiny}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: other}\nspec: {storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: wanted}\nspec: {storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: named}\nspec: {storageClassName: \"\", volumeName: tiny, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
    check(
        m,
        &["kubectl get pvc", "kubectl describe pvc named"],
        expect![[r#"
            $ kubectl get pvc
            NAME     STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            named    Pending   tiny                                                <unset>                 5s
            other    Pending                                                       <unset>                 5s
            wanted   Bound     reserved   1Gi        RWO                           <unset>                 5s
            $ kubectl describe pvc named
            Name:          named
            Namespace:     default
            StorageClass:
            Status:        Pending
            Volume:        tiny
            Labels:        <none>
            Annotations:   <none>
            Finalizers:    [kubernetes.io/pvc-protection]
            Capacity:
            Access Modes:
            VolumeMode:    Filesystem
            Used By:       <none>
            Events:
              Type     Reason          Age   From                         Message
              ----     ------          ----  ----                         -------
              Warning  VolumeMismatch  10s   persistentvolume-controller  Cannot bind to requested volume "tiny": requested PV is too small
        "#]],
    );
}

#[test]
fn rule_2_2_classes_empty_missing_and_no_provisioner() {
    let m = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: local}\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: Immediate\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: none}\nspec: {storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: defaulted}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: missing}\nspec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: manual}\nspec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared}\nspec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: user}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: shared}}]\n";
    check(
        m,
        &[
            "kubectl get pvc",
            "kubectl describe pvc missing manual shared",
            "why pvc defaulted",
            "why pvc none",
        ],
        expect![[r#"
            $ kubectl get pvc
            NAME        STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            defaulted   Pending                                      standard       <unset>                 5s
            manual      Pending                                      local          <unset>                 5s
            missing     Pending                                      fast           <unset>                 5s
            none        Pending                                                     <unset>                 5s
            shared      Pending                                      standard       <unset>                 5s
            $ kubectl describe pvc missing manual shared
            Name:          missing
            Namespace:     default
            StorageClass:  fast
            Status:        Pending
            Volume:
            Labels:        <none>
            Annotations:   <none>
            Finalizers:    [kubernetes.io/pvc-protection]
            Capacity:
            Access Modes:
            VolumeMode:    Filesystem
            Used By:       <none>
            Events:
              Type     Reason              Age   From                         Message
              ----     ------              ----  ----                         -------
              Warning  ProvisioningFailed  10s   persistentvolume-controller  storageclass.storage.k8s.io "fast" not found


            Name:          manual
            Namespace:     default
            StorageClass:  local
            Status:        Pending
            Volume:
            Labels:        <none>
            Annotations:   <none>
            Finalizers:    [kubernetes.io/pvc-protection]
            Capacity:
            Access Modes:
            VolumeMode:    Filesystem
            Used By:       <none>
            Events:
              Type     Reason              Age   From                         Message
              ----     ------              ----  ----                         -------
              Warning  ProvisioningFailed  10s   persistentvolume-controller  no volume plugin matched name: kubernetes.io/no-provisioner


            Name:          shared
            Namespace:     default
            StorageClass:  standard
            Status:        Pending
            Volume:
            Labels:        <none>
            Annotations:   volume.kubernetes.io/selected-node=kind-worker3
            Finalizers:    [kubernetes.io/pvc-protection]
            Capacity:
            Access Modes:
            VolumeMode:    Filesystem
            Used By:       user
            Events:
              Type     Reason               Age   From                         Message
              ----     ------               ----  ----                         -------
              Normal   WaitForPodScheduled  10s   persistentvolume-controller  waiting for pod user to be scheduled
              Warning  ProvisioningFailed   10s   rancher.io/local-path        failed to provision volume with StorageClass "standard": Only support ReadWriteOnce access mode
            $ why pvc defaulted
            Pending, as designed: StorageClass "standard" binds WaitForFirstConsumer, so the claim waits until a pod that uses it is scheduled (no pod uses it yet).
            PersistentVolumes considered: none exist.
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
            $ why pvc none
            Pending: storageClassName is "" (or no default class exists), so nothing is provisioned; only a PersistentVolume without a class can bind, and none fits.
            PersistentVolumes considered: none exist.
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
        "#]],
    );
}

#[test]
fn rule_2_4_wait_for_first_consumer_binds_on_the_pods_node() {
    let m = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}\n";
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  nodeSelector: {kubernetes.io/hostname: kind-worker2}\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: m.into(),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    let before = s.run("kubectl get pvc data");
    assert!(before.contains("Pending"), "{before}");
    s.add_file(kubeplay::engine::SourceFile {
        name: "pod.yaml".into(),
        text: pod.into(),
    });
    let out = s.transcript(&[
        "kubectl apply -f pod.yaml",
        "kubectl get pvc data",
        "kubectl get pod app -o wide",
        "kubectl describe pv",
    ]);
    expect![[r#"
        $ kubectl apply -f pod.yaml
        pod/app created
        $ kubectl get pvc data
        NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
        data   Bound    pvc-497305c5-d1aa-499f-8c43-407dc177b6f7   2Gi        RWO            standard       <unset>                 15s
        $ kubectl get pod app -o wide
        NAME   READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
        app    1/1     Running   0          10s   10.244.2.3   kind-worker2   <none>           <none>
        $ kubectl describe pv
        Name:            pvc-497305c5-d1aa-499f-8c43-407dc177b6f7
        Labels:          <none>
        Annotations:     local.path.provisioner/selected-node=kind-worker2
                         pv.kubernetes.io/provisioned-by=rancher.io/local-path
        Finalizers:      [kubernetes.io/pv-protection]
        StorageClass:    standard
        Status:          Bound
        Claim:           default/data
        Reclaim Policy:  Delete
        Access Modes:    RWO
        VolumeMode:      Filesystem
        Capacity:        2Gi
        Node Affinity:
          Required Terms:
            Term 0:        kubernetes.io/hostname in [kind-worker2]
        Message:
        Source:
            Type:          HostPath (bare host directory volume)
            Path:          /var/local-path-provisioner/pvc-497305c5-d1aa-499f-8c43-407dc177b6f7_default_data
            HostPathType:  DirectoryOrCreate
        Events:  <none>
    "#]].assert_eq(&out);
}

const RECLAIM: &str = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: keep}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: manual\n  nfs: {server: nfs.example.com, path: /keep}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: scrub}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Recycle\n  storageClassName: scrub\n  nfs: {server: nfs.example.com, path: /scrub}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: gone}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Delete\n  storageClassName: gone\n  hostPath: {path: /mnt/gone}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nspec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: b}\nspec: {storageClassName: scrub, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {storageClassName: gone, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: writer}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: a, mountPath: /a}, {name: b, mountPath: /b}]}]\n  volumes: [{name: a, persistentVolumeClaim: {claimName: a}}, {name: b, persistentVolumeClaim: {claimName: b}}]\n";

#[test]
fn rule_2_5_reclaim_policies_and_what_happens_to_the_data() {
    check(
        &format!("{RECLAIM}---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: a2}}\nspec: {{storageClassName: manual, accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: reader}}\nspec:\n  containers: [{{name: c, image: busybox, volumeMounts: [{{name: a, mountPath: /a}}, {{name: b, mountPath: /b}}]}}]\n  volumes: [{{name: a, persistentVolumeClaim: {{claimName: a2}}}}, {{name: b, persistentVolumeClaim: {{claimName: b2}}}}]\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: b2}}\nspec: {{storageClassName: scrub, accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n"),
        &[
            "kubectl exec writer -- sh -c 'echo kept > /a/f; echo scrubbed > /b/f'",
            "kubectl delete pod writer",
            "kubectl delete pvc a b c",
            "kubectl get pv",
            "kubectl describe pv gone",
            "why pvc a2",
            "kubectl patch pv keep --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]'",
            "kubectl get pv",
            "kubectl get pvc a2 b2",
            "kubectl exec reader -- cat /a/f",
            "kubectl exec reader -- ls /b",
            "kubectl describe pv scrub",
        ],
        expect![[r#"
            $ kubectl exec writer -- sh -c 'echo kept > /a/f; echo scrubbed > /b/f'
            $ kubectl delete pod writer
            pod "writer" deleted
            $ kubectl delete pvc a b c
            persistentvolumeclaim "a" deleted
            persistentvolumeclaim "b" deleted
            persistentvolumeclaim "c" deleted
            $ kubectl get pv
            NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS     CLAIM        STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
            gone    1Gi        RWO            Delete           Failed     default/c    gone           <unset>                          20s
            keep    1Gi        RWO            Retain           Released   default/a    manual         <unset>                          20s
            scrub   1Gi        RWO            Recycle          Bound      default/b2   scrub          <unset>                          20s
            $ kubectl describe pv gone
            Name:            gone
            Labels:          <none>
            Annotations:     pv.kubernetes.io/bound-by-controller=yes
            Finalizers:      [kubernetes.io/pv-protection]
            StorageClass:    gone
            Status:          Failed
            Claim:           default/c
            Reclaim Policy:  Delete
            Access Modes:    RWO
            VolumeMode:      Filesystem
            Capacity:        1Gi
            Node Affinity:   <none>
            Message:         host_path deleter only supports /tmp/.+ but received provided /mnt/gone
            Source:
                Type:          HostPath (bare host directory volume)
                Path:          /mnt/gone
                HostPathType:  
            Events:
              Type     Reason              Age   From                         Message
              ----     ------              ----  ----                         -------
              Warning  VolumeFailedDelete  10s   persistentvolume-controller  host_path deleter only supports /tmp/.+ but received provided /mnt/gone
            $ why pvc a2
            Pending: StorageClass "manual" does not exist, so nothing can provision the claim, and no PersistentVolume of that class fits.
            PersistentVolumes considered:
              ✗ gone: it is bound to another claim (default/c)
              ✗ keep: it is bound to another claim (default/a)
              ✗ scrub: it is bound to another claim (default/b2)
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
            $ kubectl patch pv keep --type=json -p '[{"op":"remove","path":"/spec/claimRef"}]'
            persistentvolume/keep patched
            $ kubectl get pv
            NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM        STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
            gone    1Gi        RWO            Delete           Failed   default/c    gone           <unset>                          40s
            keep    1Gi        RWO            Retain           Bound    default/a2   manual         <unset>                          40s
            scrub   1Gi        RWO            Recycle          Bound    default/b2   scrub          <unset>                          40s
            $ kubectl get pvc a2 b2
            NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            a2     Bound    keep     1Gi        RWO            manual         <unset>                 45s
            b2     Bound    scrub    1Gi        RWO            scrub          <unset>                 45s
            $ kubectl exec reader -- cat /a/f
            kept
            $ kubectl exec reader -- ls /b
            $ kubectl describe pv scrub
            Name:            scrub
            Labels:          <none>
            Annotations:     pv.kubernetes.io/bound-by-controller=yes
            Finalizers:      [kubernetes.io/pv-protection]
            StorageClass:    scrub
            Status:          Bound
            Claim:           default/b2
            Reclaim Policy:  Recycle
            Access Modes:    RWO
            VolumeMode:      Filesystem
            Capacity:        1Gi
            Node Affinity:   <none>
            Message:
            Source:
                Type:      NFS (an NFS mount that lasts the lifetime of a pod)
                Server:    nfs.example.com
                Path:      /scrub
                ReadOnly:  false
            Events:
              Type    Reason          Age   From                         Message
              ----    ------          ----  ----                         -------
              Normal  RecyclerPod     45s   persistentvolume-controller  Recycler pod: Successfully assigned default/recycler-for-scrub to kind-worker
              Normal  VolumeRecycled  45s   persistentvolume-controller  Volume recycled
        "#]],
    );
}

#[test]
fn rule_2_5_delete_removes_a_provisioned_volume_and_its_data() {
    let m = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n";
    let files = [kubeplay::engine::SourceFile {
        name: "m.yaml".into(),
        text: m.into(),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    assert_eq!(
        s.run("kubectl exec app -- sh -c 'echo precious > /data/f'"),
        ""
    );
    let pv = s.run("kubectl get pv -o name");
    assert!(pv.starts_with("persistentvolume/pvc-"), "{pv}");
    // The local-path volume is a directory on the pod's node.
    let node = s.run("kubectl get pod app -o wide");
    assert!(node.contains("kind-worker"), "{node}");
    let deleted = s.transcript(&["kubectl delete pvc data", "kubectl get pvc,pv"]);
    // The pod still uses the claim: pvc-protection keeps it.
    assert!(deleted.contains("Terminating"), "{deleted}");
    let after = s.transcript(&["kubectl delete pod app", "kubectl get pvc,pv"]);
    assert!(
        after.ends_with("No resources found in default namespace.\n"),
        "{after}"
    );
    assert!(
        !s.cluster.files.stores.values().any(|fs| fs
            .values()
            .any(|e| *e == kubeplay::engine::storage::files::Entry::File("precious\n".into()))),
        "the data went with the volume"
    );
}

const DISK: &str = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: disk}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: ebs\n  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0abc}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: disk}\nspec: {storageClassName: ebs, accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: first}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: disk}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: same-node}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: disk}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: other-node}\nspec:\n  nodeName: kind-worker2\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: disk}}]\n";

#[test]
fn rule_3_read_write_once_is_one_node_and_a_second_node_gets_multi_attach() {
    check(
        DISK,
        &[
            "kubectl get pods -o wide",
            "kubectl describe pod other-node",
            "kubectl delete pod first same-node",
            "kubectl get pods -o wide",
        ],
        expect![[r#"
            $ kubectl get pods -o wide
            NAME         READY   STATUS              RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            first        1/1     Running             0          5s    10.244.1.2   kind-worker    <none>           <none>
            other-node   0/1     ContainerCreating   0          5s    <none>       kind-worker2   <none>           <none>
            same-node    1/1     Running             0          5s    10.244.1.3   kind-worker    <none>           <none>
            $ kubectl describe pod other-node
            Name:             other-node
            Namespace:        default
            Priority:         0
            Service Account:  default
            Node:             kind-worker2/172.18.0.3
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
                  Reason:       ContainerCreating
                Ready:          False
                Restart Count:  0
                Mounts:         /d from d (rw)
            Conditions:
              Type  Status
            Volumes:
              d:
                Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
                ClaimName:  disk
                ReadOnly:   false
            QoS Class:        BestEffort
            Node-Selectors:   <none>
            Tolerations:      <none>
            Events:
              Type     Reason              Age   From                     Message
              ----     ------              ----  ----                     -------
              Warning  FailedAttachVolume  10s   attachdetach-controller  Multi-Attach error for volume "disk" Volume is already used by pod(s) first
              Warning  FailedAttachVolume  10s   attachdetach-controller  Multi-Attach error for volume "disk" Volume is already used by pod(s) first, same-node
            $ kubectl delete pod first same-node
            pod "first" deleted
            pod "same-node" deleted
            $ kubectl get pods -o wide
            NAME         READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
            other-node   1/1     Running   0          20s   10.244.2.3   kind-worker2   <none>           <none>
        "#]],
    );
}

#[test]
fn rule_3_read_write_once_pod_admits_one_pod() {
    let m = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: csi}\nprovisioner: ebs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: solo}\nspec: {storageClassName: csi, accessModes: [ReadWriteOncePod], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: one}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: solo}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: solo}}]\n";
    check(
        m,
        &["kubectl get pods", "kubectl get events"],
        expect![[r#"
        $ kubectl get pods
        NAME   READY   STATUS    RESTARTS   AGE
        one    1/1     Running   0          5s
        two    0/1     Pending   0          5s
        $ kubectl get events
        LAST SEEN   TYPE      REASON                  OBJECT                       MESSAGE
        10s         Normal    ExternalProvisioning    persistentvolumeclaim/solo   Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.
        10s         Normal    Provisioning            persistentvolumeclaim/solo   External provisioner is provisioning volume for claim "default/solo"
        10s         Normal    ProvisioningSucceeded   persistentvolumeclaim/solo   Successfully provisioned volume pvc-83f91ca7-864a-4135-a6b9-aeef0d2df7ab
        10s         Normal    Scheduled               pod/one                      Successfully assigned default/one to kind-worker
        10s         Warning   FailedScheduling        pod/two                      0/3 nodes are available: node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
        10s         Normal    Pulled                  pod/one                      Container image "busybox" already present on machine
        10s         Normal    Created                 pod/one                      Created container: c
        10s         Normal    Started                 pod/one                      Started container c
    "#]],
    );
}

const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: nginx, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]\n  volumeClaimTemplates:\n  - metadata: {name: www}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

#[test]
fn rule_4_statefulset_claims_survive_scale_down_and_reattach() {
    check(
        STS,
        &[
            "kubectl exec web-1 -- sh -c 'echo web-1 page > /usr/share/nginx/html/index.html'",
            "kubectl scale sts/web --replicas=1",
            "kubectl get pods,pvc",
            "kubectl scale sts/web --replicas=2",
            "kubectl exec web-1 -- cat /usr/share/nginx/html/index.html",
        ],
        expect![[r#"
            $ kubectl exec web-1 -- sh -c 'echo web-1 page > /usr/share/nginx/html/index.html'
            $ kubectl scale sts/web --replicas=1
            statefulset.apps/web scaled
            $ kubectl get pods,pvc
            NAME        READY   STATUS    RESTARTS   AGE
            pod/web-0   1/1     Running   0          15s

            NAME                              STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            persistentvolumeclaim/www-web-0   Bound    pvc-3c821fbf-5910-4163-a7ff-0d388687ffb2   1Gi        RWO            standard       <unset>                 15s
            persistentvolumeclaim/www-web-1   Bound    pvc-c09a1a81-7914-4fbc-a8b8-94e1401ed25b   1Gi        RWO            standard       <unset>                 15s
            $ kubectl scale sts/web --replicas=2
            statefulset.apps/web scaled
            $ kubectl exec web-1 -- cat /usr/share/nginx/html/index.html
            web-1 page
        "#]],
    );
}

#[test]
fn rule_4_statefulset_retention_policy_deletes_claims_when_asked() {
    let m = STS.replace(
        "  volumeClaimTemplates:",
        "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n  volumeClaimTemplates:",
    );
    check(
        &m,
        &[
            "kubectl scale sts/web --replicas=1",
            "kubectl get pvc",
            "kubectl delete sts web",
            "kubectl get pvc,pv",
        ],
        expect![[r#"
            $ kubectl scale sts/web --replicas=1
            statefulset.apps/web scaled
            $ kubectl get pvc
            NAME        STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            www-web-0   Bound    pvc-3c821fbf-5910-4163-a7ff-0d388687ffb2   1Gi        RWO            standard       <unset>                 10s
            $ kubectl delete sts web
            statefulset.apps "web" deleted
            $ kubectl get pvc,pv
            No resources found in default namespace.
        "#]],
    );
}

#[test]
fn rule_2_6_a_claim_in_use_stays_terminating_until_its_pod_goes() {
    let m = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n";
    check(
        m,
        &[
            "kubectl delete pvc data",
            "kubectl get pvc",
            "why pvc data",
            "kubectl delete pod app",
            "kubectl get pvc",
        ],
        expect![[r#"
            $ kubectl delete pvc data
            persistentvolumeclaim "data" deleted
            $ kubectl get pvc
            NAME   STATUS        VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            data   Terminating   pvc-497305c5-d1aa-499f-8c43-407dc177b6f7   1Gi        RWO            standard       <unset>                 10s
            $ why pvc data
            Terminating: pod(s) app still use it, and the kubernetes.io/pvc-protection finalizer keeps it until they are gone.
            PersistentVolumes considered:
              ✓ pvc-497305c5-d1aa-499f-8c43-407dc177b6f7: fits
            See: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/
            $ kubectl delete pod app
            pod "app" deleted
            $ kubectl get pvc
            No resources found in default namespace.
        "#]],
    );
}

#[test]
fn rule_2_6_invalid_volumes_and_claims_are_refused_with_the_api_servers_words() {
    let m = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: two-sources}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/x}\n  nfs: {server: s, path: /x}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: bad}\nspec:\n  capacity: {storage: 1Gb}\n  accessModes: [RWO]\n  persistentVolumeReclaimPolicy: Keep\n  hostPath: {path: /tmp/y}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: ebs-rwx}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteMany]\n  persistentVolumeReclaimPolicy: Recycle\n  awsElasticBlockStore: {volumeID: vol-1}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: empty}\nspec: {resources: {requests: {}}}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: local}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n  local: {path: /mnt/disks/ssd1}\n";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(m.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    expect![[r#"
        -:8:8: error: The PersistentVolume "two-sources" is invalid: spec.nfs: Forbidden: may not specify more than 1 volume type
        -:14:13: error: The PersistentVolume "bad" is invalid: spec.capacity[storage]: Invalid value: "1Gb": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
        -:15:16: error: The PersistentVolume "bad" is invalid: spec.accessModes: Unsupported value: "RWO": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"
        -:16:34: error: The PersistentVolume "bad" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"
        -:24:16: warning: spec.accessModes: awsElasticBlockStore volumes do not support ReadWriteMany (the access-mode table of "Persistent Volumes"); the API server accepts it, but pods on a second node will not get this volume
        -:25:34: warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.
        -:31:7: error: The PersistentVolumeClaim "empty" is invalid: spec.accessModes: Required value: at least 1 access mode is required
        -:31:19: error: The PersistentVolumeClaim "empty" is invalid: spec.resources[storage]: Required value
        -:37:3: error: The PersistentVolume "local" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity
        -:38:16: error: The PersistentVolume "local" is invalid: spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes
    "#]].assert_eq(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn rule_3_provider_volumes_keep_data_outside_the_nodes() {
    let m = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  nodeName: kind-worker\n  containers: [{name: c, image: busybox, volumeMounts: [{name: team, mountPath: /shared}]}]\n  volumes: [{name: team, nfs: {server: nfs.example.com, path: /exports/team}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  nodeName: kind-worker3\n  containers: [{name: c, image: busybox, volumeMounts: [{name: team, mountPath: /mnt/team, readOnly: true}]}]\n  volumes: [{name: team, nfs: {server: nfs.example.com, path: /exports/team}}]\n";
    check(
        m,
        &[
            "kubectl exec a -- sh -c 'echo on nfs > /shared/file'",
            "kubectl exec b -- cat /mnt/team/file",
            "kubectl exec b -- rm /mnt/team/file",
        ],
        expect![[r#"
            $ kubectl exec a -- sh -c 'echo on nfs > /shared/file'
            $ kubectl exec b -- cat /mnt/team/file
            on nfs
            $ kubectl exec b -- rm /mnt/team/file
            rm: can't remove '/mnt/team/file': Read-only file system
        "#]],
    );
}

#[test]
fn rule_4_the_efk_example_reads_each_nodes_container_logs() {
    let m = include_str!("../www/examples/efk.yaml");
    let files = [kubeplay::engine::SourceFile {
        name: "efk.yaml".into(),
        text: m.into(),
    }];
    let mut s = kubeplay::engine::session::Session::start(1, &files).unwrap();
    assert!(!s.has_errors(), "{:?}", s.diagnostics);
    let pods = s.run("kubectl get pods -n kube-system -l app=fluentd -o wide");
    let first = pods
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let logs = s.run(&format!(
        "kubectl exec -n kube-system {first} -- ls /var/log/containers"
    ));
    assert!(
        logs.contains(&format!("{first}_kube-system_fluentd-")),
        "{logs}"
    );
    assert!(logs.lines().all(|l| l.ends_with(".log")), "{logs}");
}

#[test]
fn rule_4_emptydir_survives_a_container_restart_and_scratch_does_not() {
    let m = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: cache, mountPath: /cache}]}]\n  volumes: [{name: cache, emptyDir: {}}]\n";
    check(
        m,
        &[
            "kubectl exec app -- sh -c 'echo in-volume > /cache/a; echo in-layer > /tmp/b'",
            "kubectl exec app -- kill 1",
            "kubectl get pod app",
            "kubectl exec app -- cat /cache/a",
            "kubectl exec app -- cat /tmp/b",
        ],
        expect![[r#"
            $ kubectl exec app -- sh -c 'echo in-volume > /cache/a; echo in-layer > /tmp/b'
            $ kubectl exec app -- kill 1
            command terminated with exit code 137
            $ kubectl get pod app
            NAME   READY   STATUS    RESTARTS   AGE
            app    1/1     Running   1          15s
            $ kubectl exec app -- cat /cache/a
            in-volume
            $ kubectl exec app -- cat /tmp/b
            cat: can't open '/tmp/b': No such file or directory
        "#]],
    );
}

#[test]
fn rule_2_4_claims_grow_only_when_the_class_allows_and_never_shrink() {
    let m = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: growable}\nprovisioner: ebs.csi.aws.com\nallowVolumeExpansion: true\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: grows}\nspec: {storageClassName: growable, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: fixed}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: fixed}}]\n";
    check(
        m,
        &[
            "kubectl patch pvc grows -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}'",
            "kubectl get pvc grows",
            "kubectl get pv",
            "kubectl patch pvc fixed -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}'",
            "kubectl patch pvc grows -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}'",
        ],
        expect![[r#"
            $ kubectl patch pvc grows -p '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}'
            persistentvolumeclaim/grows patched
            $ kubectl get pvc grows
            NAME    STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
            grows   Bound    pvc-83f91ca7-864a-4135-a6b9-aeef0d2df7ab   5Gi        RWO            growable       <unset>                 10s
            $ kubectl get pv
            NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM           STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
            pvc-0b331645-445b-4d27-bf6c-67e81909778a   1Gi        RWO            Delete           Bound    default/fixed   standard       <unset>                          15s
            pvc-83f91ca7-864a-4135-a6b9-aeef0d2df7ab   5Gi        RWO            Delete           Bound    default/grows   growable       <unset>                          15s
            $ kubectl patch pvc fixed -p '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}'
            Error from server (Forbidden): persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize
            $ kubectl patch pvc grows -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
            The PersistentVolumeClaim "grows" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value
        "#]],
    );
}

#[test]
fn rule_2_4_allowed_topologies_and_volume_node_affinity_steer_the_scheduler() {
    let m = "apiVersion: v1\nkind: Node\nmetadata: {name: zone-a, labels: {topology.kubernetes.io/zone: a}}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: zone-b, labels: {topology.kubernetes.io/zone: b}}\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: zonal}\nprovisioner: pd.csi.storage.gke.io\nvolumeBindingMode: WaitForFirstConsumer\nallowedTopologies:\n- matchLabelExpressions:\n  - {key: topology.kubernetes.io/zone, values: [b]}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: zonal}\nspec: {storageClassName: zonal, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: zonal}}]\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pinned}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  local: {path: /mnt/disks/ssd1}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [zone-a]}]\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: pinned}\nspec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: elsewhere}\nspec:\n  nodeSelector: {topology.kubernetes.io/zone: b}\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: pinned}}]\n";
    check(
        m,
        &[
            "kubectl get pods -o wide",
            "kubectl get pv",
            "kubectl describe pod elsewhere",
        ],
        expect![[r#"
            $ kubectl get pods -o wide
            NAME        READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
            app         1/1     Running   0          5s    10.244.2.3   zone-b   <none>           <none>
            elsewhere   0/1     Pending   0          5s    <none>       <none>   <none>           <none>
            $ kubectl get pv
            NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
            pinned                                     1Gi        RWO            Retain           Bound    default/pinned   manual         <unset>                          10s
            pvc-497305c5-d1aa-499f-8c43-407dc177b6f7   1Gi        RWO            Delete           Bound    default/zonal    zonal          <unset>                          10s
            $ kubectl describe pod elsewhere
            Name:             elsewhere
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
                Mounts:         /d from d (rw)
            Conditions:
              Type          Status
              PodScheduled  False
            Volumes:
              d:
                Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
                ClaimName:  pinned
                ReadOnly:   false
            QoS Class:        BestEffort
            Node-Selectors:   topology.kubernetes.io/zone=b
            Tolerations:      <none>
            Events:
              Type     Reason            Age   From               Message
              ----     ------            ----  ----               -------
              Warning  FailedScheduling  15s   default-scheduler  0/2 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.
        "#]],
    );
}
