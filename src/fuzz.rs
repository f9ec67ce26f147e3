//! A small deterministic fuzzer (no extra crates, runs on any machine): mutates the
//! gallery's manifests, scenarios, terminal commands and share links and feeds them to
//! the parsers and the whole engine, catching panics and timing each input. Used by
//! `tests/fuzz.rs` (a short run in the test command) and `examples/fuzz.rs` (a long run).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::engine::session::Session;
use crate::engine::SourceFile;

/// What a run found.
#[derive(Debug, Default)]
pub struct Findings {
    pub inputs: u64,
    /// (target, input) that panicked, with the message.
    pub panics: Vec<(String, String, String)>,
    /// (target, input) that took longer than the hang limit.
    pub slow: Vec<(String, String, Duration)>,
    pub slowest: Duration,
}

/// SplitMix64: the same sequence for the same seed on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces that matter to YAML readers and to kubectl.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!binary ",
    "!!str ",
    "|\n",
    ">-\n",
    "\t",
    "\0",
    "\u{feff}",
    "---\n",
    "...\n",
    "#",
    "'",
    "\"",
    "\\",
    "\n",
    "  ",
    "    ",
    "0x1F",
    "1e999",
    "-1",
    "2147483648",
    "true",
    "null",
    "~",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "kind: Service\n",
    "kind: PersistentVolumeClaim\n",
    "metadata:\n  name: x\n",
    "spec:\n",
    "replicas: ",
    "ports: [{port: 80}]",
    "selector: {app: a}",
    "storageClassName: ",
    "accessModes: [ReadWriteOnce]",
    "resources: {requests: {storage: 1Gi}}",
    "é",
    "中",
    "🙂",
    "\u{202e}",
    "<img src=x onerror=alert(1)>",
    "$(rm -rf /)",
    "%s%n",
    "../../",
];

const COMMANDS: &[&str] = &[
    "kubectl get",
    "kubectl describe",
    "kubectl delete",
    "kubectl scale",
    "kubectl exec",
    "kubectl apply -f",
    "kubectl label",
    "kubectl annotate",
    "kubectl cordon",
    "kubectl drain",
    "kubectl patch",
    "kubectl logs",
    "curl",
    "ping",
    "why pvc",
    "why url",
    "why name",
    "diagram",
    "help",
    "nslookup",
    "dig",
    "iptables-save",
];

const WORDS: &[&str] = &[
    "pods",
    "po",
    "svc",
    "deploy",
    "pvc",
    "pv",
    "sc",
    "nodes",
    "ing",
    "events",
    "all",
    "-A",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "-n",
    "default",
    "kube-system",
    "-l",
    "app=web",
    "--replicas=0",
    "--replicas=-1",
    "--replicas=3",
    "--",
    "sh",
    "-c",
    "'echo hi > /data/x'",
    "cat",
    "/etc/resolv.conf",
    "nslookup",
    "kubernetes",
    "dig",
    "+search",
    "kill",
    "1",
    "http://172.18.0.2:30080/",
    "https://x/",
    "-k",
    "-v",
    "-H",
    "'Host: a'",
    "storage",
    "network",
    "dns",
    "svg",
    "mermaid",
    "--type=json",
    "-p",
    "'[{\"op\":\"remove\",\"path\":\"/spec\"}]'",
    "'{}'",
    "node/kind-worker",
    "kind-worker",
    "--force",
    "--ignore-daemonsets",
    "\"",
    "'",
    "\\",
    "é",
    "",
];

/// A mutation of `text`: cut, copy, insert tokens, swap lines.
pub fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(s.len() + 1);
        match rng.below(5) {
            0 if !s.is_empty() => {
                let end = (at + rng.below(40)).min(s.len());
                s.drain(at.min(end)..end);
            }
            1 if !s.is_empty() => {
                let end = (at + rng.below(80)).min(s.len());
                let piece: Vec<char> = s[at.min(end)..end].to_vec();
                let to = rng.below(s.len() + 1);
                s.splice(to..to, piece);
            }
            2 => {
                let lines: Vec<String> = s
                    .iter()
                    .collect::<String>()
                    .split('\n')
                    .map(str::to_string)
                    .collect();
                if lines.len() > 2 {
                    let mut lines = lines;
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                    s = lines.join("\n").chars().collect();
                }
            }
            _ => {
                let token: Vec<char> = rng.pick(TOKENS).chars().collect();
                s.splice(at..at, token);
            }
        }
    }
    s.into_iter().collect()
}

