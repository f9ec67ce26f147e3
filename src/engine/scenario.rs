//! Scenarios: manifests plus ordered terminal steps with expectations, the format
//! documentation authors keep next to their pages and run in CI with `kubeplay test`.
//!
//! ```yaml
//! kubeplay: scenario/v1
//! title: {en: emptyDir is shared and lost, zh: emptyDir 共享且随 Pod 消失}
//! seed: 1
//! manifests:
//!   - file: app.yaml          # relative to the scenario file
//!   - inline: |
//!       apiVersion: v1
//!       kind: PersistentVolumeClaim
//!       ...
//! steps:
//!   - run: kubectl get pvc
//!     say: {en: The claim binds once a pod uses it.}
//!     expect:
//!       - contains: Bound
//!       - matches: 'pvc-[0-9a-f-]{36}'
//!       - object: pvc/data
//!         path: .status.phase
//!         equals: Bound
//!   - run: curl http://172.18.0.2:30080/
//!     repeat: 10
//!     expect:
//!       - pods: 3                 # the answers came from 3 distinct pods
//!   - run: kubectl exec client -- nslookup nosuch
//!     expect:
//!       - lookup: NXDOMAIN        # or: answer
//! ```

use super::api::api_struct;
use super::diag::{Diagnostic, Severity};
use super::session::Session;
use super::yaml;
use super::SourceFile;
use crate::engine::sort::SortLean;

pub const FORMAT: &str = "scenario/v1";
/// The most steps a scenario may have (each step is a command on the cluster).
pub const MAX_STEPS: usize = 1_000;

api_struct!(
    /// A sentence in English and (optionally) Chinese.
    Text { en: String, zh: String }
);
api_struct!(ScenarioFile {
    kubeplay: String,
    title: Text,
    seed: Option<u64>,
    manifests: Vec<ManifestSource>,
    steps: Vec<Step>,
});
api_struct!(ManifestSource {
    file: String,
    inline: String,
    name: String
});
api_struct!(Step {
    run: String,
    say: Text,
    repeat: Option<u32>,
    expect: Vec<Expectation>,
});
api_struct!(Expectation {
    contains: Option<String>,
    not_contains: Option<String>,
    matches: Option<String>,
    object: Option<String>,
    namespace: Option<String>,
    path: Option<String>,
    equals: Option<serde_json::Value>,
    pods: Option<usize>,
    lookup: Option<String>,
});

/// A scenario read from its file, with where each step is.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub file: String,
    pub spec: ScenarioFile,
    /// Line of each step's `run`.
    pub step_lines: Vec<u32>,
}

fn diag(file: &str, pos: yaml::Pos, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        document: 1,
        line: pos.line,
        col: pos.col,
        severity: Severity::Error,
        message: message.into(),
    }
}

