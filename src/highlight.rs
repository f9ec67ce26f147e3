//! YAML syntax colouring for the editor: the text as HTML spans (every character escaped),
//! drawn under the transparent textarea. A line-by-line scanner, not a parser: keys,
//! strings, numbers/booleans/null, comments, document markers and punctuation — enough to
//! read a manifest at a glance, and fast enough to run on every keystroke.

/// The text as HTML with `kp-y-*` spans.
pub fn yaml_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        line_html(line, &mut out);
    }
    // A trailing newline needs a line of its own to keep the layers the same height.
    out.push(' ');
    out
}

fn escape_into(text: &str, out: &mut String) {
    out.push_str(&crate::engine::diagram::render::esc(text));
}

fn span(class: &str, text: &str, out: &mut String) {
    if text.is_empty() {
        return;
    }
    out.push_str("<span class=\"kp-y-");
    out.push_str(class);
    out.push_str("\">");
    escape_into(text, out);
    out.push_str("</span>");
}

fn is_scalar_word(word: &str) -> bool {
    matches!(
        word,
        "true"
            | "false"
            | "True"
            | "False"
            | "TRUE"
            | "FALSE"
            | "null"
            | "Null"
            | "NULL"
            | "~"
            | "yes"
            | "no"
            | "on"
            | "off"
    ) || word.parse::<f64>().is_ok()
}

fn line_html(line: &str, out: &mut String) {
    let trimmed = line.trim_start();
    if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
        span("doc", line, out);
        return;
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let byte = |k: usize| chars.get(k).map_or(line.len(), |(b, _)| *b);
    let mut k = 0;
    let mut token_start = true;
    while k < chars.len() {
        let c = chars[k].1;
        match c {
            ' ' | '\t' => {
                let start = k;
                while matches!(at(k), Some(' ' | '\t')) {
                    k += 1;
                }
                escape_into(&line[byte(start)..byte(k)], out);
                token_start = true;
            }
            '#' if token_start => {
                span("com", &line[byte(k)..], out);
                return;
            }
            '"' | '\'' => {
                let start = k;
                k += 1;
                while let Some(d) = at(k) {
                    k += 1;
                    if d == '\\' && c == '"' {
                        k += 1;
                    } else if d == c {
                        break;
                    }
                }
                let k_end = k.min(chars.len());
                let text = &line[byte(start)..byte(k_end)];
                // A quoted key.
                if at(k) == Some(':') && matches!(at(k + 1), None | Some(' ' | ',' | '}')) {
                    span("key", text, out);
                } else {
                    span("str", text, out);
                }
                token_start = false;
            }
            '-' if token_start && matches!(at(k + 1), None | Some(' ')) => {
                span("punct", "-", out);
                k += 1;
            }
            '{' | '}' | '[' | ']' | ',' | ':' | '|' | '>' if token_start || c != '>' => {
                span("punct", &c.to_string(), out);
                k += 1;
                token_start = matches!(c, '{' | '[' | ',' | ':');
            }
            _ => {
                // A plain word: up to ": ", a flow delimiter, or " #".
                let start = k;
                while let Some(d) = at(k) {
                    if matches!(d, ',' | '[' | ']' | '{' | '}') {
                        break;
                    }
                    if d == ':' && matches!(at(k + 1), None | Some(' ' | ',' | '}' | ']')) {
                        break;
                    }
                    if d == '#' && k > start && matches!(at(k - 1), Some(' ')) {
                        break;
                    }
                    k += 1;
                }
                let word = &line[byte(start)..byte(k)];
                let trailing = word.len() - word.trim_end().len();
                let core = word.trim_end();
                let class = if at(k) == Some(':')
                    && matches!(at(k + 1), None | Some(' ' | ',' | '}' | ']'))
                {
                    "key"
                } else if is_scalar_word(core) {
                    "num"
                } else {
                    "plain"
                };
                if class == "plain" {
                    escape_into(core, out);
                } else {
                    span(class, core, out);
                }
                escape_into(&word[core.len()..core.len() + trailing], out);
                token_start = trailing > 0;
                if k == start {
                    // Nothing consumed (a lone delimiter the arms above did not take).
                    escape_into(&c.to_string(), out);
                    k += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_strings_numbers_comments_and_markers() {
        let html = yaml_html("# a comment\napiVersion: v1\nkind: Pod\n---\nspec:\n  replicas: 3\n  name: \"web\" # why\n  - {name: c, image: 'busybox'}\n");
        assert!(html.starts_with("<span class=\"kp-y-com\"># a comment</span>\n"));
        assert!(html.contains(
            "<span class=\"kp-y-key\">apiVersion</span><span class=\"kp-y-punct\">:</span> v1"
        ));
        assert!(html.contains("<span class=\"kp-y-doc\">---</span>"));
        assert!(html.contains("<span class=\"kp-y-num\">3</span>"));
        assert!(html.contains(
            "<span class=\"kp-y-str\">&quot;web&quot;</span> <span class=\"kp-y-com\"># why</span>"
        ));
        assert!(html
            .contains("<span class=\"kp-y-punct\">{</span><span class=\"kp-y-key\">name</span>"));
        assert!(html.contains("<span class=\"kp-y-str\">&#39;busybox&#39;</span>"));
    }

    #[test]
    fn the_text_is_kept_exactly_and_escaped() {
        for text in [
            "a: <img src=x onerror=alert(1)>\n",
            "key: value: with: colons\n  - - nested\n",
            "url: http://a/b#c\n",
            "weird: \"unterminated\n",
            "中文: 值 # 注释\n",
            "{[,]}:\n-\n- \n",
            "",
        ] {
            let html = yaml_html(text);
            assert!(!html.contains("<img"));
            // Without the spans and entities, the text comes back.
            let plain = super::test_support::plain_text(&html);
            assert_eq!(plain, format!("{text} "), "{text:?}");
        }
    }
}

/// Terminal output as HTML, coloured the way a terminal with kubectl would (every
/// character escaped): table headers, errors, warnings, and states by what they mean;
/// Kubernetes documentation addresses become links.
pub fn terminal_html(text: &str) -> String {
    const GOOD: &[&str] = &[
        "Running",
        "Bound",
        "Available",
        "Succeeded",
        "Completed",
        "Ready",
        "True",
    ];
    const WAIT: &[&str] = &[
        "Pending",
        "ContainerCreating",
        "Released",
        "Terminating",
        "NotReady",
        "SchedulingDisabled",
    ];
    const BAD: &[&str] = &[
        "Failed",
        "Error",
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "Lost",
        "NXDOMAIN",
        "SERVFAIL",
        "REFUSED",
        "Evicted",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let whole = if trimmed.starts_with("error")
            || trimmed.starts_with("Error")
            || trimmed.starts_with("curl: (")
            || trimmed.starts_with("command terminated")
            || trimmed.starts_with("** server can't find")
        {
            Some("err")
        } else if trimmed.starts_with("Warning") {
            Some("warn")
        } else if is_header(line) {
            Some("head")
        } else {
            None
        };
        if let Some(class) = whole {
            out.push_str(&format!("<span class=\"kp-t-{class}\">"));
            words_html(line, &mut out, &[], &[], &[]);
            out.push_str("</span>");
        } else {
            words_html(line, &mut out, GOOD, WAIT, BAD);
        }
    }
    out
}

/// A kubectl table header: two or more words, all capitals.
fn is_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, '(' | ')' | '-' | '/' | '_' | '%'))
                && w.chars().any(|c| c.is_ascii_uppercase())
        })
}

