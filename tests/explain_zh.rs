//! The explainers in Chinese (RULES-independent: the page's language). Every `why` step of
//! the gallery, and a few made here, is asked in English and in Chinese: each sentence
//! line must come out in Chinese; only tables, query lists and tool output stay as printed.

mod common;

use kubeplay::engine::session::Session;
use kubeplay::engine::{scenario, SourceFile};

fn tabular(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || line.contains("   ")
        || t.split_whitespace().count() >= 2
            && t.split_whitespace()
                .all(|w| w.chars().all(|c| c.is_ascii_uppercase()))
        || t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains(". ")
}

fn both(session: &Session, command: &str) -> (String, String) {
    let mut en = session.clone();
    let mut zh = session.clone();
    zh.cluster.lang = "zh".into();
    (en.run(command), zh.run(command))
}

fn assert_translated(command: &str, en: &str, zh: &str) {
    assert_eq!(
        en.lines().count(),
        zh.lines().count(),
        "{command}: same lines\n{en}\n{zh}"
    );
    for (e, z) in en.lines().zip(zh.lines()) {
        if e == z {
            assert!(tabular(e), "{command}: untranslated line {e:?}\nall:\n{zh}");
        }
    }
}

#[test]
fn every_gallery_explainer_answers_in_chinese() {
    let files = common::gallery_files();
    let mut asked = 0;
    for (name, text) in kubeplay::GALLERY
        .iter()
        .filter(|(n, _)| n.ends_with(".scenario.yaml"))
    {
        let s = scenario::parse(name, text).unwrap();
        let mut session = Session::start(1, &scenario::sources(&s, &files)).unwrap();
        for f in &files {
            session.add_file(f.clone());
        }
        for step in &s.spec.steps {
            if step.run.starts_with("why ") {
                let (en, zh) = both(&session, &step.run);
                assert_translated(&step.run, &en, &zh);
                asked += 1;
            }
            session.run(&step.run);
        }
    }
    assert!(asked >= 1, "{asked}");
}

#[test]
fn claims_names_and_urls_explained_in_chinese() {
    let manifest = r#"
apiVersion: v1
kind: PersistentVolume
metadata: {name: small}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], nfs: {server: n, path: /a}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: big}
spec: {storageClassName: "", accessModes: [ReadWriteMany], resources: {requests: {storage: 5Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fast}
spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: later}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
"#;
    let session = Session::start(
        1,
        &[SourceFile {
            name: "m.yaml".into(),
            text: manifest.into(),
        }],
    )
    .unwrap();
    for command in [
        "why pvc big",
        "why pvc fast",
        "why pvc later",
        "why name client kubernetes",
        "why name client example.com.",
        "why name client nope",
        "why url http://shop.example.com/",
    ] {
        let (en, zh) = both(&session, command);
        assert_translated(command, &en, &zh);
    }
    let (_, zh) = both(&session, "why pvc big");
    assert!(zh.starts_with("Pending：storageClassName 为 \"\""), "{zh}");
    assert!(
        zh.ends_with(
            "参见：持久卷 — https://kubernetes.io/zh-cn/docs/concepts/storage/persistent-volumes/"
        ),
        "{zh}"
    );
}
