//! `-o yaml`: JSON values written the way kubectl writes YAML (sigs.k8s.io/yaml → go-yaml
//! v2): two-space indents, sequences at their key's indent, keys in the given order,
//! strings quoted only when they would read back as something else.

use serde_json::Value;

/// Renders a JSON value as a YAML document (no leading `---`), ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, depth: usize) {
    for (i, (k, v)) in map.iter().enumerate() {
        // The first key of a map inside a sequence item follows the "- " on its line.
        if i > 0 || !out.ends_with("- ") {
            indent(out, depth);
        }
        out.push_str(&key(k));
        out.push(':');
        write_value_after_key(out, v, depth);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, depth + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, depth);
        }
        Value::String(s) if s.contains('\n') => {
            out.push_str(" |");
            if s.ends_with('\n') {
                if s.ends_with("\n\n") {
                    out.push('+');
                }
            } else {
                out.push('-');
            }
            out.push('\n');
            for line in s.trim_end_matches('\n').split('\n') {
                if !line.is_empty() {
                    indent(out, depth + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], depth: usize) {
    for item in items {
        indent(out, depth);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, depth + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, depth + 2);
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn key(k: &str) -> String {
    if needs_quotes(k) {
        quote(k)
    } else {
        k.to_string()
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if needs_quotes(s) {
                quote(s)
            } else {
                s.clone()
            }
        }
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// Whether a plain scalar would not read back as this string.
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    if !matches!(
        crate::engine::yaml::resolve_plain(s),
        crate::engine::yaml::Value::Str(_)
    ) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    let last = s.chars().last().unwrap_or(' ');
    if first.is_whitespace() || last.is_whitespace() {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-` and `?` and `:` are fine when followed by a non-space (e.g. `-1a`, `:x`).
        let second = s.chars().nth(1);
        let indicator_ok =
            matches!(first, '-' | '?' | ':') && second.is_some_and(|c| !c.is_whitespace());
        if !indicator_ok {
            return true;
        }
    }
    s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(|c| c.is_control())
}

/// go-yaml quotes with single quotes unless the string needs escapes.
fn quote(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_like_kubectl() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"labels": {"app": "web", "version": "1"}, "name": "web"},
            "spec": {"containers": [{"image": "nginx", "name": "web", "ports": [{"containerPort": 80}]}],
                     "nodeSelector": {}},
            "data": {"script": "echo hi\nexit 0\n", "empty": "", "yes": "true"},
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\ndata:\n  empty: ''\n  script: |\n    echo hi\n    exit 0\n  'yes': 'true'\nkind: Pod\nmetadata:\n  labels:\n    app: web\n    version: '1'\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n    ports:\n    - containerPort: 80\n  nodeSelector: {}\n"
        );
    }

    #[test]
    fn output_reads_back_to_the_same_value() {
        let v = json!({"a": ["x", "- y", "k: v", "#c", " lead", "it's", 1.5, null, true, {"b": []}], "c": "a\tb"});
        let text = to_yaml(&v);
        let doc = crate::engine::yaml::parse_documents(&text).unwrap();
        let node = doc[0].root.clone().unwrap().unwrap();
        let back: serde_json::Value = crate::engine::de::from_node(&node, "").unwrap().0;
        assert_eq!(back, v, "{text}");
    }
}
