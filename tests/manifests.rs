//! Manifest reading as a person sees it: every kind parses from realistic manifests, and
//! each kind of diagnostic lands on the right line and column with the API server's words.

use expect_test::{expect, Expect};
use kubeplay::engine::manifest::{Object, KINDS};
use kubeplay::engine::yaml::limits;
use kubeplay::engine::{parse, SourceFile};

fn file(name: &str, text: &str) -> Vec<SourceFile> {
    vec![SourceFile {
        name: name.into(),
        text: text.into(),
    }]
}

/// Renders what `kubeplay check` prints plus the objects that were read.
fn render(text: &str) -> String {
    let parsed = parse(&file("m.yaml", text));
    let mut out = String::new();
    for d in &parsed.diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    for p in &parsed.objects {
        let m = p.object.meta();
        out.push_str(&format!(
            "object {} {}/{} (document {}, line {})\n",
            p.object.kind(),
            m.namespace,
            m.name,
            p.document,
            p.pos.line
        ));
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text));
}

#[test]
fn every_kind_parses_from_realistic_manifests_without_diagnostics() {
    let text = include_str!("fixtures/every-kind.yaml");
    let parsed = parse(&file("every-kind.yaml", text));
    assert_eq!(parsed.diagnostics, vec![], "diagnostics on valid manifests");
    let mut kinds: Vec<&str> = parsed.objects.iter().map(|p| p.object.kind()).collect();
    kinds.sort();
    kinds.dedup();
    let mut all: Vec<&str> = KINDS.iter().map(|k| k.kind).collect();
    all.sort();
    assert_eq!(kinds, all, "the fixture covers every kind");

    // Spot checks that fields land where the API puts them.
    for p in &parsed.objects {
        match &p.object {
            Object::Pod(pod) => {
                assert_eq!(pod.metadata.namespace, "shop");
                let c = &pod.spec.containers[0];
                assert_eq!(c.ports[0].container_port, 8080);
                assert_eq!(c.resources.requests["cpu"].0, "250m");
                assert_eq!(
                    pod.spec.volumes[0]
                        .empty_dir
                        .as_ref()
                        .unwrap()
                        .size_limit
                        .as_ref()
                        .unwrap()
                        .0,
                    "500Mi"
                );
                assert_eq!(
                    pod.spec.volumes[1]
                        .host_path
                        .as_ref()
                        .unwrap()
                        .r#type
                        .as_deref(),
                    Some("DirectoryOrCreate")
                );
                assert_eq!(
                    pod.spec.dns_config.as_ref().unwrap().options[1].name,
                    "edns0"
                );
            }
            Object::Service(s) if s.metadata.name == "httpd-deployment" => {
                assert_eq!(
                    s.metadata.namespace, "default",
                    "namespace defaults to default"
                );
                assert_eq!(s.spec.r#type.as_deref(), Some("NodePort"));
                assert_eq!(s.spec.ports[0].node_port, 30080);
            }
            Object::Service(s) => {
                assert_eq!(
                    s.spec.ports[0].target_port,
                    Some(kubeplay::engine::api::IntOrString::String(
                        "http-web-svc".into()
                    ))
                );
                assert_eq!(
                    s.spec
                        .session_affinity_config
                        .as_ref()
                        .unwrap()
                        .client_ip
                        .as_ref()
                        .unwrap()
                        .timeout_seconds,
                    Some(10800)
                );
            }
            Object::PersistentVolume(pv) if pv.metadata.name == "pv0003" => {
                assert_eq!(pv.spec.nfs.as_ref().unwrap().server, "172.17.0.2");
                assert!(pv.metadata.namespace.is_empty(), "PVs are cluster-scoped");
            }
            Object::StatefulSet(s) => {
                assert_eq!(s.spec.volume_claim_templates[0].metadata.name, "www");
                assert_eq!(s.spec.service_name, "nginx");
            }
            Object::Ingress(i) => {
                let path = &i.spec.rules[0].http.as_ref().unwrap().paths[0];
                assert_eq!(path.backend.service.as_ref().unwrap().port.number, 80);
                assert_eq!(
                    i.spec.rules[1].http.as_ref().unwrap().paths[0]
                        .backend
                        .resource
                        .as_ref()
                        .unwrap()
                        .kind,
                    "StorageBucket"
                );
            }
            Object::KubeProxyConfiguration(k) => {
                assert_eq!(k.mode, "ipvs");
                assert!(k.ipvs.as_ref().unwrap().strict_arp);
            }
            Object::ClusterConfiguration(c) => {
                assert_eq!(c.networking.service_subnet, "10.96.0.0/16")
            }
            _ => {}
        }
    }
}

#[test]
fn json_input_and_kind_list_are_read() {
    check(
        r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}, "spec": {"ports": [{"port": 80}]}}
]}"#,
        expect![[r#"
            object ConfigMap default/a (document 1, line 2)
            object Service default/b (document 1, line 3)
        "#]],
    );
}

