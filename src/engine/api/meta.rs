//! meta/v1: ObjectMeta, owner references, label selectors, references.

use std::collections::BTreeMap;

use super::api_struct;

api_struct!(
    /// `metadata` of every object.
    ObjectMeta {
        name: String,
        generate_name: String,
        namespace: String,
        uid: String,
        resource_version: String,
        generation: i64,
        creation_timestamp: Option<String>,
        deletion_timestamp: Option<String>,
        deletion_grace_period_seconds: Option<i64>,
        labels: BTreeMap<String, String>,
        annotations: BTreeMap<String, String>,
        owner_references: Vec<OwnerReference>,
        finalizers: Vec<String>,
        managed_fields: Vec<super::Any>,
        self_link: String,
    }
);

api_struct!(
    /// `metadata.ownerReferences[]`.
    OwnerReference {
        api_version: String,
        kind: String,
        name: String,
        uid: String,
        controller: Option<bool>,
        block_owner_deletion: Option<bool>,
    }
);

api_struct!(
    /// A label selector (`matchLabels` and `matchExpressions`).
    LabelSelector {
        match_labels: BTreeMap<String, String>,
        match_expressions: Vec<LabelSelectorRequirement>,
    }
);

api_struct!(
    /// One `matchExpressions` entry.
    LabelSelectorRequirement {
        key: String,
        operator: String,
        values: Vec<String>,
    }
);

api_struct!(
    /// core/v1 ObjectReference (a PV's `claimRef`, an endpoint's `targetRef`).
    ObjectReference {
        api_version: String,
        kind: String,
        namespace: String,
        name: String,
        uid: String,
        resource_version: String,
        field_path: String,
    }
);

api_struct!(
    /// A reference by name to an object in the same namespace.
    LocalObjectReference { name: String }
);
