#!/usr/bin/env python3
"""Reads what benchmarks/gpu/check.sh left in a folder and prints summary.md: per model the backbone forward
(probebench bench), extraction end to end and backbone-only (probebench extract), the PyTorch reference forward, and
the two ratios issue 15 asks for. Standard library only (the GPU machine has Python, nothing else is assumed)."""
import json, os, sys

out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None

bench = {r["Model"]: r for r in (load("bench.json") or [])}
reference = (load("reference.json") or {}).get("models", {})
print("| model | bench img/s | extract end-to-end img/s | extract backbone-only img/s | reference img/s | end-to-end / backbone-only (>= 0.95) | end-to-end / reference (>= 1.05) | pipeline |")
print("|---|---|---|---|---|---|---|---|")
for size in ["s", "b", "l", "g"]:
    name = f"dinov2_vit{size}14"
    extract = load(f"extract-{size}.json")
    if not extract and name not in bench:
        continue
    stats = (extract or [{}])[0].get("Stats") or {}
    e2e, backbone = stats.get("EndToEndImagesPerSecond"), stats.get("BackboneImagesPerSecond")
    ref = (reference.get(f"vit{size}14") or {}).get("images_per_s")
    fwd = (bench.get(name) or {}).get("MedianImagesPerSecond")
    f = lambda v: "-" if v is None else f"{v:,.0f}"
    r = lambda a, b: "-" if a is None or not b else f"{a / b:.2f}x"
    print(f"| {name} | {f(fwd)} | {f(e2e)} | {f(backbone)} | {f(ref)} | {r(e2e, backbone)} | {r(e2e, ref)} | {stats.get('Pipeline', '-')} |")
