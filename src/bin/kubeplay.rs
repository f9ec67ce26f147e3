//! `kubeplay`, the native command-line program: the same engine as the browser app.
//!
//! `kubeplay check FILE...` prints diagnostics as `FILE:LINE:COL: error|warning: message`
//! and exits 1 when there are errors. `-` reads standard input.

use std::io::Read;
use std::process::ExitCode;

use kubeplay::engine::{self, SourceFile};

const USAGE: &str = "\
kubeplay — a Kubernetes storage-and-networking playground (native CLI)

Usage:
  kubeplay check FILE...    Check manifests; print FILE:LINE:COL: error|warning: message
                            (exit 1 if any error). Use - for standard input.
  kubeplay run [--seed N] FILE... [-c 'COMMAND']...
                            Start a fresh simulated cluster, apply the manifests, then run
                            each terminal COMMAND in order, printing `$ COMMAND` before its
                            output (exit 1 if the manifests have errors). Commands may
                            `kubectl apply -f OTHER.yaml` (read before the run starts).
                            Type `help` as a COMMAND for the terminal language.
  kubeplay test [--format text|junit] [-o FILE] PATH...
                            Run scenario files (folders: every *.yaml starting with
                            `kubeplay: scenario/v1`), print PASS/FAIL per step with the
                            failed expectation and the actual output, then
                            `N passed, N failed` (exit 1 on any failure). `--format junit`
                            writes a JUnit XML report (to FILE with -o).
  kubeplay diff [--seed N] A.yaml B.yaml [-c 'COMMAND']...
                            What if: build a cluster from A and one from B (same seed),
                            run the commands in both, and print what differs: object
                            states (phases, bindings, endpoints, addresses, readiness) and
                            command output lines (exit 1 if anything differs).
  kubeplay link [--seed N] FILE... [-c 'COMMAND']...
                            Print a share link fragment (#v1:…) holding the files (by base
                            name) and the commands; append it to the app's address. A
                            scenario file travels whole with the files it names: the page
                            opens it as a lesson whose expectations can be checked.
  kubeplay open LINK        Print what a share link (or its #fragment) holds: each file
                            under `# NAME`, then the commands (exit 1 if it does not open).
  kubeplay --help           Show this help.
  kubeplay --version        Show the version.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V") | Some("--version") => {
            println!("kubeplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("check") => check(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("link") => link(&args[1..]),
        Some("open") => open(&args[1..]),
        Some(other) => {
            eprintln!("error: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn link(args: &[String]) -> ExitCode {
    let (seed, files, commands) = match seed_files_commands(args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let base = |path: &str| {
        std::path::Path::new(path)
            .file_name()
            .map_or(path.to_string(), |n| n.to_string_lossy().to_string())
    };
    let mut state = kubeplay::share::SharedState {
        seed: (seed != 1).then_some(seed),
        history: commands,
        ..Default::default()
    };
    for f in files {
        // A scenario travels whole (the page opens it as a lesson and can check it), with
        // the files its `file:` manifests name, read next to it.
        if f.text.trim_start().starts_with("kubeplay: scenario/") {
            let scenario = match engine::scenario::parse(&f.name, &f.text) {
                Ok(s) => s,
                Err(diagnostics) => {
                    for d in diagnostics {
                        eprintln!("{d}");
                    }
                    return ExitCode::FAILURE;
                }
            };
            let dir = std::path::Path::new(&f.name)
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            for needed in engine::scenario::files_needed(&scenario) {
                let path = dir.join(&needed).to_string_lossy().to_string();
                match read_files(&[path]) {
                    Ok(mut read) => state.files.push((needed, read.remove(0).text)),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(2);
                    }
                }
            }
            state.lesson = Some(base(&f.name));
            state.scenario = Some(f.text);
        } else {
            state.files.push((base(&f.name), f.text));
        }
    }
    println!("#{}", kubeplay::share::encode(&state));
    ExitCode::SUCCESS
}

fn open(args: &[String]) -> ExitCode {
    let [link] = args else {
        eprintln!("error: kubeplay open LINK");
        return ExitCode::from(2);
    };
    let fragment = link.split_once('#').map_or(link.as_str(), |(_, f)| f);
    match kubeplay::share::decode(fragment) {
        Ok(state) => {
            if let Some(scenario) = &state.scenario {
                println!(
                    "# scenario {}\n{}",
                    state.lesson.as_deref().unwrap_or("shared.scenario.yaml"),
                    scenario.trim_end()
                );
            }
            for (name, text) in &state.files {
                println!("# {name}\n{}", text.trim_end());
            }
            for c in &state.history {
                println!("$ {c}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the named files (`-` = stdin) in order.
fn read_files(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    paths
        .iter()
        .map(|path| {
            let text = if path == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| format!("error: reading standard input: {e}"))?;
                s
            } else {
                let bytes = std::fs::read(path).map_err(|e| format!("error: {path}: {e}"))?;
                String::from_utf8(bytes).map_err(|e| {
                    format!(
                        "error: {path}: not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    )
                })?
            };
            Ok(SourceFile {
                name: path.clone(),
                text,
            })
        })
        .collect()
}

/// Reads and parses the files; a file that cannot be read ends the program with code 2.
fn read_and_parse(paths: &[String]) -> Result<engine::Parsed, ExitCode> {
    match read_files(paths) {
        Ok(files) => Ok(engine::parse(&files)),
        Err(e) => {
            eprintln!("{e}");
            Err(ExitCode::from(2))
        }
    }
}

fn check(paths: &[String]) -> ExitCode {
    if paths.is_empty() {
        eprintln!("error: kubeplay check needs at least one FILE (or - for standard input)");
        return ExitCode::from(2);
    }
    let parsed = match read_and_parse(paths) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    for d in &parsed.diagnostics {
        println!("{d}");
    }
    if parsed.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `[--seed N] PATH... [-c COMMAND]...`, as `run` and `diff` read them.
fn seed_paths_commands(args: &[String]) -> Result<(u64, Vec<String>, Vec<String>), ExitCode> {
    let mut seed = 1u64;
    let mut paths = Vec::new();
    let mut commands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" | "-c" => {
                let Some(value) = args.get(i + 1) else {
                    eprintln!("error: {} needs a value", args[i]);
                    return Err(ExitCode::from(2));
                };
                if args[i] == "-c" {
                    commands.push(value.clone());
                } else if let Ok(n) = value.parse() {
                    seed = n;
                } else {
                    eprintln!("error: --seed needs a number, got {value:?}");
                    return Err(ExitCode::from(2));
                }
                i += 1;
            }
            other => paths.push(other.to_string()),
        }
        i += 1;
    }
    Ok((seed, paths, commands))
}

/// `[--seed N] FILE... [-c COMMAND]...` with the files read.
fn seed_files_commands(args: &[String]) -> Result<(u64, Vec<SourceFile>, Vec<String>), ExitCode> {
    let (seed, paths, commands) = seed_paths_commands(args)?;
    let files = read_files(&paths).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })?;
    Ok((seed, files, commands))
}

fn run(args: &[String]) -> ExitCode {
    let (seed, files, commands) = match seed_files_commands(args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut session = match engine::session::Session::start(seed, &files) {
        Ok(session) => session,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for d in &session.diagnostics {
        eprintln!("{d}");
    }
    if session.has_errors() {
        return ExitCode::FAILURE;
    }
    // Files that commands `kubectl apply -f` are read now, so the engine never does IO.
    let mut later: Vec<String> = Vec::new();
    for command in &commands {
        let words = engine::kubectl::split_words(command).unwrap_or_default();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        if words.starts_with(&["kubectl", "apply"]) {
            for name in engine::kubectl::filename_args(&words).unwrap_or_default() {
                if name != "-"
                    && !files.iter().any(|f| f.name == name)
                    && !later.iter().any(|l| l == name)
                {
                    later.push(name.to_string());
                }
            }
        }
    }
    match read_files(&later) {
        Ok(files) => files.into_iter().for_each(|f| session.add_file(f)),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    print!("{}", session.transcript(&commands));
    ExitCode::SUCCESS
}

/// Scenario files under `path` (a file, or every scenario YAML in a folder, sorted).
fn scenario_files(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    if path.is_dir() {
        let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("error: {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                scenario_files(&p, out)?;
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                && std::fs::read_to_string(&p).is_ok_and(|t| {
                    t.lines().any(|l| {
                        l.trim_end() == format!("kubeplay: {}", kubeplay::engine::scenario::FORMAT)
                    })
                })
            {
                out.push(p);
            }
        }
        Ok(())
    } else if path.exists() {
        out.push(path.to_path_buf());
        Ok(())
    } else {
        Err(format!(
            "error: {}: No such file or directory",
            path.display()
        ))
    }
}

fn test(args: &[String]) -> ExitCode {
    use kubeplay::engine::scenario;
    let mut format = "text".to_string();
    let mut output: Option<String> = None;
    let mut paths = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--format" | "-o" => {
                let Some(v) = args.get(i + 1) else {
                    eprintln!("error: {} needs a value", args[i]);
                    return ExitCode::from(2);
                };
                if args[i] == "-o" {
                    output = Some(v.clone());
                } else {
                    format = v.clone();
                }
                i += 1;
            }
            a if a.starts_with("--format=") => format = a["--format=".len()..].to_string(),
            a => paths.push(std::path::PathBuf::from(a)),
        }
        i += 1;
    }
    if format != "text" && format != "junit" {
        eprintln!("error: --format must be text or junit, got {format:?}");
        return ExitCode::from(2);
    }
    if paths.is_empty() {
        eprintln!("error: kubeplay test needs a scenario file or folder");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for p in &paths {
        if let Err(e) = scenario_files(p, &mut files) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let mut reports = Vec::new();
    let mut text = String::new();
    let mut bad_files = 0;
    for path in &files {
        let name = path.display().to_string();
        let source = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {name}: {e}");
                return ExitCode::from(2);
            }
        };
        let parsed = match scenario::parse(&name, &source) {
            Ok(s) => s,
            Err(diags) => {
                for d in diags {
                    text.push_str(&format!("{d}\n"));
                }
                bad_files += 1;
                continue;
            }
        };
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let mut manifests = Vec::new();
        let mut missing = Vec::new();
        for f in scenario::files_needed(&parsed) {
            match std::fs::read_to_string(dir.join(&f)) {
                Ok(t) => manifests.push(kubeplay::engine::SourceFile { name: f, text: t }),
                Err(e) => missing.push(format!("{name}: manifest {f}: {e}")),
            }
        }
        let mut report = scenario::run(&parsed, &manifests);
        report.setup_errors.splice(0..0, missing);
        text.push_str(&scenario::render(&report));
        reports.push(report);
    }
    let passed: usize = reports
        .iter()
        .map(|r| r.steps.iter().filter(|s| s.passed()).count())
        .sum();
    let failed: usize = reports
        .iter()
        .map(|r| {
            r.steps.iter().filter(|s| !s.passed()).count() + usize::from(!r.setup_errors.is_empty())
        })
        .sum::<usize>()
        + bad_files;
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    if format == "junit" {
        let xml = scenario::junit(&reports);
        match &output {
            Some(f) => {
                if let Err(e) = std::fs::write(f, xml) {
                    eprintln!("error: {f}: {e}");
                    return ExitCode::from(2);
                }
                print!("{text}");
            }
            None => print!("{xml}"),
        }
    } else {
        print!("{text}");
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn diff(args: &[String]) -> ExitCode {
    let (seed, paths, commands) = match seed_paths_commands(args) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let [a, b] = paths.as_slice() else {
        eprintln!("error: kubeplay diff needs two manifest files, A and B");
        return ExitCode::from(2);
    };
    let (fa, fb) = match (
        read_files(std::slice::from_ref(a)),
        read_files(std::slice::from_ref(b)),
    ) {
        (Ok(fa), Ok(fb)) => (fa, fb),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let cmds: Vec<&str> = commands.iter().map(String::as_str).collect();
    match kubeplay::engine::whatif::compare(seed, &fa, &fb, &cmds) {
        Ok(changes) => {
            print!("{}", kubeplay::engine::whatif::render(&changes));
            if changes.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
