//! Name and label validation with apimachinery's exact messages
//! (k8s.io/apimachinery/pkg/util/validation/validation.go).

/// `IsDNS1123Label`: namespaces, and the names of most things inside them.
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(value, false) {
        errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    errs
}

/// `IsDNS1123Subdomain`: names of pods, deployments, volumes, claims, config maps…
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if value.is_empty() || !value.split('.').all(|part| is_label(part, false)) {
        errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string());
    }
    errs
}

/// `IsDNS1035Label`: Service names (they become DNS labels and env var prefixes).
pub fn dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(value, true) {
        errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    errs
}

fn is_label(value: &str, alpha_start: bool) -> bool {
    let b = value.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && if alpha_start {
            b[0].is_ascii_lowercase()
        } else {
            alnum(b[0])
        }
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || c == b'-')
}

/// `IsQualifiedName`: label and annotation keys (`prefix/name`).
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (prefix, name) = match value.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, value),
    };
    if value.matches('/').count() > 1 {
        return vec!["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string()];
    }
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            errs.push("prefix part must be non-empty".to_string());
        } else {
            errs.extend(
                dns1123_subdomain(prefix)
                    .into_iter()
                    .map(|e| format!("prefix part {e}")),
            );
        }
    }
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            errs.push("name part must be no more than 63 characters".to_string());
        }
        if !is_label_value(name) {
            errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string());
        }
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_label_value(value) {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    errs
}

