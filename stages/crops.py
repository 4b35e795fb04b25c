"""crops stage: crop every person to the model's input size and write sharded training samples.

Besides the tight crops of every split (``train/``, ``val/``, ``test/``), the training persons get
a wide context crop each (``train-context/``: ``crops.context_size`` pixels square, spanning
``crops.context_margin`` person sizes), from which training cuts loose framings: small and
off-centre people as a whole photo shows them.
"""

import argparse
import time

import pandas as pd

from pose.cli import report_skipped, user_errors_exit
from pose.fileio import atomic_path, write_json
from pose.params import load_params
from pose.data.samples import CONTEXT_SPLIT, build_split, split_tables, write_split


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--annotations", required=True, help="annotation table from the download stage")
    parser.add_argument("--raw", required=True, help="extracted dataset folder")
    parser.add_argument("--out", required=True, help="folder receiving train/, val/, test/ shards")
    parser.add_argument("--report", required=True, help="JSON summary: counts per split, skipped images")
    args = parser.parse_args()

    params = load_params(args.params)
    geometry, settings = params.geometry, params.crops
    table = pd.read_csv(args.annotations)
    report = {"input_width": geometry.input_width, "input_height": geometry.input_height,
              "context_size": settings.context_size, "context_margin": settings.context_margin,
              "split_counts": {}, "skipped": []}
    started = time.perf_counter()
    with atomic_path(args.out) as temporary:
        for split, rows in split_tables(table).items():
            arrays, skipped = build_split(
                rows, args.raw, settings.margin, geometry.input_width, geometry.input_height,
                workers=settings.workers, desc=split,
            )
            write_split(arrays, temporary / split, settings.shard_size)
            report["split_counts"][split] = len(arrays["images"])
            if split == "train":
                context, _ = build_split(rows, args.raw, settings.context_margin, settings.context_size,
                                         settings.context_size, workers=settings.workers, desc="train context")
                write_split(context, temporary / CONTEXT_SPLIT, settings.shard_size)
                report["split_counts"][CONTEXT_SPLIT] = len(context["images"])
            report["skipped"] += [{"image": name, "reason": reason, "split": split} for name, reason in skipped]
            report_skipped(skipped, f"{split} images")
    report["skipped_count"] = len(report["skipped"])
    print(f"samples: {report['split_counts']} in {time.perf_counter() - started:.0f} s")
    write_json(args.report, report)


if __name__ == "__main__":
    main()
