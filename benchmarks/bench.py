"""Pipeline costs in one run -> reports/bench.json.

Heatmap targets (blur vs analytic), TFLite latency per variant (1 and 2 threads), heatmap
decoding per decoder, photo decoding and cropping, input-pipeline and training throughput
(encoder frozen and fine-tuning). Each comparison is measured in this one process and its
ratio written beside the absolute times (pose/benchmarking.py). Takes about 2 minutes on 2 cores.

    stages/python benchmarks/bench.py [--steps 20] [--out reports/bench.json]
"""

import argparse

from pose.reports.benchmarking import run_all
from pose.cli import user_errors_exit
from pose.fileio import write_json
from pose.params import load_params


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--raw", default="data/raw", help="folder the samples' image paths are relative to")
    parser.add_argument("--tflite", default="models/tflite", help="folder with <variant>.tflite and .json")
    parser.add_argument("--steps", type=int, default=20, help="timed train steps per training measurement")
    parser.add_argument("--latency-runs", type=int, default=200, help="timed inferences per TFLite variant and thread count")
    parser.add_argument("--train-limit", type=int, help="use only the first N training samples (quick check)")
    parser.add_argument("--out", default="reports/bench.json")
    args = parser.parse_args()

    report = run_all(load_params(args.params), args.samples, args.tflite, args.raw, steps=args.steps,
                     latency_runs=args.latency_runs, train_limit=args.train_limit)
    write_json(args.out, report)
    print(f"wrote {args.out} ({report['meta']['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
