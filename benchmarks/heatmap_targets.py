"""Benchmark heatmap targets: blur vs analytic rendering, and rendering on the fly vs storing them.

Reports (stdout, and --out as JSON):
* milliseconds per sample (16 joints) for each renderer and their speed ratio;
* reading pre-rendered float16 targets back from an .npz shard, per sample, and the disk
  space stored targets would take for the LSPET train split.

Run: stages/python benchmarks/heatmap_targets.py [--size 32] [--sigma 1.5] [--out FILE]
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from pose.heatmaps import render_analytic, render_blur
from pose.joints import NUM_JOINTS


def best_ms_per_sample(function, count, repeats=5):
    """Best of ``repeats`` wall-clock runs, divided by ``count`` samples."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000 / count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=32, help="heatmap width and height, pixels")
    parser.add_argument("--sigma", type=float, default=1.5)
    parser.add_argument("--count", type=int, default=500, help="samples per timed batch")
    parser.add_argument("--train-samples", type=int, default=8500)
    parser.add_argument("--out")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    keypoints = rng.uniform(0, args.size - 1, (args.count, NUM_JOINTS, 2))
    labeled = rng.random((args.count, NUM_JOINTS)) > 0.1
    shape = (args.size, args.size, args.sigma)
    analytic_ms = best_ms_per_sample(lambda: render_analytic(keypoints, labeled, *shape), args.count)
    blur_ms = best_ms_per_sample(lambda: render_blur(keypoints, labeled, *shape), args.count)

    maps = render_analytic(keypoints, labeled, *shape).astype(np.float16)
    with tempfile.TemporaryDirectory() as folder:
        shard = Path(folder) / "targets.npz"
        np.savez(shard, targets=maps)

        def read():
            with np.load(shard) as data:
                return data["targets"].astype(np.float32)

        read_ms = best_ms_per_sample(read, args.count)
    result = {
        "heatmap_size": args.size,
        "sigma": args.sigma,
        "analytic_ms_per_sample": round(analytic_ms, 4),
        "blur_ms_per_sample": round(blur_ms, 4),
        "blur_over_analytic_time_ratio": round(blur_ms / analytic_ms, 1),
        "read_stored_float16_ms_per_sample": round(read_ms, 4),
        "stored_targets_train_split_mb": round(maps[0].nbytes * args.train_samples / 1e6, 1),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
