"""testsets stage: the test split of every training dataset and of every dataset in evaluate.datasets that is present.

The training datasets' test splits (every one data.dataset lists) come from data/annotations.csv
and data/raw; any other dataset evaluate.datasets lists is read from its folder
(data.folders.<name>) when that is set, and is otherwise named in the report as not present.
"""

import argparse
import time
from pathlib import Path

import pandas as pd

from pose.cli import report_skipped, user_errors_exit
from pose.data.datasets import get_dataset, local_folder
from pose.data.datasets.mixture import dataset_folder, dataset_rows
from pose.fileio import atomic_path, write_json
from pose.params import load_params
from pose.data.testsets import build_testset, write_testset


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--annotations", required=True, help="the training datasets' annotation table")
    parser.add_argument("--raw", required=True, help="the training datasets' images")
    parser.add_argument("--out", required=True, help="folder receiving one sub-folder of shards per dataset")
    parser.add_argument("--report", required=True, help="JSON: per dataset, present or why not, counts, skipped")
    args = parser.parse_args()

    params = load_params(args.params)
    geometry, settings, training = params.geometry, params.crops, params.data.names
    names = [*training] + [name for name in params.evaluate.datasets if name not in training]
    annotations = pd.read_csv(args.annotations)
    report = {}
    with atomic_path(args.out) as temporary:
        temporary.mkdir()
        for name in names:
            started = time.perf_counter()
            if name in training:
                table, root = dataset_rows(annotations, training, name), dataset_folder(Path(args.raw), training, name)
                source, skipped = "training dataset", []
            else:
                root, why_not = local_folder(params.data.folders, name)
                if root is None:
                    print(f"{name}: not scored, {why_not}")
                    report[name] = {"present": False, "reason": why_not}
                    continue
                source = f"data.folders.{name}"
                table, skipped = get_dataset(name).read_annotations(root)
            arrays, unreadable = build_testset(table, root, settings.margin, geometry.input_width,
                                               geometry.input_height, workers=settings.workers, desc=name)
            skipped = skipped + unreadable
            write_testset(arrays, temporary / name, settings.shard_size, root)
            report_skipped(skipped, f"{name} images or persons")
            print(f"{name}: {len(arrays['images'])} test persons from the {source} "
                  f"in {time.perf_counter() - started:.0f} s")
            report[name] = {
                "present": True, "source": source, "persons": len(arrays["images"]),
                "references": sorted(key for key in ("head_boxes", "box_size") if key in arrays),
                "skipped_count": len(skipped),
                "skipped": [{"image": image, "reason": reason} for image, reason in skipped],
            }
    write_json(args.report, report)


if __name__ == "__main__":
    main()
