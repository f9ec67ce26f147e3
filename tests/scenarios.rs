//! Scenario files and `kubeplay test` (documentation authors' CI).

use std::process::Command;

fn kubeplay(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kubeplay-scenarios-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const PASSING: &str = "kubeplay: scenario/v1\ntitle: {en: passes}\nmanifests:\n  - file: app.yaml\nsteps:\n  - run: kubectl get pvc data\n    expect:\n      - contains: Pending\n      - object: pvc/data\n        path: .spec.storageClassName\n        equals: standard\n";
const APP: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
const FAILING: &str = "kubeplay: scenario/v1\ntitle: {en: fails}\nmanifests:\n  - inline: |\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: p}\n      spec: {containers: [{name: c, image: busybox}]}\nsteps:\n  - run: kubectl get pod p\n    expect:\n      - contains: CrashLoopBackOff\n  - run: kubectl get pod p\n    expect:\n      - matches: 'Running'\n";

#[test]
fn a_passing_scenario_passes_and_a_failing_one_fails_with_the_expectation_and_the_output() {
    let dir = temp_dir("run");
    write(&dir, "app.yaml", APP);
    let pass = write(&dir, "pass.yaml", PASSING);
    let fail = write(&dir, "fail.yaml", FAILING);
    let (out, code) = kubeplay(&["test", &pass]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");
    let (out, code) = kubeplay(&["test", &fail]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL step 1 (line 10): kubectl get pod p\n       expected output contains \"CrashLoopBackOff\"\n       actual:  NAME   READY   STATUS    RESTARTS   AGE\n         p      1/1     Running   0          5s"), "{out}");
    assert!(out.contains("PASS step 2 (line 13)"), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
    // A folder: both files, sorted; app.yaml is not a scenario and is skipped.
    let (out, code) = kubeplay(&["test", &dir.display().to_string()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.ends_with("2 passed, 1 failed\n"), "{out}");
}

#[test]
fn junit_reports_a_suite_per_scenario_and_a_case_per_step() {
    let dir = temp_dir("junit");
    let fail = write(&dir, "fail.yaml", FAILING);
    let report = dir.join("report.xml");
    let (_, code) = kubeplay(&[
        "test",
        "--format",
        "junit",
        "-o",
        &report.display().to_string(),
        &fail,
    ]);
    assert_eq!(code, 1);
    let xml = std::fs::read_to_string(report).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeplay\" tests=\"2\" failures=\"1\">"), "{xml}");
    assert!(xml.contains("<testsuite name=\""), "{xml}");
    assert!(xml.contains("<testcase classname="), "{xml}");
    assert!(
        xml.contains("<failure message=\"expected output contains &quot;CrashLoopBackOff&quot;\">"),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 2);
    assert_eq!(xml.matches("</testsuite>").count(), 1);
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn bad_scenario_files_get_diagnostics_with_line_and_column() {
    let bad = "kubeplay: scenario/v2\nmanifests:\n  - {file: a.yaml, inline: x}\nsteps:\n  - run: kubectl get pods\n    expect:\n      - {contains: a, matches: b}\n      - matches: '('\n      - lookup: maybe\n    colour: blue\n";
    let err = kubeplay::engine::scenario::parse("bad.yaml", bad).unwrap_err();
    let lines: Vec<String> = err.iter().map(|d| d.to_string()).collect();
    expect_test::expect![[r#"
        bad.yaml:10:5: error: unknown field "steps[0].colour"
        bad.yaml:1:11: error: kubeplay: must be "scenario/v1" (got "scenario/v2"); this version of kubeplay reads scenario/v1
        bad.yaml:3:5: error: manifests[0]: give exactly one of `file` or `inline`
        bad.yaml:7:9: error: steps[0].expect[0]: give exactly one of contains, notContains, matches, object (with path and equals), pods, lookup
        bad.yaml:8:18: error: steps[0].expect[1].matches: not a regular expression: found open group without closing ')'
        bad.yaml:9:17: error: steps[0].expect[2].lookup: must be NXDOMAIN, NODATA or answer"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn the_gallery_runs_green() {
    let (out, code) = kubeplay(&["test", concat!(env!("CARGO_MANIFEST_DIR"), "/www/examples")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with(" passed, 0 failed\n"), "{out}");
}

#[test]
fn what_if_a_class_changes_lists_the_bindings_that_change() {
    use kubeplay::engine::whatif::{compare, render};
    let a = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: small}\nspec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], nfs: {server: s, path: /x}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim}\nspec: {storageClassName: \"\", accessModes: [ReadWriteOnce], resources: {requests: {storage: 500Mi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: claim}}]\n";
    let b = a.replace("storageClassName: \"\"", "storageClassName: missing");
    let file = |t: &str| {
        vec![kubeplay::engine::SourceFile {
            name: "m.yaml".into(),
            text: t.into(),
        }]
    };
    let changes = compare(1, &file(a), &file(&b), &[]).unwrap();
    expect_test::expect![[r#"
        ~ Deployment kube-system/coredns
            A: 2 of 2 pods ready on [kind-worker2, kind-worker3]
            B: 2 of 2 pods ready on [kind-worker, kind-worker2]
        ~ PersistentVolume small
            A: Bound, claim default/claim
            B: Available
        ~ PersistentVolumeClaim default/claim
            A: Bound to small, class ""
            B: Pending, class missing
        ~ Pod default/app
            A: Running on kind-worker, ready
            B: Pending on <none>, not ready
    "#]]
    .assert_eq(&render(&changes));
    assert_eq!(
        render(&compare(1, &file(a), &file(a), &["kubectl get pods"]).unwrap()),
        "no differences\n"
    );
}

#[test]
fn every_gallery_lesson_is_in_english_and_chinese() {
    for (name, text) in kubeplay::GALLERY
        .iter()
        .filter(|(n, _)| n.ends_with(".scenario.yaml"))
    {
        let s = kubeplay::engine::scenario::parse(name, text).expect("parses");
        assert!(
            !s.spec.title.en.is_empty() && !s.spec.title.zh.is_empty(),
            "{name}: title in both languages"
        );
        for step in &s.spec.steps {
            assert_eq!(
                step.say.en.is_empty(),
                step.say.zh.is_empty(),
                "{name}: step {:?} explained in both languages or neither",
                step.run
            );
        }
    }
}

#[test]
fn a_scenario_with_too_many_steps_is_refused_at_the_first_step_over() {
    let steps = "  - run: kubectl get cm\n".repeat(kubeplay::engine::scenario::MAX_STEPS + 1);
    let text = format!(
        "kubeplay: scenario/v1\ntitle: {{en: many}}\nmanifests: [{{name: a.yaml, inline: \"kind: ConfigMap\"}}]\nsteps:\n{steps}"
    );
    let err = kubeplay::engine::scenario::parse("many.yaml", &text).unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "many.yaml:1005:5: error: steps: 1001 steps; a scenario has at most 1000 (split it into several files)"
    );
}
