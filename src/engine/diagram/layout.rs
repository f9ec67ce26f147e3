//! The layout: a pure, deterministic function from a [`Model`] to positioned boxes and
//! routed edges. Lanes are horizontal bands, tiers are columns; boxes stack in their
//! (lane, tier) cell, ordered by id and then by the barycentre of their neighbours (a few
//! sweeps left→right and back), which removes most crossings while keeping positions
//! stable when an unrelated object changes. Edges are cubic curves from the right side
//! of one box to the left side of the next; edges within a column loop out to the right.

use crate::engine::sort::{CollectLean, SortLean};
use std::collections::BTreeMap;

use super::Model;

pub const BOX_W: i32 = 184;
pub const BOX_H: i32 = 54;
const GAP_Y: i32 = 12;
const COL_GAP: i32 = 72;
const LANE_HEAD: i32 = 26;
const LANE_PAD: i32 = 10;
const LEFT: i32 = 12;
const TOP: i32 = 30;
/// Room on the right for same-column loops.
const RIGHT: i32 = 48;

/// A positioned box: index into [`Model::nodes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub node: usize,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Placed {
    fn cy(&self) -> i32 {
        self.y + self.h / 2
    }

    /// Whether a point lies on this box's outline.
    pub fn on_border(&self, (x, y): (i32, i32)) -> bool {
        let inside_x = (self.x..=self.x + self.w).contains(&x);
        let inside_y = (self.y..=self.y + self.h).contains(&y);
        ((x == self.x || x == self.x + self.w) && inside_y)
            || ((y == self.y || y == self.y + self.h) && inside_x)
    }

    /// Whether two boxes overlap (touching edges do not count).
    pub fn overlaps(&self, o: &Placed) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// A routed edge: index into [`Model::edges`], a cubic curve (start, two controls, end)
/// and where its label goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routed {
    pub edge: usize,
    pub points: [(i32, i32); 4],
    pub label_at: (i32, i32),
}

/// A lane's band.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub y: i32,
    pub h: i32,
}

/// The positioned diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub boxes: Vec<Placed>,
    pub edges: Vec<Routed>,
    pub bands: Vec<Band>,
    /// Column headers: (x of the column, the tier's index in [`Model::tiers`]).
    pub columns: Vec<(i32, usize)>,
}

impl Layout {
    /// The placed box of a node index.
    pub fn placed(&self, node: usize) -> Option<&Placed> {
        self.boxes.iter().find(|p| p.node == node)
    }
}

