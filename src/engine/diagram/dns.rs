//! The DNS view: the queries one lookup sends, as a sequence diagram — the pod's resolver
//! walking its search list against CoreDNS, each candidate's answer, until one has
//! addresses (or the list runs out).

use super::State;
use crate::engine::cluster::Cluster;
use crate::engine::coredns::Answer;
use crate::engine::kubectl::dns::Toolbox;
use crate::engine::manifest::Object;
use crate::engine::resolver::{self, Libc};
use crate::engine::store::Key;

/// One arrow: from participant to participant, with its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub from: usize,
    pub to: usize,
    pub text: String,
    pub state: State,
}

/// A sequence diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sequence {
    pub title: String,
    pub participants: Vec<String>,
    pub messages: Vec<Message>,
    pub notes: Vec<String>,
}

/// The lookup to draw: the one asked for, else the last one a pod made in the terminal,
/// else the first running pod looking up `kubernetes.default`.
pub fn build(c: &Cluster, lookup: Option<(String, String, String)>) -> Sequence {
    let lookup = lookup.or_else(|| c.last_lookup.clone()).or_else(|| {
        c.store.list("Pod", None).find_map(|o| match o {
            Object::Pod(p)
                if !super::is_system_namespace(&p.metadata.namespace)
                    && !p.spec.host_network
                    && p.status.as_ref().is_some_and(|s| s.phase == "Running") =>
            {
                Some((
                    p.metadata.namespace.clone(),
                    p.metadata.name.clone(),
                    "kubernetes.default".to_string(),
                ))
            }
            _ => None,
        })
    });
    let Some((ns, pod, name)) = lookup else {
        return Sequence {
            title: "DNS".into(),
            notes: vec![
                "No running pod to look a name up from: apply a pod, then run kubectl exec POD -- nslookup NAME.".into(),
            ],
            ..Sequence::default()
        };
    };
    let Some(Object::Pod(p)) = c.store.get(&Key::new("Pod", &ns, &pod)) else {
        return Sequence {
            title: "DNS".into(),
            notes: vec![format!("pods \"{pod}\" not found in namespace {ns}")],
            ..Sequence::default()
        };
    };
    let image = p.spec.containers.first().map_or("", |ct| ct.image.as_str());
    let libc = Toolbox::of_image(image).libc();
    let (conf, _) = resolver::pod_resolv_conf(c, p);
    let server = conf.nameservers.first().cloned().unwrap_or_default();
    let tried = resolver::trace(c, &conf, &name, libc);
    let mut seq = Sequence {
        title: format!("DNS: {name} from pod {ns}/{pod}"),
        participants: vec![
            format!(
                "pod {pod} ({})",
                if libc == Libc::Musl { "musl" } else { "glibc" }
            ),
            format!("CoreDNS {server}"),
        ],
        ..Sequence::default()
    };
    seq.notes.push(format!(
        "resolv.conf: search {} · ndots:{}: a name with fewer than {} dots is tried with each search domain first",
        conf.searches.join(" "),
        conf.ndots(),
        conf.ndots()
    ));
    let mut found = false;
    for t in &tried {
        seq.messages.push(Message {
            from: 0,
            to: 1,
            text: format!("A? {}", t.name),
            state: State::Neutral,
        });
        let (text, state) = match &t.answer {
            Answer::Records { addresses, cname } if !addresses.is_empty() => {
                found = true;
                (
                    format!(
                        "{}A {}",
                        cname
                            .as_ref()
                            .map(|c| format!("CNAME {c}, "))
                            .unwrap_or_default(),
                        addresses.join(", ")
                    ),
                    State::Ok,
                )
            }
            Answer::Cname(target) => (format!("CNAME {target}"), State::Ok),
            other => (
                match other {
                    Answer::NoData | Answer::Records { .. } => {
                        "NOERROR, no A record (NODATA)".to_string()
                    }
                    a => a.rcode().to_string(),
                },
                State::Warn,
            ),
        };
        seq.messages.push(Message {
            from: 1,
            to: 0,
            text,
            state,
        });
    }
    seq.notes.push(if found {
        format!(
            "{} quer{} for one name.",
            tried.len(),
            if tried.len() == 1 { "y" } else { "ies" }
        )
    } else if tried.is_empty() {
        "The pod has no nameserver to ask.".into()
    } else {
        format!("No candidate had an address: the lookup of {name} fails (NXDOMAIN).")
    });
    seq
}
