//! CoreDNS's `reload` plugin: when the `coredns` ConfigMap in `kube-system` changes, the
//! new Corefile is parsed and served; one that does not parse is refused and the last good
//! Corefile keeps serving (coredns: plugin/reload). Changes no API object.

use crate::engine::cluster::Cluster;
use crate::engine::corefile;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    let (revision, text) = match c
        .store
        .get(&Key::new("ConfigMap", "kube-system", "coredns"))
    {
        Some(Object::ConfigMap(cm)) => (
            cm.metadata.resource_version.clone(),
            cm.data.get("Corefile").cloned(),
        ),
        // Without its ConfigMap CoreDNS keeps what it loaded.
        _ => return false,
    };
    if c.dns.source.as_deref() == Some(revision.as_str()) {
        return false;
    }
    c.dns.source = Some(revision);
    match text.as_deref().map(corefile::parse) {
        Some(Ok(parsed)) => {
            c.dns.corefile = std::sync::Arc::new(parsed);
            c.dns.error = None;
        }
        Some(Err(e)) => c.dns.error = Some(e),
        None => {
            c.dns.error = Some("the coredns ConfigMap has no Corefile key".into());
        }
    }
    false
}
