"""download stage: fetch the dataset archive (or its mirror copy), extract it, write the annotation table."""

import argparse
import time

from pose.archive import check_zip, extract_zip
from pose.cli import report_skipped, user_errors_exit
from pose.datasets import get_dataset
from pose.download import fetch, resolve_source
from pose.fileio import atomic_path, write_json
from pose.params import load_params


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--downloads", required=True, help="folder keeping downloaded archives (resume cache)")
    parser.add_argument("--raw", required=True, help="folder receiving the extracted dataset")
    parser.add_argument("--annotations", required=True, help="annotation table to write (CSV)")
    parser.add_argument("--report", required=True, help="JSON summary: counts per split, skipped images")
    args = parser.parse_args()

    params = load_params(args.params)
    dataset = get_dataset(params.data.dataset)
    archive = dataset.archive
    started = time.perf_counter()
    source = resolve_source(archive.upstream_url, archive.mirror_path)
    print(f"fetching {archive.name} from {source}")
    path = fetch(
        source, f"{args.downloads}/{archive.name}", sha256=params.download.sha256.get(archive.name),
        check=check_zip, retries=params.download.retries, timeout_s=params.download.timeout_s,
    )
    print(f"extracting {path} into {args.raw}")
    extract_zip(path, args.raw)
    table, skipped = dataset.read_annotations(args.raw)
    with atomic_path(args.annotations) as temporary:
        table.to_csv(temporary, index=False, float_format="%.3f")
    counts = table["split"].value_counts().to_dict()
    report_skipped(skipped, "images")
    print(f"{len(table)} persons annotated ({counts}) in {time.perf_counter() - started:.0f} s")
    write_json(args.report, {
        "dataset": dataset.name,
        "persons": len(table),
        "split_counts": {split: int(counts.get(split, 0)) for split in ("train", "val", "test")},
        "skipped_count": len(skipped),
        "skipped": [{"image": name, "reason": reason} for name, reason in skipped],
    })


if __name__ == "__main__":
    main()