/// Lays the model out.
pub fn layout(m: &Model) -> Layout {
    // Columns: only the tiers in use, in order.
    let mut used: Vec<usize> = m.nodes.iter().map(|n| n.tier).collect();
    used.sort_lean();
    used.dedup();
    let column_of: BTreeMap<usize, usize> =
        used.iter().enumerate().map(|(i, t)| (*t, i)).collect_map();
    let index: BTreeMap<&str, usize> = m
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect_map();

    // Cells, ordered by id to start with.
    let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, n) in m.nodes.iter().enumerate() {
        cells
            .entry((column_of[&n.tier], n.lane.min(m.lanes.len().max(1) - 1)))
            .or_default()
            .push(i);
    }
    for cell in cells.values_mut() {
        cell.sort_lean_by(|a, b| m.nodes[*a].id.cmp(&m.nodes[*b].id));
    }

    // Neighbours by column.
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); m.nodes.len()];
    for e in &m.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            if a != b {
                neighbours[a].push(b);
                neighbours[b].push(a);
            }
        }
    }
    let columns = used.len();
    let rank = |cells: &BTreeMap<(usize, usize), Vec<usize>>| -> Vec<i64> {
        let mut r = vec![0i64; m.nodes.len()];
        for ((_, lane), cell) in cells {
            for (pos, &i) in cell.iter().enumerate() {
                r[i] = *lane as i64 * 100_000 + pos as i64 * 100;
            }
        }
        r
    };
    // Sweeps: order each cell by the mean rank of neighbours in the previous columns
    // (left→right), then in the next ones (right→left). Boxes without such neighbours
    // keep their place.
    for sweep in 0..4 {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for col in order {
            let r = rank(&cells);
            for ((c, _), cell) in cells.iter_mut() {
                if *c != col {
                    continue;
                }
                let key = |i: usize| -> i64 {
                    let near: Vec<i64> = neighbours[i]
                        .iter()
                        .filter(|&&j| {
                            let cj = column_of[&m.nodes[j].tier];
                            if forward {
                                cj < col
                            } else {
                                cj > col
                            }
                        })
                        .map(|&j| r[j])
                        .collect();
                    if near.is_empty() {
                        r[i]
                    } else {
                        near.iter().sum::<i64>() / near.len() as i64
                    }
                };
                let mut keyed: Vec<(i64, usize)> = cell.iter().map(|&i| (key(i), i)).collect();
                keyed
                    .sort_lean_by(|a, b| a.0.cmp(&b.0).then(m.nodes[a.1].id.cmp(&m.nodes[b.1].id)));
                *cell = keyed.into_iter().map(|(_, i)| i).collect();
            }
        }
    }

    // Bands: each lane as tall as its fullest cell (one row at least).
    let mut bands = Vec::new();
    let mut y = TOP;
    for lane in 0..m.lanes.len() {
        let rows = cells
            .iter()
            .filter(|((_, l), _)| *l == lane)
            .map(|(_, cell)| cell.len())
            .max()
            .unwrap_or(0)
            .max(1) as i32;
        let h = LANE_HEAD + rows * (BOX_H + GAP_Y) - GAP_Y + LANE_PAD;
        bands.push(Band { y, h });
        y += h + 6;
    }
    let height = y + 4;
    let column_x = |c: usize| LEFT + c as i32 * (BOX_W + COL_GAP);
    let width = column_x(columns.max(1)) - COL_GAP + RIGHT;

    let mut boxes = Vec::new();
    for ((c, lane), cell) in &cells {
        let Some(band) = bands.get(*lane) else {
            continue;
        };
        for (row, &i) in cell.iter().enumerate() {
            boxes.push(Placed {
                node: i,
                x: column_x(*c),
                y: band.y + LANE_HEAD + row as i32 * (BOX_H + GAP_Y),
                w: BOX_W,
                h: BOX_H,
            });
        }
    }
    boxes.sort_lean_by_key(|p| p.node);
    let mut at: Vec<Option<usize>> = vec![None; m.nodes.len()];
    for (k, p) in boxes.iter().enumerate() {
        at[p.node] = Some(k);
    }

    let mut edges = Vec::new();
    for (k, e) in m.edges.iter().enumerate() {
        let placed = |id: &str| index.get(id).and_then(|&i| at[i]).map(|k| &boxes[k]);
        let (Some(s), Some(t)) = (placed(&e.from), placed(&e.to)) else {
            continue;
        };
        let points = if t.x > s.x {
            let (x0, y0, x1, y1) = (s.x + s.w, s.cy(), t.x, t.cy());
            let d = (x1 - x0) / 2;
            [(x0, y0), (x0 + d, y0), (x1 - d, y1), (x1, y1)]
        } else if t.x < s.x {
            let (x0, y0, x1, y1) = (s.x, s.cy(), t.x + t.w, t.cy());
            let d = (x0 - x1) / 2;
            [(x0, y0), (x0 - d, y0), (x1 + d, y1), (x1, y1)]
        } else {
            let (x0, y0, x1, y1) = (s.x + s.w, s.cy(), t.x + t.w, t.cy());
            let d = RIGHT - 8;
            [(x0, y0), (x0 + d, y0), (x1 + d, y1), (x1, y1)]
        };
        let [p0, p1, p2, p3] = points;
        let label_at = (
            (p0.0 + 3 * p1.0 + 3 * p2.0 + p3.0) / 8,
            (p0.1 + 3 * p1.1 + 3 * p2.1 + p3.1) / 8,
        );
        edges.push(Routed {
            edge: k,
            points,
            label_at,
        });
    }
    Layout {
        width,
        height,
        boxes,
        edges,
        bands,
        columns: used
            .iter()
            .enumerate()
            .map(|(c, t)| (column_x(c), *t))
            .collect(),
    }
}
