//! A session: the input files, the cluster built from them, and the commands run against
//! it. This is what `kubeplay run`, the worker and the scenario tests drive, so all three
//! see the same cluster for the same input and seed.

use super::cluster::{Cluster, EngineError};
use super::manifest::{self, Parsed, ParsedObject, SourceFile};
use super::{kubectl, Diagnostic, Severity};

/// A fresh cluster with the input applied.
#[derive(Clone, Debug)]
pub struct Session {
    pub cluster: Cluster,
    pub diagnostics: Vec<Diagnostic>,
    /// The objects read from the input (before any controller touched them).
    pub objects: Vec<ParsedObject>,
    /// What `kubectl apply` printed for the input.
    pub applied: String,
    /// The input files (`kubectl apply -f -` applies them again).
    pub input: Vec<SourceFile>,
    /// Other files `kubectl apply -f NAME` may use.
    pub others: Vec<SourceFile>,
}

impl Session {
    /// Reads the files, starts a cluster with `seed`, applies every valid object and
    /// reconciles. Objects with errors are left out (their diagnostics say why).
    pub fn start(seed: u64, files: &[SourceFile]) -> Result<Session, EngineError> {
        let Parsed {
            objects,
            mut diagnostics,
        } = manifest::parse(files);
        let mut cluster = Cluster::new(seed);
        cluster.bootstrap(&objects);
        let report = kubectl::apply(&mut cluster, &objects);
        // The API server's refusals (an address already taken…) are problems of the input
        // too: show them where the object is.
        for (index, message) in report.rejected {
            let p = &objects[index];
            diagnostics.push(Diagnostic {
                file: p.file.clone(),
                document: p.document,
                line: p.pos.line,
                col: p.pos.col,
                severity: Severity::Error,
                message,
            });
        }
        let applied = report.output;
        cluster.reconcile()?;
        Ok(Session {
            cluster,
            diagnostics,
            objects,
            applied,
            input: files.to_vec(),
            others: Vec::new(),
        })
    }

    /// Where this cluster is a simulation that differs from a real one, in words for the
    /// person reading the manifests (the UI shows them next to the objects).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for o in self.cluster.store.list("Service", None) {
            if let super::manifest::Object::Service(s) = o {
                if s.spec.r#type.as_deref() == Some("LoadBalancer") {
                    notes.push(format!(
                        "Service {}/{} is a LoadBalancer: kubeplay has no cloud, so a simulated load balancer gives it an address from 172.18.255.200–250.",
                        s.metadata.namespace, s.metadata.name
                    ));
                }
            }
        }
        match self.cluster.settings.proxy_mode.as_str() {
            "userspace" => notes.push("kube-proxy runs in userspace mode, as the seed deck teaches it; Kubernetes removed this mode in 1.26.".into()),
            "ipvs" => notes.push("kube-proxy runs in ipvs mode (deprecated in Kubernetes 1.35); kubeplay shows its ipvsadm table, not the iptables/ipset rules ipvs mode also keeps.".into()),
            "iptables" => {}
            other => notes.push(format!("kube-proxy mode {other:?} is not simulated; requests are routed as in iptables mode.")),
        }
        if crate::engine::ingress::installed(&self.cluster) {
            let (http, https) = crate::engine::ingress::node_ports(&self.cluster);
            notes.push(format!(
                "ingress-nginx is installed, as kind users install it: IngressClass nginx (default), Service {}/{} on node ports {http} (http) and {https} (https). Try curl --resolve HOST:{http}:NODE_IP http://HOST:{http}/ from the terminal.",
                crate::engine::ingress::NAMESPACE,
                crate::engine::ingress::SERVICE,
            ));
        }
        for o in self.cluster.store.list("Ingress", None) {
            if let super::manifest::Object::Ingress(ing) = o {
                if let Err(why) = crate::engine::ingress::served(&self.cluster, ing) {
                    notes.push(format!(
                        "Ingress {}/{}: {why}.",
                        ing.metadata.namespace, ing.metadata.name
                    ));
                }
            }
        }
        notes.extend(crate::engine::ingress::annotation_warnings(&self.cluster));
        let dns = &self.cluster.dns;
        if let Some(e) = &dns.error {
            notes.push(format!(
                "CoreDNS refused the new Corefile and keeps serving the last one that loaded: {e}"
            ));
        }
        notes.extend(dns.corefile.warnings.iter().cloned());
        let outside: Vec<&str> = super::coredns::UPSTREAM.iter().map(|(n, _)| *n).collect();
        notes.push(format!(
            "DNS outside the cluster is simulated: the upstream resolver knows only {}; every other outside name is NXDOMAIN.",
            outside.join(" and ")
        ));
        notes
    }

    /// True when the input had errors.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Makes a file available to `kubectl apply -f NAME` without applying it.
    pub fn add_file(&mut self, file: SourceFile) {
        self.others.retain(|f| f.name != file.name);
        self.others.push(file);
    }

    /// Runs one terminal command (then reconciles) and returns its output.
    pub fn run(&mut self, line: &str) -> String {
        let files = kubectl::Files {
            input: &self.input,
            others: &self.others,
        };
        kubectl::run(&mut self.cluster, line, &files)
    }

    /// A reading command (`kubectl get`/`describe`) that changes nothing, not even the
    /// clock, for the workbench's views.
    pub fn peek(&self, line: &str) -> String {
        kubectl::peek(&self.cluster, line)
    }

    /// Runs commands in order and returns the transcript `kubeplay run` prints:
    /// `$ COMMAND` then its output, for each.
    pub fn transcript(&mut self, commands: &[&str]) -> String {
        let mut out = String::new();
        for command in commands {
            out.push_str(&format!("$ {command}\n"));
            let result = self.run(command);
            if !result.is_empty() {
                out.push_str(&result);
                out.push('\n');
            }
        }
        out
    }
}