/// Reads a scenario file; every problem is a diagnostic with its line and column.
pub fn parse(file: &str, text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let docs = yaml::parse_documents(text).map_err(|e| vec![diag(file, e.pos, e.message)])?;
    let root = match docs.into_iter().next().map(|d| d.root) {
        Some(Ok(Some(root))) => root,
        Some(Err(e)) => return Err(vec![diag(file, e.pos, e.message)]),
        _ => {
            return Err(vec![diag(
                file,
                yaml::Pos { line: 1, col: 1 },
                "a scenario needs `kubeplay: scenario/v1`, manifests and steps",
            )])
        }
    };
    let (spec, unknown) = super::de::from_node::<ScenarioFile>(&root, "").map_err(|e| {
        vec![diag(
            file,
            e.pos.unwrap_or(root.pos),
            format!(
                "{}: {}",
                if e.path.is_empty() {
                    "scenario"
                } else {
                    &e.path
                },
                e.message
            ),
        )]
    })?;
    let mut errors: Vec<Diagnostic> = unknown
        .iter()
        .map(|u| diag(file, u.pos, format!("unknown field \"{}\"", u.path)))
        .collect();
    let at = |path: &str| pos_of(&root, path);
    if spec.kubeplay != FORMAT {
        errors.push(diag(
            file,
            at("kubeplay"),
            format!(
                "kubeplay: must be \"{FORMAT}\" (got {:?}); this version of kubeplay reads {FORMAT}",
                spec.kubeplay
            ),
        ));
    }
    if spec.steps.len() > MAX_STEPS {
        errors.push(diag(
            file,
            at(&format!("steps[{MAX_STEPS}]")),
            format!(
                "steps: {} steps; a scenario has at most {MAX_STEPS} (split it into several files)",
                spec.steps.len()
            ),
        ));
        return Err(errors);
    }
    for (i, m) in spec.manifests.iter().enumerate() {
        if m.file.is_empty() == m.inline.is_empty() {
            errors.push(diag(
                file,
                at(&format!("manifests[{i}]")),
                format!("manifests[{i}]: give exactly one of `file` or `inline`"),
            ));
        }
    }
    if spec.steps.is_empty() {
        errors.push(diag(
            file,
            at("steps"),
            "steps: a scenario needs at least one step",
        ));
    }
    let mut step_lines = Vec::new();
    for (i, step) in spec.steps.iter().enumerate() {
        step_lines.push(at(&format!("steps[{i}]")).line);
        if step.run.trim().is_empty() {
            errors.push(diag(
                file,
                at(&format!("steps[{i}]")),
                format!("steps[{i}].run: Required value"),
            ));
        }
        if step.repeat == Some(0) || step.repeat.is_some_and(|r| r > 1000) {
            errors.push(diag(
                file,
                at(&format!("steps[{i}].repeat")),
                format!("steps[{i}].repeat: must be 1–1000"),
            ));
        }
        for (j, e) in step.expect.iter().enumerate() {
            let here = format!("steps[{i}].expect[{j}]");
            let kinds = [
                e.contains.is_some(),
                e.not_contains.is_some(),
                e.matches.is_some(),
                e.object.is_some(),
                e.pods.is_some(),
                e.lookup.is_some(),
            ]
            .iter()
            .filter(|k| **k)
            .count();
            if kinds != 1 {
                errors.push(diag(file, at(&here), format!("{here}: give exactly one of contains, notContains, matches, object (with path and equals), pods, lookup")));
            }
            if let Some(re) = &e.matches {
                if let Err(err) = regex_lite::Regex::new(re) {
                    errors.push(diag(
                        file,
                        at(&format!("{here}.matches")),
                        format!("{here}.matches: not a regular expression: {err}"),
                    ));
                }
            }
            if e.object.is_some() && (e.path.is_none() || e.equals.is_none()) {
                errors.push(diag(
                    file,
                    at(&here),
                    format!("{here}: an object expectation needs `path` and `equals`"),
                ));
            }
            if let Some(l) = &e.lookup {
                if l != "NXDOMAIN" && l != "answer" && l != "NODATA" {
                    errors.push(diag(
                        file,
                        at(&format!("{here}.lookup")),
                        format!("{here}.lookup: must be NXDOMAIN, NODATA or answer"),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(Scenario {
            file: file.into(),
            spec,
            step_lines,
        })
    } else {
        Err(errors)
    }
}

/// The position of `a.b[2].c` in the document (the deepest part that exists).
fn pos_of(root: &yaml::Node, path: &str) -> yaml::Pos {
    let mut node = root;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(next) = node.get(name) else { break };
        node = next;
        if let Some(i) = index {
            match &node.value {
                yaml::Value::Seq(items) if i < items.len() => node = &items[i],
                _ => break,
            }
        }
    }
    node.pos
}

/// One expectation's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub expectation: String,
    pub passed: bool,
    /// What was found instead, when it failed.
    pub actual: String,
}

/// One step's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepResult {
    pub command: String,
    pub line: u32,
    pub output: String,
    pub checks: Vec<Check>,
}

impl StepResult {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// A scenario's run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub title: String,
    /// Manifest problems that stopped the run (errors), if any.
    pub setup_errors: Vec<String>,
    pub steps: Vec<StepResult>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.setup_errors.is_empty() && self.steps.iter().all(StepResult::passed)
    }
}

/// The manifests a scenario names by file (the caller reads them, relative to the
/// scenario's folder).
pub fn files_needed(s: &Scenario) -> Vec<String> {
    s.spec
        .manifests
        .iter()
        .filter(|m| !m.file.is_empty())
        .map(|m| m.file.clone())
        .collect()
}

/// The manifests a scenario applies: inline ones, and files it names (from `files`).
pub fn sources(s: &Scenario, files: &[SourceFile]) -> Vec<SourceFile> {
    let mut sources = Vec::new();
    for (i, m) in s.spec.manifests.iter().enumerate() {
        if m.inline.is_empty() {
            if let Some(f) = files.iter().find(|f| f.name == m.file) {
                sources.push(f.clone());
            }
        } else {
            sources.push(SourceFile {
                name: if m.name.is_empty() {
                    format!("{}#manifests[{i}]", s.file)
                } else {
                    m.name.clone()
                },
                text: m.inline.clone(),
            });
        }
    }
    sources
}

/// Runs a scenario: `files` holds the text of each `file:` manifest, by the name written.
pub fn run(s: &Scenario, files: &[SourceFile]) -> Report {
    let sources = sources(s, files);
    let mut report = Report {
        file: s.file.clone(),
        title: s.spec.title.en.clone(),
        setup_errors: Vec::new(),
        steps: Vec::new(),
    };
    let mut session = match Session::start(s.spec.seed.unwrap_or(1), &sources) {
        Ok(session) => session,
        Err(e) => {
            report.setup_errors.push(e.to_string());
            return report;
        }
    };
    report.setup_errors = session
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    if !report.setup_errors.is_empty() {
        return report;
    }
    for f in files {
        session.add_file(f.clone());
    }
    for (i, step) in s.spec.steps.iter().enumerate() {
        let outputs: Vec<String> = (0..step.repeat.unwrap_or(1))
            .map(|_| session.run(&step.run))
            .collect();
        let output = outputs.join("\n");
        let checks = step
            .expect
            .iter()
            .map(|e| check(&mut session, e, &outputs))
            .collect();
        report.steps.push(StepResult {
            command: step.run.clone(),
            line: s.step_lines.get(i).copied().unwrap_or(0),
            output,
            checks,
        });
    }
    report
}

fn check(session: &mut Session, e: &Expectation, outputs: &[String]) -> Check {
    let all = outputs.join("\n");
    let shorten = |s: &str| -> String {
        let s = s.trim_end();
        if s.chars().count() > 400 {
            format!("{}…", s.chars().take(400).collect::<String>())
        } else {
            s.to_string()
        }
    };
    if let Some(want) = &e.contains {
        return Check {
            expectation: format!("output contains {want:?}"),
            passed: all.contains(want.as_str()),
            actual: shorten(&all),
        };
    }
    if let Some(want) = &e.not_contains {
        return Check {
            expectation: format!("output does not contain {want:?}"),
            passed: !all.contains(want.as_str()),
            actual: shorten(&all),
        };
    }
    if let Some(re) = &e.matches {
        let passed = regex_lite::Regex::new(re).is_ok_and(|r| r.is_match(&all));
        return Check {
            expectation: format!("output matches /{re}/"),
            passed,
            actual: shorten(&all),
        };
    }
    if let Some(n) = e.pods {
        let mut pods: Vec<&str> = outputs
            .iter()
            .flat_map(|o| o.lines())
            .filter_map(|l| l.strip_prefix("Hostname: "))
            .collect();
        pods.sort_lean();
        pods.dedup();
        return Check {
            expectation: format!("the requests reached {n} distinct pods"),
            passed: pods.len() == n,
            actual: format!("{} distinct pods: {}", pods.len(), pods.join(", ")),
        };
    }
    if let Some(want) = &e.lookup {
        let got = if all.contains("NXDOMAIN") || all.contains("can't resolve") {
            "NXDOMAIN"
        } else if all.contains("No answer") {
            "NODATA"
        } else if all.contains("Address: ") || all.contains("Address 1: ") || all.contains("\tIN\t")
        {
            "answer"
        } else {
            "no lookup result"
        };
        return Check {
            expectation: format!("the lookup returned {want}"),
            passed: got == want,
            actual: got.into(),
        };
    }
    if let (Some(object), Some(path), Some(want)) = (&e.object, &e.path, &e.equals) {
        let ns = e.namespace.clone().unwrap_or_else(|| "default".into());
        let (kind, name) = object.split_once('/').unwrap_or((object, ""));
        let found = crate::engine::kubectl::object_kind(kind, ns)
            .ok()
            .and_then(|(kind, ns)| {
                session
                    .cluster
                    .store
                    .get(&crate::engine::store::Key::new(kind, &ns, name))
                    .map(|o| o.to_json())
            });
        let expectation = format!("{object} {path} == {}", show(want));
        return match found {
            None => Check {
                expectation,
                passed: false,
                actual: format!("{object} does not exist"),
            },
            Some(json) => {
                let value = json_path(&json, path);
                Check {
                    expectation,
                    passed: value.as_ref() == Some(want)
                        || value
                            .as_ref()
                            .and_then(|v| v.as_str())
                            .is_some_and(|s| Some(s) == want.as_str()),
                    actual: value.map_or("<missing>".into(), |v| show(&v)),
                }
            }
        };
    }
    Check {
        expectation: "an expectation kubeplay does not know".into(),
        passed: false,
        actual: String::new(),
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `.status.phase`, `.spec.ports[0].port`, `.metadata.labels.app`,
/// `.metadata.annotations["volume.kubernetes.io/selected-node"]`.
pub fn json_path(v: &serde_json::Value, path: &str) -> Option<serde_json::Value> {
    let mut at = v;
    let mut rest = path.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]")?;
            at = at.get(&r[..end])?;
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            at = at.get(r[..end].parse::<usize>().ok()?)?;
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                at = at.get(&r[..end])?;
            }
            rest = &r[end..];
        }
    }
    Some(at.clone())
}

