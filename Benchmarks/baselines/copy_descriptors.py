"""Compares copy-descriptor recipes on the feature maps cached by `coverlens-bench --copies`.

Usage: python3 Benchmarks/baselines/copy_descriptors.py CACHE [recipe ...]
  CACHE   the --copies-cache file (Float32 maps [1280, 7, 7] in job order, names in CACHE.names)
  recipes avg gem3 mac rmac grid3 gem3w grid3w (default: all but the whitened ones)

Same folds and edits as the Swift benchmark; prints false alarms per 1,000 distinct covers and, per
edit, recall@1 and the share flagged under several threshold rules fitted on each catalogue.
Needs numpy. Exploration only: the shipped detector is CopyDetector, measured by the benchmark.
"""
import numpy as np, sys, collections
path = sys.argv[1]
names = open(path + '.names').read().split('\n')[:-1]
C = 1280
raw = np.memmap(path, dtype=np.float32, mode='r')
n = min(len(names), raw.size // (C * 49))
names = names[:n]
maps = np.asarray(raw[:n * C * 49]).reshape(n, C, 7, 7)
cat = {int(x): i for i, x in enumerate(names) if '|' not in x}
edits = collections.defaultdict(dict)
for i, x in enumerate(names):
    if '|' in x:
        k, e = x.split('|'); edits[e][int(k)] = i
ncat = len(cat)
print(ncat, 'covers', {e: len(v) for e, v in edits.items()}, flush=True)

def l2(x): return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-12)
def gem(m, p=3.0): return np.power((np.clip(m, 1e-6, None) ** p).mean(axis=(-1, -2)), 1 / p)
def regions(S, L):
    out = []
    for l in range(1, L + 1):
        w = S if l == 1 else int(np.floor(2 * S / (l + 1)))
        starts = [0] if l == 1 else [int(round(i * (S - w) / (l - 1))) for i in range(l)]
        out += [(y, x, w) for y in starts for x in starts]
    return out
def rmac(m, L=3, p=None):
    descs = []
    for (y, x, w) in regions(m.shape[-1], L):
        r = m[..., y:y + w, x:x + w]
        descs.append(l2(r.max(axis=(-1, -2)) if p is None else gem(r, p)))
    return l2(np.stack(descs, 1).sum(1))
def grid(m, p=3.0, w=4):
    S = m.shape[-1]
    parts = [l2(gem(m, p))]
    for y in [0, S - w]:
        for x in [0, S - w]:
            parts.append(l2(gem(m[..., y:y + w, x:x + w], p)) / 2)
    return l2(np.concatenate(parts, 1))

import sys
def tail_threshold(v, alpha, q0=0.9):
    u = np.quantile(v, q0); ex = v[v > u] - u; beta = ex.mean()
    return u + beta * np.log((1 - q0) / alpha)
def grid3(m, p=3.0):
    parts = []
    for y in (0, 2, 4):
        for x in (0, 2, 4):
            parts.append(l2(gem(m[..., y:y+3, x:x+3], p)))
    return l2(np.concatenate(parts, 1))
def evaluate2(name, desc_fn, whiten=None, mirror=None):
    D = desc_fn(maps)
    idx = sorted(cat)
    rows = collections.defaultdict(list); fa = collections.defaultdict(int); nq = 0
    for fold in range(2):
        ci = [cat[k] for k in idx if k % 2 == fold]; qi = [cat[k] for k in idx if k % 2 != fold]
        X = D[ci]
        if whiten:
            mu = X.mean(0); U, Sv, Vt = np.linalg.svd(X - mu, full_matrices=False)
            P = Vt[:whiten].T / (Sv[:whiten] + 1e-3 * Sv[0]); f = lambda Z: l2((Z - mu) @ P)
        else: f = l2
        Xw = f(X); s = Xw @ Xw.T; np.fill_diagonal(s, -1); srt = np.sort(s, 1); n1, n2 = srt[:, -1], srt[:, -2]
        rules = {}
        for a in (1e-3, 1e-4):
            rules[f's1 tail {a:g}'] = lambda s1, s2, a=a, t=tail_threshold(n1, a): s1 >= t
        for a in (1e-2, 3e-3):
            rules[f's1&margin tail {a:g}'] = lambda s1, s2, a=a, t=tail_threshold(n1, a), tm=tail_threshold(n1 - n2, a): (s1 >= t) & (s1 - s2 >= tm)
        for a in (1e-3, 1e-4):
            rules[f's1+margin tail {a:g}'] = lambda s1, s2, a=a, t=tail_threshold(n1 + (n1 - n2), a): s1 + (s1 - s2) >= t
        Q = f(D[qi]); s = Q @ Xw.T; srt = np.sort(s, 1); q1, q2 = srt[:, -1], srt[:, -2]
        nq += len(qi)
        for r, fn in rules.items(): fa[r] += int(fn(q1, q2).sum())
        catkeys = [k for k in idx if k % 2 == fold]; pos = {k: j for j, k in enumerate(catkeys)}
        for e, m in edits.items():
            ks = [k for k in sorted(m) if k % 2 == fold]
            Q = f(D[[m[k] for k in ks]]); s = Q @ Xw.T
            o = np.argsort(-s, 1)[:, :2]; s1 = s[np.arange(len(ks)), o[:, 0]]; s2 = s[np.arange(len(ks)), o[:, 1]]
            hit = o[:, 0] == np.array([pos[k] for k in ks])
            rows[e].append((hit, {r: fn(s1, s2) & hit for r, fn in rules.items()}))
    print(f'== {name}: false alarms per 1000 over {nq}: ' + ', '.join(f'{r}: {1000*v/nq:.1f}' for r, v in fa.items()))
    for e in sorted(rows):
        hit = np.concatenate([x[0] for x in rows[e]])
        print(f'  {e:16s} R@1 {hit.mean():.3f} ' + ' '.join(f'{np.concatenate([x[1][r] for x in rows[e]]).mean():.3f}' for r in fa), flush=True)
which = sys.argv[2:] or ['avg', 'gem3', 'mac', 'rmac', 'grid3']
R = {'gem3': ('gem3', lambda m: l2(gem(m, 3))), 'grid3': ('grid3x3 gem3', grid3),
     'gem3w': ('gem3 pcaw256', lambda m: l2(gem(m, 3)), 256), 'grid3w': ('grid3x3 pcaw512', grid3, 512),
     'rmac': ('rmac L3', lambda m: rmac(m, 3)), 'mac': ('max', lambda m: l2(m.max(axis=(-1, -2)))), 'avg': ('avg', lambda m: l2(m.mean(axis=(-1,-2))))}
for w in which:
    r = R[w]; evaluate2(r[0], r[1], r[2] if len(r) > 2 else None)
