#!/usr/bin/env python3
"""Usage: tools/import_cycles.py [REPO]   (default: the repository this file is in)

Module import graph of src/ (production code: comments, doc lines and #[cfg(test)] tails
removed). Nodes are modules (files); an edge a -> b when a names crate::b::… or super::… (b is
the deepest module that exists on that path; `mod` declarations are not edges). Prints the
strongly connected components with more than one node, at file and at top-level granularity."""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
src = os.path.join(root, 'src')
mods = {}
for d, _, fs in os.walk(src):
    for f in fs:
        if not f.endswith('.rs') or f == 'main.rs': continue
        rel = os.path.relpath(os.path.join(d, f), src)[:-3]
        parts = rel.split(os.sep)
        if parts == ['lib']: path = ()
        else: path = tuple(parts)
        mods[path] = os.path.join(d, f)
def strip(text):
    i = text.find('#[cfg(test)]\nmod tests')
    if i >= 0: text = text[:i]
    out, j, n = [], 0, len(text)
    while j < n:
        c = text[j]
        if text.startswith('//', j):
            k = text.find('\n', j); j = n if k < 0 else k
        elif text.startswith('/*', j):
            k = text.find('*/', j); j = n if k < 0 else k + 2
        elif re.match(r'b?r#*"', text[j:j+6]) and (j == 0 or not (text[j-1].isalnum() or text[j-1] == '_')):
            m = re.match(r'b?r(#*)"', text[j:]); hashes = m.group(1)
            k = text.find('"' + hashes, j + len(m.group(0))); j = n if k < 0 else k + 1 + len(hashes)
            out.append('""')
        elif c == '"':
            k = j + 1
            while k < n and text[k] != '"':
                k += 2 if text[k] == '\\' else 1
            j = k + 1; out.append('""')
        elif c == "'" and re.match(r"'(\\.[^']*|[^'\\])'", text[j:]):
            m = re.match(r"'(\\.[^']*|[^'\\])'", text[j:]); j += len(m.group(0)); out.append("' '")
        else:
            out.append(c); j += 1
    return ''.join(out)
def deepest(path):
    for n in range(len(path), -1, -1):
        if path[:n] in mods: return path[:n]
    return ()
edges = {m: set() for m in mods}
for m, f in mods.items():
    t = strip(open(f).read())
    # expand `use crate::{a, b::c}` groups one level
    for g in re.finditer(r'crate::\{([^}]*)\}', t):
        for item in g.group(1).split(','):
            item = item.strip().split(' as ')[0]
            if item: t += '\ncrate::' + item + ';'
    for mm in re.finditer(r'(?:\$crate|crate)((?:::[A-Za-z_][A-Za-z0-9_]*)+)', t):
        path = tuple(mm.group(1).split('::')[1:])
        target = deepest(path)
        if target != m and target != (): edges[m].add(target)
    for mm in re.finditer(r'\bsuper((?:::[A-Za-z_][A-Za-z0-9_]*)+)', t):
        parent = m[:-1]
        path = parent + tuple(mm.group(1).split('::')[1:])
        target = deepest(path)
        if target != m and target != () and target != parent: edges[m].add(target)
        elif target == parent and parent != (): edges[m].add(parent)
def sccs(nodes, edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = len(index); stack.append(v); on.add(v)
        for w in edges.get(v, ()):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            out.append(comp)
    for v in nodes:
        if v not in index: visit(v)
    return [c for c in out if len(c) > 1]
name = lambda p: '::'.join(p)
file_level = sccs(list(mods), edges)
print('file-level cycles:', [sorted(map(name, c)) for c in file_level] or 'none')
# file level without child->parent edges (a child using its parent's re-exports)
top = {}
for m, ws in edges.items():
    for w in ws:
        if m[:1] != w[:1]: top.setdefault(m[:1], set()).add(w[:1])
print('top-level cycles:', [sorted(map(name, c)) for c in sccs(list({m[:1] for m in mods}), top)] or 'none')
for a in sorted(top):
    print(' ', name(a), '->', ', '.join(sorted(map(name, top[a]))))
sys.exit(1 if file_level or sccs(list({m[:1] for m in mods}), top) else 0)