/// The report as `kubeplay test` prints it.
pub fn render(r: &Report) -> String {
    let mut out = format!("{} — {}\n", r.file, r.title);
    for e in &r.setup_errors {
        out.push_str(&format!("  FAIL setup: {e}\n"));
    }
    for (i, s) in r.steps.iter().enumerate() {
        let status = if s.passed() { "PASS" } else { "FAIL" };
        out.push_str(&format!(
            "  {status} step {} (line {}): {}\n",
            i + 1,
            s.line,
            s.command
        ));
        for c in s.checks.iter().filter(|c| !c.passed) {
            out.push_str(&format!("       expected {}\n", c.expectation));
            let actual = c.actual.replace('\n', "\n         ");
            out.push_str(&format!("       actual:  {actual}\n"));
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JUnit XML report: a testsuite per scenario, a testcase per step.
pub fn junit(reports: &[Report]) -> String {
    let tests: usize = reports.iter().map(|r| r.steps.len().max(1)).sum();
    let failures: usize = reports
        .iter()
        .map(|r| {
            if r.setup_errors.is_empty() {
                r.steps.iter().filter(|s| !s.passed()).count()
            } else {
                1
            }
        })
        .sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeplay\" tests=\"{tests}\" failures=\"{failures}\">\n"
    );
    for r in reports {
        let f = if r.setup_errors.is_empty() {
            r.steps.iter().filter(|s| !s.passed()).count()
        } else {
            1
        };
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\">\n",
            xml_escape(&r.file),
            r.steps.len().max(1)
        ));
        if !r.setup_errors.is_empty() {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"setup\">\n      <failure message=\"the manifests have errors\">{}</failure>\n    </testcase>\n",
                xml_escape(&r.file),
                xml_escape(&r.setup_errors.join("\n"))
            ));
        }
        for (i, s) in r.steps.iter().enumerate() {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"step {}: {}\"",
                xml_escape(&r.file),
                i + 1,
                xml_escape(&s.command)
            ));
            let failed: Vec<&Check> = s.checks.iter().filter(|c| !c.passed).collect();
            if failed.is_empty() {
                out.push_str("/>\n");
            } else {
                let message = failed
                    .iter()
                    .map(|c| format!("expected {}", c.expectation))
                    .collect::<Vec<_>>()
                    .join("; ");
                let detail = failed
                    .iter()
                    .map(|c| format!("expected {}\nactual: {}", c.expectation, c.actual))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                out.push_str(&format!(
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml_escape(&message),
                    xml_escape(&detail)
                ));
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
