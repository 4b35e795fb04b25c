"""download stage: fetch each dataset's archives (or mirror copies), or take a folder the user has; write the annotation table.

With several datasets (``data.dataset`` a list) each goes to ``<raw>/<name>/`` and the table
stacks theirs (:mod:`pose.data.datasets.mixture`).
"""

import argparse
import time
from pathlib import Path

from pose.data.archive import checker_for, extract_archives
from pose.cli import report_skipped, user_errors_exit
from pose.data.datasets import get_dataset, local_folder
from pose.data.datasets.images import link_or_copy_files
from pose.data.datasets.mixture import dataset_folder, is_mixture, stack_tables
from pose.data.datasets.records import SPLITS
from pose.data.download import check_free_space, fetch, resolve_source
from pose.errors import PoseError
from pose.fileio import atomic_path, write_json
from pose.params import load_params


def download_and_extract(dataset, params, downloads, raw):
    """Fetch every archive of ``dataset`` (resumable, verified), then extract them all into ``raw``."""
    downloads = Path(downloads)
    remaining = sum(
        0 if (downloads / a.name).exists() else a.approx_bytes - _size(downloads / f"{a.name}.part")
        for a in dataset.archives
    )
    extracted = sum(a.approx_bytes for a in dataset.archives)
    check_free_space(downloads, remaining + extracted, f"downloading and extracting {dataset.name}")
    paths = []
    for archive in dataset.archives:
        source = resolve_source(archive.upstream_url, archive.mirror_path)
        print(f"fetching {archive.name} from {source}")
        paths.append(fetch(
            source, downloads / archive.name, sha256=params.download.sha256.get(archive.name),
            check=checker_for(archive.name), retries=params.download.retries, timeout_s=params.download.timeout_s,
        ))
    print(f"extracting {', '.join(p.name for p in paths)} into {raw}")
    extract_archives(paths, raw)
    return dataset.read_annotations(raw)


def take_local_folder(dataset, folder, raw):
    """Read a dataset from the user's ``folder``; link (or copy) the images its table names into ``raw``."""
    print(f"reading {dataset.name} from {folder} (data.folders.{dataset.name}), no download")
    table, skipped = dataset.read_annotations(folder)
    names = sorted(set(table["image"]))
    with atomic_path(raw) as temporary:
        temporary.mkdir()
        how = link_or_copy_files(names, folder, temporary)
    print(f"{len(names)} images into {raw} as {how}")
    return table, skipped


def obtain(dataset, params, downloads, raw):
    """One dataset into the folder ``raw``: the user's folder, else its archives; ``(table, skipped)``."""
    folder, why_not = local_folder(params.data.folders, dataset.name)
    if folder is not None:
        table, skipped = take_local_folder(dataset, folder, raw)
    elif dataset.archives:
        table, skipped = download_and_extract(dataset, params, downloads, raw)
    else:
        raise PoseError(f"data.dataset lists {dataset.name} but {why_not}. {dataset.how_to_get}.")
    counts = split_counts(table)
    empty = [split for split, count in counts.items() if not count]
    if empty:
        raise PoseError(
            f"{dataset.name} gives no persons for the {' and '.join(empty)} split ({len(table)} persons: "
            f"{counts}); training needs all three: see docs/data.md for how each dataset is split."
        )
    return table, skipped


def split_counts(table):
    """Persons per split, every split named (0 where none)."""
    counts = table["split"].value_counts().to_dict()
    return {split: int(counts.get(split, 0)) for split in SPLITS}


def _size(path):
    return path.stat().st_size if path.exists() else 0


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--downloads", required=True, help="folder keeping downloaded archives (resume cache)")
    parser.add_argument("--raw", required=True, help="folder receiving the dataset's images")
    parser.add_argument("--annotations", required=True, help="annotation table to write (CSV)")
    parser.add_argument("--report", required=True, help="JSON summary: counts per split, skipped images")
    args = parser.parse_args()

    params = load_params(args.params)
    names = params.data.names
    datasets = [get_dataset(name) for name in names]
    started = time.perf_counter()
    tables, skipped, report = {}, [], {}

    def take(dataset, raw):
        table, dataset_skipped = obtain(dataset, params, args.downloads, raw)
        tables[dataset.name] = table
        skipped.extend((f"{dataset.name}/{image}" if is_mixture(names) else image, why) for image, why in dataset_skipped)
        report[dataset.name] = {"persons": len(table), "split_counts": split_counts(table),
                                "skipped_count": len(dataset_skipped)}

    if is_mixture(names):
        with atomic_path(args.raw) as raw:  # one folder per dataset below it, replaced whole
            raw.mkdir()
            for dataset in datasets:
                take(dataset, dataset_folder(raw, names, dataset.name))
    else:
        take(datasets[0], args.raw)
    table = stack_tables(tables) if is_mixture(names) else tables[names[0]]
    with atomic_path(args.annotations) as temporary:
        table.to_csv(temporary, index=False, float_format="%.3f")
    report_skipped(skipped, "images or persons")
    counts = split_counts(table)
    print(f"{len(table)} persons annotated ({counts}) in {time.perf_counter() - started:.0f} s")
    summary = {
        "dataset": list(names) if is_mixture(names) else names[0],  # a one-item list reads as its name
        "persons": len(table),
        "split_counts": counts,
        "skipped_count": len(skipped),
        "skipped": [{"image": name, "reason": reason} for name, reason in skipped],
    }
    if is_mixture(names):
        summary["datasets"] = report
    write_json(args.report, summary)

if __name__ == "__main__":
    main()
