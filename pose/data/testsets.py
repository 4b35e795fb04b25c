"""Test sets of every dataset a model is scored on: person crops plus the dataset's reference boxes.

``data/testsets/<dataset>/shard-*.npz`` hold the arrays of :mod:`pose.data.samples` for the test
split, plus ``head_boxes`` (N, 4) and/or ``box_size`` (N,) photo pixels where the dataset has
them (:mod:`pose.data.datasets.references`), and ``photos/<image>``: the whole photos the
persons are in, which whole-photo evaluation gives the model exactly as a user would. The
training dataset's test set comes from the pipeline's own annotation table; the others from
folders the user has (``data.folders``).
"""

from pathlib import Path

import numpy as np

from pose.data.datasets.images import link_or_copy_files
from pose.data.datasets.references import reference_arrays
from pose.data.samples import build_split, read_split, split_tables, write_split

REFERENCE_KEYS = ("head_boxes", "box_size")


def build_testset(table, root, margin, input_width, input_height, workers=2, desc="test"):
    """Crop the test split of ``table`` (images under ``root``); ``(arrays incl. references, skipped)``."""
    test = split_tables(table)["test"]
    arrays, skipped = build_split(test, root, margin, input_width, input_height, workers=workers, desc=desc)
    # build_split drops the rows whose image failed to decode, all rows of that image alike.
    failed = {name for name, _ in skipped}
    kept = test[~test["image"].isin(failed)].reset_index(drop=True)
    return {**arrays, **reference_arrays(kept)}, skipped


PHOTOS = "photos"


def write_testset(arrays, folder, shard_size, root):
    """Shards of ``arrays``, and the whole photos they come from (hard links or copies from ``root``) under ``photos/``."""
    write_split(arrays, folder, shard_size)
    link_or_copy_files(sorted(set(arrays["image"].tolist())), root, Path(folder) / PHOTOS)


def photo_path(folder, image):
    """Where a test set keeps the whole photo named ``image`` (as in its ``image`` array)."""
    return Path(folder) / PHOTOS / image


def read_testset(folder):
    """One dataset's test set: the :mod:`pose.data.samples` arrays plus whichever reference arrays it has."""
    folder = Path(folder)
    arrays = read_split(folder.parent, folder.name)
    parts = {key: [] for key in REFERENCE_KEYS}
    for shard in sorted(folder.glob("shard-*.npz")):
        with np.load(shard) as data:  # allow_pickle stays False
            for key in REFERENCE_KEYS:
                if key in data.files:
                    parts[key].append(data[key])
    arrays.update({key: np.concatenate(values) for key, values in parts.items() if values})
    return arrays


def present_testsets(folder):
    """Names of the datasets with a test set under ``folder``, sorted."""
    return sorted(path.name for path in Path(folder).iterdir() if path.is_dir() and any(path.glob("shard-*.npz")))