fn is_label_value(value: &str) -> bool {
    let b = value.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// One field error: the field path (`spec.ports[0].nodePort`) and the rest of the
/// message after it, in the API server's words.
pub type FieldError = (String, String);

/// Static validation of a Service (kubernetes: pkg/apis/core/validation/validation.go,
/// `ValidateService`): what can be judged from the object alone. Allocation (is the IP or
/// port free, is it in range) happens when the object reaches the cluster.
pub fn service(svc: &crate::engine::api::core::Service) -> Vec<FieldError> {
    let spec = &svc.spec;
    let mut errs: Vec<FieldError> = Vec::new();
    let ty = spec.r#type.as_deref().unwrap_or("ClusterIP");
    const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if !TYPES.contains(&ty) {
        errs.push((
            "spec.type".into(),
            format!("Unsupported value: \"{ty}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        ));
    }
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if headless && (ty == "NodePort" || ty == "LoadBalancer") {
        errs.push((
            "spec.clusterIPs[0]".into(),
            format!("Invalid value: \"None\": may not be set to 'None' for {ty} services"),
        ));
    }
    if let Some(ip) = spec.cluster_ip.as_deref() {
        if !ip.is_empty() && ip != "None" && crate::engine::defaults::parse_ipv4(ip).is_none() {
            errs.push((
                "spec.clusterIPs[0]".into(),
                format!("Invalid value: \"{ip}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
            ));
        }
    }
    if ty == "ExternalName" {
        if spec.external_name.is_empty() {
            errs.push(("spec.externalName".into(), "Required value".into()));
        }
        if spec.cluster_ip.as_deref().is_some_and(|ip| !ip.is_empty()) {
            errs.push((
                "spec.clusterIPs".into(),
                "Forbidden: may not be set for ExternalName services".into(),
            ));
        }
    } else if spec.ports.is_empty() && !headless {
        errs.push(("spec.ports".into(), "Required value".into()));
    }
    let mut names = std::collections::BTreeSet::new();
    let mut port_protocols = std::collections::BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        if spec.ports.len() > 1 && p.name.is_empty() {
            errs.push((format!("{at}.name"), "Required value".into()));
        } else if !p.name.is_empty() {
            for e in dns1123_label(&p.name) {
                errs.push((
                    format!("{at}.name"),
                    format!("Invalid value: \"{}\": {e}", p.name),
                ));
            }
            if !names.insert(p.name.clone()) {
                errs.push((
                    format!("{at}.name"),
                    format!("Duplicate value: \"{}\"", p.name),
                ));
            }
        }
        if !(1..=65535).contains(&p.port) {
            errs.push((
                format!("{at}.port"),
                format!(
                    "Invalid value: {}: must be between 1 and 65535, inclusive",
                    p.port
                ),
            ));
        }
        let protocol = crate::engine::api::protocol_or_tcp(&p.protocol);
        if !["TCP", "UDP", "SCTP"].contains(&protocol) {
            errs.push((
                format!("{at}.protocol"),
                format!("Unsupported value: \"{protocol}\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
            ));
        }
        if !port_protocols.insert((p.port, protocol.to_string())) {
            errs.push((
                at.clone(),
                format!("Duplicate value: \"{}/{protocol}\"", p.port),
            ));
        }
        match &p.target_port {
            Some(crate::engine::api::IntOrString::Int(t)) if !(1..=65535).contains(t) => errs.push((
                format!("{at}.targetPort"),
                format!("Invalid value: {t}: must be between 1 and 65535, inclusive"),
            )),
            Some(crate::engine::api::IntOrString::String(name)) if !is_port_name(name) => errs.push((
                format!("{at}.targetPort"),
                format!("Invalid value: \"{name}\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
            )),
            _ => {}
        }
        if p.node_port != 0 && ty == "ClusterIP" {
            errs.push((
                format!("{at}.nodePort"),
                "Forbidden: may not be used when `type` is 'ClusterIP'".into(),
            ));
        }
    }
    let external = ty == "NodePort" || ty == "LoadBalancer";
    if let Some(etp) = spec.external_traffic_policy.as_deref() {
        if !external {
            errs.push((
                "spec.externalTrafficPolicy".into(),
                format!(
                    "Invalid value: \"{etp}\": may only be set for externally-accessible services"
                ),
            ));
        } else if etp != "Cluster" && etp != "Local" {
            errs.push((
                "spec.externalTrafficPolicy".into(),
                format!("Unsupported value: \"{etp}\": supported values: \"Cluster\", \"Local\""),
            ));
        }
    }
    if let Some(itp) = spec.internal_traffic_policy.as_deref() {
        if itp != "Cluster" && itp != "Local" {
            errs.push((
                "spec.internalTrafficPolicy".into(),
                format!("Unsupported value: \"{itp}\": supported values: \"Cluster\", \"Local\""),
            ));
        }
    }
    let affinity = spec.session_affinity.as_deref().unwrap_or("None");
    if affinity != "None" && affinity != "ClientIP" {
        errs.push((
            "spec.sessionAffinity".into(),
            format!("Unsupported value: \"{affinity}\": supported values: \"ClientIP\", \"None\""),
        ));
    }
    if affinity == "None" && spec.session_affinity_config.is_some() {
        errs.push((
            "spec.sessionAffinityConfig".into(),
            "Forbidden: must not be set when session affinity is None".into(),
        ));
    }
    if let Some(t) = spec
        .session_affinity_config
        .as_ref()
        .and_then(|c| c.client_ip.as_ref())
        .and_then(|c| c.timeout_seconds)
    {
        if !(1..=86400).contains(&t) {
            errs.push((
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds".into(),
                format!("Invalid value: {t}: must be greater than 0 and less than 86400"),
            ));
        }
    }
    if ty != "LoadBalancer" {
        for (field, set) in [
            (
                "spec.loadBalancerSourceRanges",
                !spec.load_balancer_source_ranges.is_empty(),
            ),
            (
                "spec.allocateLoadBalancerNodePorts",
                spec.allocate_load_balancer_node_ports.is_some(),
            ),
            ("spec.loadBalancerClass", spec.load_balancer_class.is_some()),
        ] {
            if set {
                errs.push((
                    field.into(),
                    "Forbidden: may only be used when `type` is 'LoadBalancer'".into(),
                ));
            }
        }
    }
    errs
}

/// `IsValidPortName` (IANA_SVC_NAME): at most 15 characters, lower-case letters, digits
/// and single hyphens, at least one letter, no hyphen at either end.
/// apimachinery's Quantity grammar.
pub const QUANTITY_REGEX: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// Whether a quantity reads (resource.ParseQuantity): a decimal number with an optional
/// binary/decimal suffix or exponent.
pub fn valid_quantity(q: &str) -> bool {
    let digits = q
        .trim_start_matches(['+', '-'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .count();
    let sign = q.len() - q.trim_start_matches(['+', '-']).len();
    if digits == 0 || sign > 1 {
        return false;
    }
    let number = &q[sign..sign + digits];
    if number.matches('.').count() > 1 || number == "." {
        return false;
    }
    let suffix = &q[sign + digits..];
    matches!(
        suffix,
        "" | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
            | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
    ) || suffix.strip_prefix(['e', 'E']).is_some_and(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    })
}

const MODES_SUPPORTED: &str =
    "supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"";

fn quantity_errors(
    errs: &mut Vec<FieldError>,
    path: &str,
    map: &std::collections::BTreeMap<String, crate::engine::api::Quantity>,
    required: bool,
) {
    match map.get("storage") {
        None if required => errs.push((format!("{path}[storage]"), "Required value".into())),
        None => {}
        Some(q) if !valid_quantity(&q.0) => errs.push((
            format!("{path}[storage]"),
            format!("Invalid value: \"{}\": quantities must match the regular expression '{QUANTITY_REGEX}'", q.0),
        )),
        Some(q) if crate::engine::controllers::scheduler::parse_bytes(&q.0) == 0 => errs.push((
            format!("{path}[storage]"),
            format!("Invalid value: \"{}\": must be greater than zero", q.0),
        )),
        Some(_) => {}
    }
}

fn access_mode_errors(errs: &mut Vec<FieldError>, modes: &[String], required: &str) {
    if modes.is_empty() {
        errs.push(("spec.accessModes".into(), required.into()));
    }
    for m in modes {
        if !crate::engine::storage::ACCESS_MODES.contains(&m.as_str()) {
            errs.push((
                "spec.accessModes".into(),
                format!("Unsupported value: \"{m}\": {MODES_SUPPORTED}"),
            ));
        }
    }
    if modes.len() > 1 && modes.iter().any(|m| m == "ReadWriteOncePod") {
        errs.push((
            "spec.accessModes".into(),
            "Forbidden: may not use ReadWriteOncePod with other access modes".into(),
        ));
    }
}

fn volume_mode_errors(errs: &mut Vec<FieldError>, mode: &Option<String>) {
    if let Some(m) = mode
        .as_deref()
        .filter(|m| *m != "Block" && *m != "Filesystem")
    {
        errs.push((
            "spec.volumeMode".into(),
            format!("Unsupported value: \"{m}\": supported values: \"Block\", \"Filesystem\""),
        ));
    }
}

/// `ValidatePersistentVolume` (kubernetes: pkg/apis/core/validation/validation.go).
pub fn persistent_volume(pv: &crate::engine::api::core::PersistentVolume) -> Vec<FieldError> {
    let spec = &pv.spec;
    let mut errs = Vec::new();
    if spec.capacity.is_empty() {
        errs.push(("spec.capacity".into(), "Required value".into()));
    }
    for k in spec.capacity.keys().filter(|k| *k != "storage") {
        errs.push((
            "spec.capacity".into(),
            format!("Unsupported value: \"{k}\": supported values: \"storage\""),
        ));
    }
    quantity_errors(
        &mut errs,
        "spec.capacity",
        &spec.capacity,
        !spec.capacity.is_empty(),
    );
    access_mode_errors(&mut errs, &spec.access_modes, "Required value");
    let policy = spec.persistent_volume_reclaim_policy.as_str();
    if !policy.is_empty() && !["Delete", "Recycle", "Retain"].contains(&policy) {
        errs.push((
            "spec.persistentVolumeReclaimPolicy".into(),
            format!("Unsupported value: \"{policy}\": supported values: \"Delete\", \"Recycle\", \"Retain\""),
        ));
    }
    volume_mode_errors(&mut errs, &spec.volume_mode);
    let sources = crate::engine::storage::pv_sources(spec);
    match sources.as_slice() {
        [] => errs.push((
            "spec".into(),
            "Required value: must specify a volume type".into(),
        )),
        [_] => {}
        [_, rest @ ..] => {
            for s in rest {
                errs.push((
                    format!("spec.{s}"),
                    "Forbidden: may not specify more than 1 volume type".into(),
                ));
            }
        }
    }
    if spec.local.is_some()
        && spec
            .node_affinity
            .as_ref()
            .and_then(|a| a.required.as_ref())
            .is_none()
    {
        errs.push((
            "spec.nodeAffinity".into(),
            "Required value: Local volume requires node affinity".into(),
        ));
    }
    if let Some(hp) = &spec.host_path {
        if policy == "Recycle" && hp.path.trim_end_matches('/').is_empty() {
            errs.push((
                "spec.persistentVolumeReclaimPolicy".into(),
                "Forbidden: may not be 'recycle' for a hostPath mount of '/'".into(),
            ));
        }
    }
    errs
}

/// What the API server (and kubeplay) warns about for a PV that is accepted.
pub fn persistent_volume_warnings(
    pv: &crate::engine::api::core::PersistentVolume,
) -> Vec<FieldError> {
    let mut warnings = Vec::new();
    if pv.spec.persistent_volume_reclaim_policy == "Recycle" {
        warnings.push((
            "spec.persistentVolumeReclaimPolicy".into(),
            "The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.".into(),
        ));
    }
    if let Some(plugin) = crate::engine::storage::pv_plugin(pv) {
        for m in &pv.spec.access_modes {
            if crate::engine::storage::ACCESS_MODES.contains(&m.as_str())
                && !plugin.modes.contains(&m.as_str())
            {
                warnings.push((
                    "spec.accessModes".into(),
                    format!(
                        "{} volumes do not support {m} (the access-mode table of \"Persistent Volumes\"); the API server accepts it, but pods on a second node will not get this volume",
                        plugin.name
                    ),
                ));
            }
        }
    }
    warnings
}

/// `ValidatePersistentVolumeClaim`.
pub fn persistent_volume_claim(
    pvc: &crate::engine::api::core::PersistentVolumeClaim,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    access_mode_errors(
        &mut errs,
        &pvc.spec.access_modes,
        "Required value: at least 1 access mode is required",
    );
    quantity_errors(
        &mut errs,
        "spec.resources",
        &pvc.spec.resources.requests,
        true,
    );
    volume_mode_errors(&mut errs, &pvc.spec.volume_mode);
    errs
}

/// `ValidateStorageClass` (pkg/apis/storage/validation).
pub fn storage_class(sc: &crate::engine::api::storage::StorageClass) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if sc.provisioner.is_empty() {
        errs.push(("provisioner".into(), "Required value".into()));
    }
    if let Some(p) = sc
        .reclaim_policy
        .as_deref()
        .filter(|p| *p != "Delete" && *p != "Retain")
    {
        errs.push((
            "reclaimPolicy".into(),
            format!("Unsupported value: \"{p}\": supported values: \"Delete\", \"Retain\""),
        ));
    }
    if let Some(m) = sc
        .volume_binding_mode
        .as_deref()
        .filter(|m| *m != "Immediate" && *m != "WaitForFirstConsumer")
    {
        errs.push((
            "volumeBindingMode".into(),
            format!("Unsupported value: \"{m}\": supported values: \"Immediate\", \"WaitForFirstConsumer\""),
        ));
    }
    errs
}

/// `ValidateIngress` (kubernetes: pkg/apis/networking/validation/validation.go).
pub fn ingress(ing: &crate::engine::api::networking::Ingress) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let backend = |errs: &mut Vec<FieldError>,
                   path: &str,
                   b: &crate::engine::api::networking::IngressBackend| {
        match (&b.service, &b.resource) {
            (Some(_), Some(_)) => errs.push((
                path.to_string(),
                "Invalid value: \"\": cannot set both resource and service backends".into(),
            )),
            (None, None) => errs.push((
                path.to_string(),
                "Invalid value: \"\": resource or service backend is required".into(),
            )),
            (Some(svc), None) => {
                if !svc.port.name.is_empty() && svc.port.number != 0 {
                    errs.push((
                        format!("{path}.service.port"),
                        "Invalid value: \"\": cannot set both port name & port number".into(),
                    ));
                } else if svc.port.name.is_empty() && svc.port.number == 0 {
                    errs.push((
                        format!("{path}.service.port.name"),
                        "Required value: port name or number is required".into(),
                    ));
                }
            }
            (None, Some(_)) => {}
        }
    };
    if ing.spec.rules.is_empty() && ing.spec.default_backend.is_none() {
        errs.push((
            "spec.rules".into(),
            "Required value: either `defaultBackend` or `rules` must be specified".into(),
        ));
    }
    if let Some(b) = &ing.spec.default_backend {
        backend(&mut errs, "spec.defaultBackend", b);
    }
    for (i, rule) in ing.spec.rules.iter().enumerate() {
        let host = &rule.host;
        if !host.is_empty() {
            if let Some(rest) = host.strip_prefix("*.") {
                if rest.contains('*') || rest.is_empty() {
                    errs.push((format!("spec.rules[{i}].host"), format!("Invalid value: \"{host}\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")));
                }
            } else if host.contains('*') || !dns1123_subdomain(host).is_empty() {
                errs.push((format!("spec.rules[{i}].host"), format!("Invalid value: \"{host}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")));
            }
        }
        for (j, p) in rule.http.iter().flat_map(|h| &h.paths).enumerate() {
            let at = format!("spec.rules[{i}].http.paths[{j}]");
            match p.path_type.as_deref() {
                None => errs.push((format!("{at}.pathType"), "Required value: pathType must be specified".into())),
                Some("Exact" | "Prefix") if !p.path.starts_with('/') => errs.push((
                    format!("{at}.path"),
                    format!("Invalid value: \"{}\": must be an absolute path", p.path),
                )),
                Some("Exact" | "Prefix" | "ImplementationSpecific") => {}
                Some(other) => errs.push((
                    format!("{at}.pathType"),
                    format!("Unsupported value: \"{other}\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""),
                )),
            }
            backend(&mut errs, &format!("{at}.backend"), &p.backend);
        }
    }
    errs
}

fn is_port_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 15
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.iter().any(u8::is_ascii_lowercase)
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !name.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_dns1035_labels() {
        assert!(dns1035_label("httpd-deployment").is_empty());
        assert_eq!(dns1035_label("1web").len(), 1);
        assert_eq!(dns1035_label("Web").len(), 1);
    }

    #[test]
    fn subdomains_allow_dots() {
        assert!(dns1123_subdomain("web.v1").is_empty());
        assert!(!dns1123_subdomain("web..v1").is_empty());
        assert!(!dns1123_subdomain("").is_empty());
    }

    #[test]
    fn label_keys_and_values() {
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert!(!qualified_name("-app").is_empty());
        assert!(label_value("").is_empty());
        assert!(!label_value("a b").is_empty());
    }
}
