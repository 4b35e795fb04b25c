"""Benchmark heatmap targets: blur vs analytic rendering, and rendering on the fly vs storing them.

Reports (stdout, and --out as JSON):
* milliseconds per sample (16 joints) for each renderer and their speed ratio;
* reading pre-rendered float16 targets back from an .npz shard, per sample, and the disk
  space stored targets would take for the LSPET train split.

The measurement is pose.reports.benchmarking.heatmap_targets; benchmarks/bench.py runs it with the
other pipeline costs into reports/bench.json.

Run: stages/python benchmarks/heatmap_targets.py [--size 32] [--sigma 1.5] [--out FILE]
"""

import argparse
import json
from pathlib import Path

from pose.reports.benchmarking import heatmap_targets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=32, help="heatmap width and height, pixels")
    parser.add_argument("--sigma", type=float, default=1.5)
    parser.add_argument("--count", type=int, default=500, help="samples per timed batch")
    parser.add_argument("--train-samples", type=int, default=8500)
    parser.add_argument("--out")
    args = parser.parse_args()

    result = heatmap_targets(args.size, args.sigma, args.count, args.train_samples)
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
