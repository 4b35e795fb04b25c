"""Throughput levers of a fine-tuning train step on this machine: XLA, batch size, partial fine-tuning, input size,
output stride, decoder and encoder widths, threads.

Images/s of each lever changed alone from a baseline (the whole encoder fine-tuned), and of the
``top_half_*`` levers changed alone from the default recipe's step (the top half fine-tuned), on
cached batches (the model is the bottleneck: benchmarks/train_throughput.py). Op determinism is
on as ``train.deterministic`` says:

    stages/python benchmarks/train_levers.py --samples data/samples [--steps N, default 40] [--out FILE]

Thread settings can only be chosen before TensorFlow runs its first op, so ``--threads`` times
one lever (``--levers``, default the default recipe's top-half fine-tuning) in a fresh process per
(intra-op, inter-op) thread count, TensorFlow's own choice (0, 0) first, the settings taking turns
for ``--rounds`` rounds:

    stages/python benchmarks/train_levers.py --threads --levers fine_tune_top_half --out reports/train_threads.json

The measurement is pose.reports.benchmarking.train_step_levers; docs/training.md holds the tables.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from pose.reports.benchmarking import TRAIN_LEVERS
from pose.reports.peers import machine_meta

THREAD_SETTINGS = ((0, 0), (2, 1), (1, 1), (1, 2), (2, 2))  # (intra-op, inter-op); 0: TensorFlow's choice


def time_levers(args):
    """Images/s per lever in this process, with the thread counts ``args`` names: the report dict."""
    import tensorflow as tf

    from pose.data.samples import read_split
    from pose.params import load_params
    from pose.reports.benchmarking import train_step_levers

    tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads)
    params = load_params(args.params)
    if params.train.deterministic:
        tf.config.experimental.enable_op_determinism()
    levers = {name: TRAIN_LEVERS[name] for name in args.levers} if args.levers else None
    result = train_step_levers(params, read_split(args.samples, "train"), levers=levers, steps=args.steps)
    result["meta"] = {**machine_meta(), "deterministic": params.train.deterministic, "steps": args.steps,
                      "intra_op_threads": args.intra_op_threads, "inter_op_threads": args.inter_op_threads}
    return result


def sweep_threads(args):
    """A fresh process per THREAD_SETTINGS entry, the settings taking turns for ``args.rounds`` rounds.

    Taking turns spreads the machine's swings over every setting. Returns {"rounds":
    {"intra<i>_inter<j>": {lever: [images/s per round]}}, "median": {... : {lever: median}}, "meta"}.
    """
    levers = args.levers or ["fine_tune_top_half"]
    rounds = {f"intra{intra}_inter{inter}": {name: [] for name in levers} for intra, inter in THREAD_SETTINGS}
    for round_index in range(args.rounds):
        for intra, inter in THREAD_SETTINGS:
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "levers.json"
                finished = subprocess.run(
                    [sys.executable, __file__, "--params", args.params, "--samples", args.samples,
                     "--steps", str(args.steps), "--intra-op-threads", str(intra), "--inter-op-threads", str(inter),
                     "--levers", *levers, "--out", str(out)], capture_output=True, text=True)
                if finished.returncode != 0:
                    tail = "\n".join(finished.stderr.strip().splitlines()[-5:])
                    raise SystemExit(f"the timing process with intra-op {intra}, inter-op {inter} threads failed "
                                     f"(exit {finished.returncode}); its last lines:\n{tail}")
                report = json.loads(out.read_text())
            for name in levers:
                rounds[f"intra{intra}_inter{inter}"][name].append(report[name])
            print(f"round {round_index + 1}: intra-op {intra}, inter-op {inter} threads (0: TensorFlow's choice): "
                  + ", ".join(f"{name} {report[name]} images/s" for name in levers), flush=True)
    median = {setting: {name: float(statistics.median(values)) for name, values in per_lever.items()}
              for setting, per_lever in rounds.items()}
    return {"rounds": rounds, "median": median,
            "meta": {**machine_meta(), "steps": args.steps, "levers": levers, "rounds": args.rounds}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--levers", nargs="+", help="names in pose.reports.benchmarking.TRAIN_LEVERS; default all")
    parser.add_argument("--threads", action="store_true", help="time the levers per thread setting, a process each")
    parser.add_argument("--rounds", type=int, default=3, help="--threads: turns through the thread settings")
    parser.add_argument("--intra-op-threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--inter-op-threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--out")
    args = parser.parse_args()
    unknown = [name for name in args.levers or [] if name not in TRAIN_LEVERS]
    if unknown:
        parser.error(f"--levers: unknown {', '.join(unknown)}; choose from {', '.join(TRAIN_LEVERS)}.")

    result = sweep_threads(args) if args.threads else time_levers(args)
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
