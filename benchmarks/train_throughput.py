"""Benchmark the training input pipeline against the model: is the model the bottleneck?

Reports images/s of (a) the augmented tf.data pipeline alone, (b) train steps on cached
batches (model only), for the frozen and the fully trainable encoder, and (c) train steps fed
by the pipeline. Run once per determinism setting (op determinism is process-wide):

    stages/python benchmarks/train_throughput.py --samples data/samples [--deterministic] [--out FILE]

The measurement is pose.reports.benchmarking.train_throughput; benchmarks/bench.py runs it with the
other pipeline costs into reports/bench.json.
"""

import argparse
import json
from pathlib import Path

import tensorflow as tf

from pose.reports.benchmarking import train_throughput
from pose.params import load_params
from pose.data.samples import read_split


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()

    params = load_params(args.params)
    if args.deterministic:
        tf.config.experimental.enable_op_determinism()
    result = {"deterministic": args.deterministic}
    result.update(train_throughput(params, read_split(args.samples, "train"), args.steps))
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