/// A random terminal command (mostly well-formed at the start, nonsense after).
pub fn command(rng: &mut Rng, names: &[String]) -> String {
    let mut line = rng.pick(COMMANDS).to_string();
    for _ in 0..rng.below(6) {
        line.push(' ');
        if !names.is_empty() && rng.below(3) == 0 {
            line.push_str(&names[rng.below(names.len())]);
        } else {
            line.push_str(rng.pick(WORDS));
        }
    }
    line
}

fn manifests() -> Vec<&'static str> {
    crate::GALLERY
        .iter()
        .filter(|(n, _)| !n.ends_with(".scenario.yaml"))
        .map(|(_, t)| *t)
        .collect()
}

fn scenarios() -> Vec<(&'static str, &'static str)> {
    crate::GALLERY
        .iter()
        .filter(|(n, _)| n.ends_with(".scenario.yaml"))
        .copied()
        .collect()
}

impl Findings {
    fn check<T>(&mut self, target: &str, input: &str, hang: Duration, f: impl FnOnce() -> T) {
        self.inputs += 1;
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(f));
        let took = t.elapsed();
        self.slowest = self.slowest.max(took);
        if let Err(e) = result {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            self.panics
                .push((target.into(), input.chars().take(2000).collect(), message));
        }
        if took > hang {
            self.slow
                .push((target.into(), input.chars().take(2000).collect(), took));
        }
    }
}

/// Runs `rounds` rounds; each round feeds every target one input. `engine_every`: one
/// round in that many also applies the mutated manifest to a whole cluster and runs
/// commands on it (the expensive target).
pub fn run(seed: u64, rounds: u64, engine_every: u64, hang: Duration) -> Findings {
    // Panics are caught and reported; the default hook would print each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng::new(seed);
    let mut found = Findings::default();
    let manifests = manifests();
    let scenarios = scenarios();
    let mut base = Session::start(
        1,
        &[SourceFile {
            name: "seed.yaml".into(),
            text: crate::SEED_EXAMPLE.into(),
        }],
    )
    .expect("the seed example settles");
    let names: Vec<String> = base
        .objects
        .iter()
        .map(|o| o.object.meta().name.clone())
        .collect();
    let link = crate::share::encode(&crate::share::SharedState {
        files: vec![("seed.yaml".into(), crate::SEED_EXAMPLE.into())],
        ..Default::default()
    });
    for round in 0..rounds {
        let original = manifests[rng.below(manifests.len())];
        let text = mutate(&mut rng, original);
        found.check("parse", &text, hang, || {
            crate::engine::parse(&[SourceFile {
                name: "f.yaml".into(),
                text: text.clone(),
            }])
        });
        let (name, scenario) = scenarios[rng.below(scenarios.len())];
        let scenario = mutate(&mut rng, scenario);
        found.check("scenario", &scenario, hang, || {
            crate::engine::scenario::parse(name, &scenario)
        });
        let line = command(&mut rng, &names);
        found.check("command", &line, hang, || base.peek(&line));
        let mangled = mutate(&mut rng, &link);
        found.check("share", &mangled, hang, || crate::share::decode(&mangled));
        if engine_every > 0 && round % engine_every == 0 {
            let commands: Vec<String> = (0..1 + rng.below(4))
                .map(|_| command(&mut rng, &names))
                .collect();
            let input = format!("{text}\n# commands: {commands:?}");
            found.check("engine", &input, hang, || {
                if let Ok(mut s) = Session::start(
                    rng_seed(round),
                    &[SourceFile {
                        name: "f.yaml".into(),
                        text: text.clone(),
                    }],
                ) {
                    for c in &commands {
                        s.run(c);
                    }
                }
            });
            // Commands that change the seed cluster, kept across rounds (fresh every 50).
            let line = command(&mut rng, &names);
            found.check("terminal", &line, hang, || {
                base.run(&line);
            });
            if round % (engine_every * 50) == 0 {
                base = Session::start(
                    1,
                    &[SourceFile {
                        name: "seed.yaml".into(),
                        text: crate::SEED_EXAMPLE.into(),
                    }],
                )
                .expect("settles");
            }
        }
    }
    std::panic::set_hook(hook);
    found
}

fn rng_seed(round: u64) -> u64 {
    round % 7 + 1
}
