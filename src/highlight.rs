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
            let plain = html
                .split('<')
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
                .replace("&amp;", "&");
            assert_eq!(plain, format!("{text} "), "{text:?}");
        }
    }
}
