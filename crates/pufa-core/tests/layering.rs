//! The core's layering: the import graph of its top-level modules (`src/<m>.rs` and everything
//! under `src/<m>/`), read from the source's `crate::<m>` paths (tests left out), and its
//! cycles. Run with `--nocapture` to see the graph's cycles printed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Modules still in a cycle, to be untangled: a module may leave this list, none may join it.
/// Empty: the core has no cycle (keep it so).
const KNOWN_TANGLE: &[&str] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and without its inline test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules `code` names: `crate::m…` and each name of `crate::{m, n::…}`.
fn named_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level names of the group, at brace depth 0.
            let (mut depth, mut start) = (0usize, 0usize);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.push(ident_at(&group[start..j]).to_string());
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(ident_at(&group[start..j]).to_string());
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident_at(rest).to_string());
        }
    }
    out
}

fn graph() -> Graph {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let top_of = |p: &Path| -> String {
        let rel = p.strip_prefix(&root).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| top_of(p))
        .filter(|m| m != "lib" && m != "migrations")
        .collect();
    let mut g: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for p in &files {
        let name = p.file_name().unwrap().to_string_lossy();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let top = top_of(p);
        if !modules.contains(&top) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(p).unwrap());
        for m in named_modules(&code) {
            if m != top && modules.contains(&m) {
                g.get_mut(&top).unwrap().insert(m);
            }
        }
    }
    g
}

/// The strongly connected components of more than one module (Tarjan).
fn tangles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        g: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in &s.g[v] {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// A shortest cycle through `from` inside `within` (breadth-first), as module names.
fn cycle_through(g: &Graph, from: &str, within: &BTreeSet<&str>) -> Vec<String> {
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for w in &g[v] {
            let w = w.as_str();
            if !within.contains(w) {
                continue;
            }
            if w == from {
                let mut chain = Vec::new();
                let mut at = v;
                while at != from {
                    chain.push(at.to_string());
                    at = prev[at];
                }
                chain.reverse();
                let mut path = vec![from.to_string()];
                path.extend(chain);
                path.push(from.to_string());
                return path;
            }
            if !prev.contains_key(w) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

#[test]
fn the_core_modules_import_graph_has_no_new_cycles() {
    let g = graph();
    let tangles = tangles(&g);
    println!("top-level modules: {}", g.len());
    if tangles.is_empty() {
        println!("import cycles: none");
    }
    let mut tangled = BTreeSet::new();
    for comp in &tangles {
        println!(
            "import cycle among {} modules: {}",
            comp.len(),
            comp.join(", ")
        );
        let within: BTreeSet<&str> = comp.iter().map(String::as_str).collect();
        for m in comp {
            println!(
                "  {m} -> {}",
                g[m].iter()
                    .filter(|w| within.contains(w.as_str()))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for m in comp {
            println!("  e.g. {}", cycle_through(&g, m, &within).join(" -> "));
            tangled.insert(m.clone());
        }
    }
    let known: BTreeSet<String> = KNOWN_TANGLE.iter().map(|s| s.to_string()).collect();
    let new: Vec<_> = tangled.difference(&known).collect();
    assert!(new.is_empty(), "modules newly in an import cycle: {new:?}");
    let left: Vec<_> = known.difference(&tangled).collect();
    assert!(
        left.is_empty(),
        "modules no longer in a cycle: take them out of KNOWN_TANGLE: {left:?}"
    );
}

#[test]
fn the_check_reads_grouped_and_inline_paths() {
    let code = "use crate::{audit, db::{Db, x}, error::Result};\nlet x = crate::town::get(c);";
    assert_eq!(named_modules(code), ["audit", "db", "error", "town"]);
    let mut g = Graph::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    }
    assert_eq!(
        tangles(&g),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
}