#[test]
fn yaml_syntax_error_is_located_and_other_documents_survive() {
    check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before\n---\nkind: ConfigMap\n  bad: indent\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n",
        expect![[r#"
            m.yaml:7:6: error: error converting YAML to JSON: yaml: mapping values are not allowed in this context
            object ConfigMap default/before (document 1, line 1)
            object ConfigMap default/after (document 3, line 9)
        "#]],
    );
}

#[test]
fn missing_api_version_kind_and_name() {
    check(
        "metadata:\n  name: x\n---\napiVersion: v1\nmetadata:\n  name: y\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n",
        expect![[r#"
            m.yaml:1:1: error: error validating data: [apiVersion not set, kind not set]
            m.yaml:4:1: error: error validating data: [kind not set]
            m.yaml:10:1: error: The Pod "" is invalid: metadata.name: Required value: name or generateName is required
        "#]],
    );
}

#[test]
fn unknown_kind_and_wrong_api_version() {
    check(
        "apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: v1\nkind: service\nmetadata: {name: web}\n",
        expect![[r#"
            m.yaml:2:7: error: no matches for kind "Foo" in version "v1"
            m.yaml:6:7: error: no matches for kind "Deployment" in version "v1" (kind Deployment is served as apiVersion apps/v1)
            m.yaml:10:7: error: no matches for kind "service" in version "v1" (did you mean kind Service?)
        "#]],
    );
}

#[test]
fn wrong_types_use_the_api_servers_decode_error() {
    check(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    version: 1\nspec:\n  ports:\n  - port: \"80\"\n",
        expect![[r#"
            m.yaml:6:14: error: Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number into Go struct field .metadata.labels.version of type string
        "#]],
    );
    check(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 99999999999\n  template:\n    spec:\n      containers: {name: a}\n",
        expect![[r#"
            m.yaml:5:13: error: Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 99999999999 into Go struct field .spec.replicas of type int32
        "#]],
    );
}

#[test]
fn invalid_names_follow_the_rule_of_each_kind() {
    check(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: my.ns\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: my.config\n  namespace: Bad_NS\n",
        expect![[r#"
            m.yaml:4:9: error: The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')
            m.yaml:9:9: error: The Namespace "my.ns" is invalid: metadata.name: Invalid value: "my.ns": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
            m.yaml:15:14: error: The ConfigMap "my.config" is invalid: metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
        "#]],
    );
}

#[test]
fn invalid_labels_are_refused() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    -bad: x\n    ok: \"has space\"\n",
        expect![[r#"
            m.yaml:6:5: error: The Pod "p" is invalid: metadata.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            m.yaml:7:9: error: The Pod "p" is invalid: metadata.labels: Invalid value: "has space": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
        "#]],
    );
}

#[test]
fn duplicates_report_both_locations_and_keep_the_first() {
    check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: first}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\ndata: {k: second}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: other}\n",
        expect![[r#"
            m.yaml:1:1: warning: ConfigMap "a" in namespace "default" is defined again at m.yaml:6:1; this first definition is the one applied
            m.yaml:6:1: error: duplicate object: ConfigMap "a" in namespace "default" is already defined at m.yaml:1:1; this definition is ignored
            object ConfigMap default/a (document 1, line 1)
            object ConfigMap other/a (document 3, line 11)
        "#]],
    );
}

#[test]
fn unknown_fields_are_warnings_with_their_path_and_the_object_is_kept() {
    check(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicass: 3\n  template:\n    spec:\n      containers:\n      - name: a\n        imagee: nginx\n",
        expect![[r#"
            m.yaml:6:3: warning: unknown field "spec.replicass"
            m.yaml:11:9: warning: unknown field "spec.template.spec.containers[0].imagee"
            object Deployment default/web (document 1, line 1)
        "#]],
    );
}

#[test]
fn duplicate_mapping_keys_are_syntax_errors() {
    check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
        expect![[r#"
            m.yaml:5:3: error: error converting YAML to JSON: yaml: mapping key "name" already defined at line 4
        "#]],
    );
}

#[test]
fn a_scalar_document_is_not_an_object() {
    check(
        "just text\n",
        expect![[r#"
            m.yaml:1:1: error: error validating data: the document is a string, not an object with apiVersion and kind
        "#]],
    );
}

// ---------------------------------------------------------------------------- limits

#[test]
fn limit_input_size_is_refused() {
    let text = format!("# {}\n", "x".repeat(limits::MAX_INPUT_BYTES));
    let out = render(&text);
    assert!(
        out.starts_with(
            "m.yaml:1:1: error: input is 4194307 bytes; the limit is 4194304 bytes (4 MiB)"
        ),
        "{out}"
    );
}

#[test]
fn limit_alias_bomb_is_refused_without_expanding() {
    // The "billion laughs": each level multiplies by nine.
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\nx0: &a0 [lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("x{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    let out = render(&text);
    assert!(
        out.contains("error: alias expansion exceeds the limit of 1000000 nodes (an alias bomb?)"),
        "{out}"
    );
}

#[test]
fn limit_nesting_depth_is_refused() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let out = render(&text);
    assert!(out.contains("m.yaml:4:"), "{out}");
    assert!(out.contains("error:"), "{out}");
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    let out = render(&format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:\n{block}"
    ));
    assert!(
        out.contains("error: nesting is deeper than the limit of 64"),
        "{out}"
    );
}

#[test]
fn limit_document_count_is_refused() {
    let text = "---\na: 1\n".repeat(limits::MAX_DOCUMENTS + 1);
    let out = render(&text);
    assert!(
        out.contains("error: input has more than 10000 documents; the limit is 10000"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------- determinism

#[test]
fn determinism_same_input_gives_identical_output() {
    let text = include_str!("fixtures/every-kind.yaml");
    let a = parse(&file("f.yaml", text));
    let b = parse(&file("f.yaml", text));
    assert_eq!(a, b);
    let json = |p: &kubeplay::engine::Parsed| -> String {
        p.objects
            .iter()
            .map(|o| o.object.to_json().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(json(&a), json(&b));
}
