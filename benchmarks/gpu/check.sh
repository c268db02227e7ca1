#!/usr/bin/env bash
# The GPU check of the extraction pipeline, as ONE device command (the GPU machine has no .NET and no network).
#
# Here, first:  ../shared/gpu/pack.sh            (writes .gpu/probebench.tar.xz and .gpu/reference_bench.py)
# There (device tool, carry [".gpu"], timeout_s 560):  bash benchmarks/gpu/check.sh
#
# In one command, for ViT-S/B/L/g (random weights, fp16, 224 px): `probebench env` (is the staging stream real?),
# `probebench bench` (backbone forward, every block), `probebench extract` of 50,000 synthetic CIFAR-format images with
# the run's default layer choices (cls@last, cls+avgpool@last4, every-block), and the PyTorch reference forward
# (reference_bench.py). summarize.py writes summary.md with the two targets of issue 15: end-to-end >= 0.95x
# backbone-only, and end-to-end >= 1.05x the reference forward. Everything lands in $OUT.
#
# Locally (a dry run of the commands on the CPU): PB="dotnet src/ProbeBench.Cli/bin/Release/net10.0/probebench.dll" \
#   DEVICE=cpu SIZES=s TRAIN_PER_FILE=20 TEST=20 BATCH=8 SKIP_REFERENCE=1 OUT=/tmp/gpu-dry bash benchmarks/gpu/check.sh
set -uo pipefail
out=${OUT:?set OUT to the folder results go to}
device=${DEVICE:-cuda}
sizes=${SIZES:-s,b,l,g}
batch=${BATCH:-256}
train_per_file=${TRAIN_PER_FILE:-10000}   # CIFAR-10 layout: 5 files, so 50,000 train images
test_images=${TEST:-1000}
layers=${LAYERS:-cls@last,cls+avgpool@last4,every-block}
work=${WORK:-/tmp/pb-check}
mkdir -p "$out" "$work"
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${PB:-}" ]; then
  mkdir -p "$work/pb" && tar xJf .gpu/probebench.tar.xz -C "$work/pb" || { echo "no .gpu/probebench.tar.xz: run ../shared/gpu/pack.sh first" >&2; exit 2; }
  export PROBEBENCH_LIBTORCH=${PROBEBENCH_LIBTORCH:-/opt/torch/.venv/lib/python3.12/site-packages/torch/lib}
  PB="$work/pb/probebench"
fi
export PROBEBENCH_CACHE="$work/cache"
pb() { $PB "$@"; }
step() { echo "== $* ==" | tee -a "$out/steps.log"; }
started=$(date +%s)

step "env"
pb env --device "$device" 2>&1 | tee "$out/env.txt"

step "bench: backbone forward, every block"
pb bench --models "$sizes" --precision fp16 --batch-sizes "$batch" --blocks every-block --device "$device" \
  --warmup 3 --repeats 10 --batch1-repeats 20 --json "$out/bench.json" 2>&1 | tail -20 | tee "$out/bench.txt"

step "synthesize cifar10 ($((train_per_file * 5)) train images)"
pb synthesize cifar10 --data-root "$work/data" --train-per-file "$train_per_file" --test "$test_images" --seed 0 2>&1 | tail -1

IFS=',' read -ra list <<<"$sizes"
for size in "${list[@]}"; do
  b=$batch; [ "$size" = g ] && b=$((batch / 2))
  step "extract dinov2_vit${size}14 (batch $b, $layers)"
  rm -rf "$work/cache-$size"
  pb extract --model "dinov2_vit${size}14" --weights random --dataset cifar10 --data-root "$work/data" \
    --cache-root "$work/cache-$size" --splits train --layers "$layers" --recipe resize-224 --batch-size "$b" \
    --device "$device" --precision fp16 --json "$out/extract-$size.json" 2>&1 | tail -14 | tee "$out/extract-$size.txt"
  rm -rf "$work/cache-$size"
done

if [ -z "${SKIP_REFERENCE:-}" ]; then
  step "reference: PyTorch forward (reference_bench.py)"
  python3 .gpu/reference_bench.py --sizes "$sizes" --batch "$batch" --out "$out/reference.json" 2>&1 | tail -6
fi

step "summary"
python3 "$here/summarize.py" "$out" | tee "$out/summary.md"
echo "total $(( $(date +%s) - started )) s" | tee -a "$out/steps.log"