fn words_html(line: &str, out: &mut String, good: &[&str], wait: &[&str], bad: &[&str]) {
    let mut rest = line;
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let space_end = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        let (space, next) = after.split_at(space_end);
        let bare = word.trim_matches(|c: char| matches!(c, ',' | '.' | ';' | ':' | '(' | ')'));
        if word.starts_with("https://kubernetes.io/") {
            let href = crate::engine::diagram::render::esc(word);
            out.push_str(&format!(
                "<a href=\"{href}\" target=\"_blank\" rel=\"noopener noreferrer\">{href}</a>"
            ));
        } else if let Some(class) = [(good, "t-ok"), (wait, "t-wait"), (bad, "t-bad")]
            .iter()
            .find(|(list, _)| list.contains(&bare))
            .map(|(_, c)| *c)
        {
            span(class, word, out);
        } else {
            escape_into(word, out);
        }
        escape_into(space, out);
        rest = next;
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::terminal_html;

    #[test]
    fn headers_states_errors_and_doc_links_are_coloured_and_text_is_kept() {
        let out = "NAME   READY   STATUS    RESTARTS   AGE\nweb-1  1/1     Running   0          5s\nweb-2  0/1     Pending   0          5s\nerror: the server doesn't have a resource type \"x<y>\"\nSee: Persistent Volumes — https://kubernetes.io/docs/concepts/storage/persistent-volumes/";
        let html = terminal_html(out);
        assert!(html.starts_with("<span class=\"kp-t-head\">NAME   READY"));
        assert!(html.contains("<span class=\"kp-y-t-ok\">Running</span>"));
        assert!(html.contains("<span class=\"kp-y-t-wait\">Pending</span>"));
        assert!(html.contains("<span class=\"kp-t-err\">error: the server doesn&#39;t have a resource type &quot;x&lt;y&gt;&quot;</span>"));
        assert!(html.contains("<a href=\"https://kubernetes.io/docs/concepts/storage/persistent-volumes/\" target=\"_blank\""));
        let plain = super::test_support::plain_text(&html);
        assert_eq!(plain, out);
    }
}

#[cfg(test)]
mod test_support {
    /// The text an HTML fragment shows: tags dropped, the escapes the renderers write undone.
    pub fn plain_text(html: &str) -> String {
        html.split('<')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('>').map_or("", |(_, r)| r)
                }
            })
            .collect::<String>()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }
}
