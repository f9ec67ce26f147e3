//! The native CLI contract (DESIGN.md, "Native CLI contract"): `kubeplay check`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn kubeplay(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubeplay");
    // The handle is dropped (closing stdin) at the end of this statement.
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("kubeplay output")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_valid_files_prints_nothing_and_exits_0() {
    for path in ["www/examples/seed.yaml", "tests/fixtures/every-kind.yaml"] {
        let o = kubeplay(&["check", path], None);
        assert_eq!(stdout(&o), "", "{path}");
        assert_eq!(o.status.code(), Some(0), "{path}");
    }
}

#[test]
fn check_prints_file_line_col_severity_message_and_exits_1_on_errors() {
    let o = kubeplay(
        &["check", "-"],
        Some("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  portz: []\n---\nkind: Foo\napiVersion: v1\n"),
    );
    assert_eq!(
        stdout(&o),
        "-:6:3: error: The Service \"web\" is invalid: spec.ports: Required value\n-:6:3: warning: unknown field \"spec.portz\"\n-:8:7: error: no matches for kind \"Foo\" in version \"v1\"\n"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn duplicates_across_files_name_both_files() {
    let o = kubeplay(
        &[
            "check",
            "www/examples/seed.yaml",
            "tests/fixtures/every-kind.yaml",
        ],
        None,
    );
    let out = stdout(&o);
    assert!(out.contains("tests/fixtures/every-kind.yaml:132:1: error: duplicate object: Service \"httpd-deployment\" in namespace \"default\" is already defined at www/examples/seed.yaml:2:1"), "{out}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn check_with_only_warnings_exits_0() {
    let o = kubeplay(
        &["check", "-"],
        Some("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatum: {}\n"),
    );
    assert_eq!(stdout(&o), "-:4:1: warning: unknown field \"datum\"\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn unreadable_or_non_utf8_files_are_reported_not_panicked() {
    let o = kubeplay(&["check", "does/not/exist.yaml"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does/not/exist.yaml"));
    let dir = std::env::temp_dir().join(format!("kubeplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, b"a: \xff\xfe\n").unwrap();
    let o = kubeplay(&["check", bad.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not UTF-8"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn help_and_version() {
    let o = kubeplay(&["--help"], None);
    assert!(stdout(&o).contains("kubeplay check FILE..."));
    assert_eq!(o.status.code(), Some(0));
    let o = kubeplay(&["--version"], None);
    assert_eq!(
        stdout(&o),
        format!("kubeplay {}\n", env!("CARGO_PKG_VERSION"))
    );
    let o = kubeplay(&["frobnicate"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn run_prints_each_command_after_a_dollar_line() {
    let o = kubeplay(
        &[
            "run",
            "--seed",
            "1",
            "www/examples/seed.yaml",
            "-c",
            "kubectl get deploy",
            "-c",
            "kubectl get nosuch",
        ],
        None,
    );
    let out = stdout(&o);
    assert!(out.starts_with("$ kubectl get deploy\nNAME               READY   UP-TO-DATE   AVAILABLE   AGE\nhttpd-deployment   3/3     3            3           5s\n"), "{out}");
    assert!(
        out.ends_with(
            "$ kubectl get nosuch\nerror: the server doesn't have a resource type \"nosuch\"\n"
        ),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn run_exits_1_when_the_manifests_have_errors() {
    let o = kubeplay(
        &["run", "-", "-c", "kubectl get pods"],
        Some("kind: Foo\napiVersion: v1\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("-:1:7: error: no matches for kind \"Foo\"")
    );
}

#[test]
fn run_applies_a_second_file_from_a_command() {
    let dir = std::env::temp_dir().join(format!("kubeplay-apply-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let extra = dir.join("extra.yaml");
    std::fs::write(
        &extra,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\n",
    )
    .unwrap();
    let apply = format!("kubectl apply -f {}", extra.display());
    let o = kubeplay(
        &[
            "run",
            "www/examples/seed.yaml",
            "-c",
            &apply,
            "-c",
            "kubectl get cm",
        ],
        None,
    );
    let out = stdout(&o);
    assert!(out.contains("configmap/later created\n"), "{out}");
    assert!(out.contains("later   0      "), "{out}");
    assert_eq!(o.status.code(), Some(0));
}
