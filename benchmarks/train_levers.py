"""Throughput levers of a fine-tuning train step on this machine: XLA, batch size, partial fine-tuning, input size.

Images/s of each lever changed alone from a baseline (the whole encoder fine-tuned), on cached
batches (the model is the bottleneck: benchmarks/train_throughput.py). Op determinism is on as
``train.deterministic`` says:

    stages/python benchmarks/train_levers.py --samples data/samples [--steps N, default 40] [--out FILE]

The measurement is pose.reports.benchmarking.train_step_levers; docs/training.md holds the table.
"""

import argparse
import json
from pathlib import Path

import tensorflow as tf

from pose.data.samples import read_split
from pose.params import load_params
from pose.reports.benchmarking import train_step_levers
from pose.reports.peers import machine_meta


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--out")
    args = parser.parse_args()

    params = load_params(args.params)
    if params.train.deterministic:
        tf.config.experimental.enable_op_determinism()
    result = train_step_levers(params, read_split(args.samples, "train"), steps=args.steps)
    result["meta"] = {**machine_meta(), "deterministic": params.train.deterministic, "steps": args.steps}
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
