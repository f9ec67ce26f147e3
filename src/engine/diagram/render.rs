//! Renderers: a self-contained SVG (its colours are CSS variables with light defaults, so
//! the app's theme restyles it and a downloaded file looks right on its own), Mermaid text
//! of the same view for documentation, and the text table the diagram was drawn from (its
//! text alternative, and what the CLI prints). Every string from the cluster is escaped.

use super::dns::Sequence;
use super::layout::{Layout, BOX_W};
use super::{Model, State};
use crate::engine::kubectl::tabulate;
use crate::engine::sort::{CollectLean, SortLean};

const STYLE: &str = r#".kp-dia{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:11px}
.kp-d-bg{fill:var(--kp-d-bg,#fff)}
.kp-d-title{fill:var(--kp-d-text,#1f2328);font-size:13px;font-weight:700}
.kp-d-col{fill:var(--kp-d-muted,#57606a);font-weight:600}
.kp-d-lane rect{fill:var(--kp-d-lane,#f6f8fa);stroke:var(--kp-d-line,#d0d7de)}
.kp-d-lane text{fill:var(--kp-d-muted,#57606a);font-weight:600}
.kp-d-box rect{stroke-width:1.5px}
.kp-d-changed rect{stroke:var(--kp-d-changed,#bf3989);stroke-width:3px;stroke-dasharray:6 3}
.kp-d-box:focus{outline:none}
.kp-d-box:focus rect,.kp-d-box:hover rect{stroke-width:3px}
.kp-d-label{font-weight:600;font-size:12px;fill:var(--kp-d-text,#1f2328)}
.kp-d-text{fill:var(--kp-d-muted,#57606a)}
.kp-d-s-ok rect{fill:var(--kp-d-ok-bg,#dafbe1);stroke:var(--kp-d-ok,#1a7f37)}
.kp-d-s-pending rect{fill:var(--kp-d-pending-bg,#fff8c5);stroke:var(--kp-d-pending,#9a6700)}
.kp-d-s-warn rect{fill:var(--kp-d-warn-bg,#fff1e5);stroke:var(--kp-d-warn,#bc4c00)}
.kp-d-s-error rect{fill:var(--kp-d-error-bg,#ffebe9);stroke:var(--kp-d-error,#cf222e)}
.kp-d-s-neutral rect{fill:var(--kp-d-neutral-bg,#ddf4ff);stroke:var(--kp-d-neutral,#0969da)}
.kp-d-s-muted rect{fill:var(--kp-d-muted-bg,#eaeef2);stroke:var(--kp-d-muted,#6e7781)}
.kp-d-edge path{fill:none;stroke:var(--kp-d-edge,#8c959f);stroke-width:1.3px}
.kp-d-edge.kp-d-s-ok path{stroke:var(--kp-d-ok,#1a7f37)}
.kp-d-edge.kp-d-s-warn path{stroke:var(--kp-d-warn,#bc4c00)}
.kp-d-edge.kp-d-s-error path{stroke:var(--kp-d-error,#cf222e)}
.kp-d-dashed path{stroke-dasharray:5 4}
.kp-d-path path{stroke:var(--kp-d-path,#8250df);stroke-width:3px}
.kp-d-elabel{fill:var(--kp-d-muted,#57606a);font-size:10px;paint-order:stroke;stroke:var(--kp-d-bg,#fff);stroke-width:3px;stroke-linejoin:round}
.kp-d-arrow{fill:var(--kp-d-edge,#8c959f)}
.kp-d-arrow-path{fill:var(--kp-d-path,#8250df)}
.kp-d-step circle,.kp-d-count rect{fill:var(--kp-d-path,#8250df)}
.kp-d-step text,.kp-d-count text{fill:#fff;font-weight:700;text-anchor:middle}
.kp-d-legend{fill:var(--kp-d-text,#1f2328)}
.kp-d-note{fill:var(--kp-d-muted,#57606a);font-style:italic}
.kp-d-life{stroke:var(--kp-d-line,#d0d7de);stroke-dasharray:4 4}
.kp-d-msg{stroke:var(--kp-d-edge,#8c959f);stroke-width:1.3px;fill:none}
.kp-d-msg.kp-d-s-ok{stroke:var(--kp-d-ok,#1a7f37)}
.kp-d-msg.kp-d-s-warn{stroke:var(--kp-d-warn,#bc4c00)}"#;

/// Escapes text for XML content and attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Cuts a name in the middle (the end tells pods of one owner apart).
fn fit_middle(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let chars: Vec<char> = text.chars().collect();
    let mut s: String = chars[..head].iter().collect();
    s.push('…');
    s.extend(&chars[n - tail..]);
    s
}

/// Cuts text to `max` characters with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn defs() -> String {
    let marker = |id: &str, class: &str| {
        format!(
            r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="{class}"/></marker>"#
        )
    };
    format!(
        "<defs>{}{}</defs>",
        marker("kp-arrow", "kp-d-arrow"),
        marker("kp-arrow-path", "kp-d-arrow-path")
    )
}

/// The positioned model as a standalone SVG document.
pub fn svg(m: &Model, l: &Layout) -> String {
    let legend = legend_lines(m, l.width);
    let height = l.height
        + if legend.is_empty() {
            0
        } else {
            12 + 16 * legend.len() as i32
        };
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="kp-dia" viewBox="0 0 {w} {height}" width="{w}" height="{height}" role="group" aria-label="{title} diagram"><style>{STYLE}</style>{defs}<rect class="kp-d-bg" width="{w}" height="{height}"/>"#,
        w = l.width,
        title = esc(&m.title),
        defs = defs()
    );
    for (x, tier) in &l.columns {
        if let Some(name) = m.tiers.get(*tier) {
            out.push_str(&format!(
                r#"<text class="kp-d-col" x="{x}" y="18">{}</text>"#,
                esc(name)
            ));
        }
    }
    for (lane, band) in m.lanes.iter().zip(&l.bands) {
        out.push_str(&format!(
            r#"<g class="kp-d-lane"><rect x="4" y="{}" width="{}" height="{}" rx="8"/><text x="12" y="{}">{}</text></g>"#,
            band.y,
            l.width - 8,
            band.h,
            band.y + 17,
            esc(&lane.label)
        ));
    }
    for r in &l.edges {
        let e = &m.edges[r.edge];
        let mut class = format!("kp-d-edge kp-d-s-{}", e.state.name());
        if e.dashed {
            class.push_str(" kp-d-dashed");
        }
        if e.path {
            class.push_str(" kp-d-path");
        }
        let [p0, p1, p2, p3] = r.points;
        let title = if e.title.is_empty() {
            format!("{} → {}", e.from, e.to)
        } else {
            format!("{} → {}: {}", e.from, e.to, e.title)
        };
        out.push_str(&format!(
            r#"<g class="{class}"><title>{}</title><path d="M{} {} C{} {},{} {},{} {}" marker-end="url(#{})"/>"#,
            esc(&title),
            p0.0,
            p0.1,
            p1.0,
            p1.1,
            p2.0,
            p2.1,
            p3.0,
            p3.1,
            if e.path { "kp-arrow-path" } else { "kp-arrow" }
        ));
        if !e.label.is_empty() {
            out.push_str(&format!(
                r#"<text class="kp-d-elabel" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                r.label_at.0,
                r.label_at.1 - 3,
                esc(&fit(&e.label, 28))
            ));
        }
        out.push_str("</g>");
    }
    for p in &l.boxes {
        let n = &m.nodes[p.node];
        let aria = format!(
            "{}: {}; {}",
            n.label,
            n.lines.join(", "),
            state_word(n.state)
        );
        let changed = m.changed.contains(&n.id);
        out.push_str(&format!(
            r#"<g class="kp-d-box kp-d-s-{} kp-d-k-{}{}" tabindex="0" role="img" data-id="{}" aria-label="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="6"/><text class="kp-d-label" x="{}" y="{}">{}</text>"#,
            n.state.name(),
            n.kind,
            if changed { " kp-d-changed" } else { "" },
            esc(&n.id),
            esc(&if changed { format!("{aria}; changed in the what-if") } else { aria }),
            esc(&if changed { format!("{}\n(different in the what-if)", n.title) } else { n.title.clone() }),
            p.x,
            p.y,
            p.w,
            p.h,
            p.x + 8,
            p.y + 17,
            esc(&fit_middle(&n.label, 25))
        ));
        for (i, line) in n.lines.iter().take(2).enumerate() {
            out.push_str(&format!(
                r#"<text class="kp-d-text" x="{}" y="{}">{}</text>"#,
                p.x + 8,
                p.y + 32 + 14 * i as i32,
                esc(&fit(line, 29))
            ));
        }
        out.push_str("</g>");
    }
    // The request path: numbered badges, and how many requests each pod answered.
    if let Some(path) = &m.path {
        let mut seen_at: std::collections::BTreeMap<usize, i32> = Default::default();
        for (i, (id, hops)) in path.steps.iter().enumerate() {
            let Some(k) = m.nodes.iter().position(|n| n.id == *id) else {
                continue;
            };
            let Some(p) = l.placed(k) else { continue };
            let shift = seen_at.entry(k).or_insert(0);
            let (cx, cy) = (p.x + *shift, p.y);
            *shift += 22;
            out.push_str(&format!(
                r#"<g class="kp-d-step"><title>{}</title><circle cx="{cx}" cy="{cy}" r="10"/><text x="{cx}" y="{}">{}</text></g>"#,
                esc(&format!("{}. {}", i + 1, hops.join("\n"))),
                cy + 4,
                i + 1
            ));
        }
        for (id, count) in &path.spread {
            let Some(k) = m.nodes.iter().position(|n| n.id == *id) else {
                continue;
            };
            let Some(p) = l.placed(k) else { continue };
            let (x, y) = (p.x + p.w - 34, p.y - 8);
            out.push_str(&format!(
                r#"<g class="kp-d-count"><title>{}</title><rect x="{x}" y="{y}" width="38" height="16" rx="8"/><text x="{}" y="{}">×{count}</text></g>"#,
                esc(&format!("answered {count} of these requests")),
                x + 19,
                y + 12
            ));
        }
    }
    for (i, (line, class)) in legend.iter().enumerate() {
        out.push_str(&format!(
            r#"<text class="{class}" x="12" y="{}">{}</text>"#,
            l.height + 14 + 16 * i as i32,
            esc(line)
        ));
    }
    out.push_str("</svg>");
    out
}

fn state_word(s: State) -> &'static str {
    match s {
        State::Ok => "fine",
        State::Pending => "waiting",
        State::Warn => "needs attention",
        State::Error => "failing",
        State::Neutral | State::Muted => "",
    }
}

/// The lines under the diagram: the request path, numbered, and the notes.
fn legend_lines(m: &Model, width: i32) -> Vec<(String, &'static str)> {
    let max = (width.max(400) / 6) as usize;
    let mut lines = Vec::new();
    if let Some(path) = &m.path {
        lines.push((
            fit(&format!("Request: {}", path.summary), max),
            "kp-d-legend",
        ));
        for (i, (id, hops)) in path.steps.iter().enumerate() {
            lines.push((
                fit(&format!("{}. {id}: {}", i + 1, hops.join("; ")), max),
                "kp-d-legend",
            ));
        }
    }
    for n in &m.notes {
        lines.push((fit(n, max), "kp-d-note"));
    }
    lines
}

/// Mermaid flowchart text of the view (lanes as subgraphs), for documentation.
pub fn mermaid(m: &Model) -> String {
    let index: std::collections::BTreeMap<&str, usize> = m
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect_map();
    let id_of = |id: &str| index.get(id).map(|i| format!("n{i}"));
    let q = |text: &str| {
        text.replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
    };
    let mut out = format!("---\ntitle: {}\n---\nflowchart LR\n", q(&m.title));
    for (li, lane) in m.lanes.iter().enumerate() {
        let members: Vec<usize> = (0..m.nodes.len())
            .filter(|&i| m.nodes[i].lane == li)
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("  subgraph L{li}[\"{}\"]\n", q(&lane.label)));
        for i in members {
            let n = &m.nodes[i];
            let mut text = q(&n.label);
            for line in &n.lines {
                text.push_str("<br/>");
                text.push_str(&q(line));
            }
            out.push_str(&format!("    n{i}[\"{text}\"]\n"));
        }
        out.push_str("  end\n");
    }
    let mut path_links = Vec::new();
    for (k, e) in m.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (id_of(&e.from), id_of(&e.to)) else {
            continue;
        };
        let arrow = if e.dashed { "-.->" } else { "-->" };
        if e.label.is_empty() {
            out.push_str(&format!("  {a} {arrow} {b}\n"));
        } else {
            out.push_str(&format!("  {a} {arrow}|\"{}\"| {b}\n", q(&e.label)));
        }
        if e.path {
            path_links.push(k.to_string());
        }
    }
    for (state, style) in [
        (State::Ok, "fill:#dafbe1,stroke:#1a7f37"),
        (State::Pending, "fill:#fff8c5,stroke:#9a6700"),
        (State::Warn, "fill:#fff1e5,stroke:#bc4c00"),
        (State::Error, "fill:#ffebe9,stroke:#cf222e"),
        (State::Neutral, "fill:#ddf4ff,stroke:#0969da"),
        (State::Muted, "fill:#eaeef2,stroke:#6e7781"),
    ] {
        let members: Vec<String> = (0..m.nodes.len())
            .filter(|&i| m.nodes[i].state == state)
            .map(|i| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            out.push_str(&format!("  classDef {} {style}\n", state.name()));
            out.push_str(&format!("  class {} {}\n", members.join(","), state.name()));
        }
    }
    if !path_links.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:#8250df,stroke-width:3px\n",
            path_links.join(",")
        ));
    }
    out.trim_end().to_string()
}

/// The boxes and arrows as text tables: the diagram's text alternative.
pub fn table(m: &Model) -> String {
    let mut rows = vec![vec![
        "WHERE".to_string(),
        "COLUMN".into(),
        "OBJECT".into(),
        "STATE".into(),
        "DETAILS".into(),
    ]];
    let mut order: Vec<usize> = (0..m.nodes.len()).collect();
    order.sort_lean_by(|a, b| {
        let (x, y) = (&m.nodes[*a], &m.nodes[*b]);
        (x.lane, x.tier, &x.id).cmp(&(y.lane, y.tier, &y.id))
    });
    for i in order {
        let n = &m.nodes[i];
        rows.push(vec![
            m.lanes
                .get(n.lane)
                .map_or("", |l| l.label.as_str())
                .to_string(),
            m.tiers.get(n.tier).copied().unwrap_or("").to_string(),
            n.label.clone(),
            n.state.name().to_string(),
            n.lines.join(" · "),
        ]);
    }
    let mut out = format!("{} diagram\n\n{}\n", m.title, tabulate(&rows));
    if !m.edges.is_empty() {
        let mut rows = vec![vec![
            "FROM".to_string(),
            "TO".into(),
            "LABEL".into(),
            "NOTE".into(),
        ]];
        for e in &m.edges {
            rows.push(vec![
                e.from.clone(),
                e.to.clone(),
                if e.label.is_empty() {
                    "-".into()
                } else {
                    e.label.clone()
                },
                if e.path {
                    "request path".into()
                } else if e.dashed {
                    e.title.clone()
                } else {
                    String::new()
                },
            ]);
        }
        out.push_str(&format!("\n{}\n", tabulate(&rows)));
    }
    if let Some(path) = &m.path {
        out.push_str(&format!("\nRequest: {}\n", path.summary));
        for (i, (id, hops)) in path.steps.iter().enumerate() {
            out.push_str(&format!("  {}. {id}\n", i + 1));
            for h in hops {
                out.push_str(&format!("       {h}\n"));
            }
        }
        if path.spread.len() > 1 || path.spread.values().any(|n| *n > 1) {
            let spread: Vec<String> = path
                .spread
                .iter()
                .map(|(p, n)| format!("{} ×{n}", p.trim_start_matches("Pod/")))
                .collect();
            out.push_str(&format!("  Spread over pods: {}\n", spread.join(", ")));
        }
    }
    for n in &m.notes {
        out.push_str(&format!("\n{n}\n"));
    }
    out.trim_end().to_string()
}

const SEQ_COL: i32 = 380;
const SEQ_TOP: i32 = 64;
const SEQ_ROW: i32 = 30;

/// The sequence as a standalone SVG.
pub fn sequence_svg(s: &Sequence) -> String {
    let n = s.participants.len().max(1) as i32;
    let width = 40 + n * SEQ_COL - SEQ_COL / 2;
    let rows = s.messages.len() as i32;
    let body_end = SEQ_TOP + 20 + rows * SEQ_ROW;
    let height = body_end + 16 + 16 * s.notes.len() as i32 + 8;
    let x_of = |i: usize| 20 + BOX_W / 2 + i as i32 * SEQ_COL;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="kp-dia" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-label="{}"><style>{STYLE}</style>{}<rect class="kp-d-bg" width="{width}" height="{height}"/><text class="kp-d-title" x="12" y="20">{}</text>"#,
        esc(&s.title),
        defs(),
        esc(&s.title)
    );
    for (i, p) in s.participants.iter().enumerate() {
        let x = x_of(i);
        out.push_str(&format!(
            r#"<line class="kp-d-life" x1="{x}" y1="{}" x2="{x}" y2="{body_end}"/><g class="kp-d-box kp-d-s-muted" tabindex="0" role="img" aria-label="{}"><rect x="{}" y="30" width="{BOX_W}" height="28" rx="6"/><text class="kp-d-label" x="{x}" y="48" text-anchor="middle">{}</text></g>"#,
            SEQ_TOP - 6,
            esc(p),
            x - BOX_W / 2,
            esc(&fit(p, 26))
        ));
    }
    for (i, msg) in s.messages.iter().enumerate() {
        let y = SEQ_TOP + 20 + i as i32 * SEQ_ROW;
        let (x1, x2) = (x_of(msg.from), x_of(msg.to));
        let (a, b) = if x2 > x1 { (x1, x2 - 2) } else { (x1, x2 + 2) };
        out.push_str(&format!(
            r#"<g><title>{}</title><line class="kp-d-msg kp-d-s-{}" x1="{a}" y1="{y}" x2="{b}" y2="{y}" marker-end="url(#kp-arrow)"/><text class="kp-d-elabel" x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
            esc(&msg.text),
            msg.state.name(),
            (x1 + x2) / 2,
            y - 5,
            esc(&fit(&format!("{}. {}", i + 1, msg.text), 60))
        ));
    }
    for (i, note) in s.notes.iter().enumerate() {
        out.push_str(&format!(
            r#"<text class="kp-d-note" x="12" y="{}">{}</text>"#,
            body_end + 18 + 16 * i as i32,
            esc(&fit(note, (width / 6) as usize))
        ));
    }
    out.push_str("</svg>");
    out
}

/// The sequence as Mermaid text.
pub fn sequence_mermaid(s: &Sequence) -> String {
    let q = |t: &str| -> String {
        t.chars()
            .map(|c| match c {
                ';' => "#59;".to_string(),
                '#' => "#35;".to_string(),
                c => c.to_string(),
            })
            .collect()
    };
    let mut out = String::from("sequenceDiagram\n");
    for (i, p) in s.participants.iter().enumerate() {
        out.push_str(&format!("  participant P{i} as {}\n", q(p)));
    }
    for m in &s.messages {
        let arrow = if m.from < m.to { "->>" } else { "-->>" };
        out.push_str(&format!("  P{}{arrow}P{}: {}\n", m.from, m.to, q(&m.text)));
    }
    if s.participants.len() > 1 {
        for n in &s.notes {
            out.push_str(&format!(
                "  Note over P0,P{}: {}\n",
                s.participants.len() - 1,
                q(n)
            ));
        }
    }
    out.trim_end().to_string()
}

/// The sequence as a numbered list.
pub fn sequence_table(s: &Sequence) -> String {
    let mut rows = vec![vec![
        "#".to_string(),
        "FROM".into(),
        "TO".into(),
        "MESSAGE".into(),
    ]];
    for (i, m) in s.messages.iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            s.participants.get(m.from).cloned().unwrap_or_default(),
            s.participants.get(m.to).cloned().unwrap_or_default(),
            m.text.clone(),
        ]);
    }
    let mut out = format!("{}\n\n", s.title);
    if !s.messages.is_empty() {
        out.push_str(&tabulate(&rows));
        out.push('\n');
    }
    for n in &s.notes {
        out.push_str(&format!("\n{n}"));
    }
    out.trim_end().to_string()
}
