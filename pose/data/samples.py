"""Training-ready samples: person crops at the model's input size, with keypoints in crop pixels.

Each split is a folder of ``shard-00000.npz`` files (plain arrays, no pickles):

* ``images``: (n, input_height, input_width, 3) uint8 RGB crops
* ``keypoints``: (n, K, 2) float32 x, y in crop pixels (sub-pixel, may lie outside the crop)
* ``labeled``, ``visible``: (n, K) bool
* ``crop_to_image``: (n, 2, 3) float64 affine from crop pixels back to original image pixels
* ``person_size``: (n,) float32 person size in original image pixels
* ``photo_size``: (n, 2) int32 width, height of the original image in pixels
* ``image``: (n,) str image path relative to the dataset folder

The training split also has a context folder (:data:`CONTEXT_SPLIT`): the same persons, in the
same order, cropped wider (the ``crops.context_margin`` times the person size, at
``crops.context_size`` pixels), from which training cuts loose framings.

Heatmap targets are rendered from the keypoints when samples are read for training (see
:mod:`pose.codec.heatmaps`), after augmentation has moved the keypoints. Measured here
(``benchmarks/heatmap_targets.py``): rendering 16 maps of 32x32 takes about 0.07 ms per sample,
reading stored float16 maps back about 0.06 ms, both under 1 % of a training step; storing
them would cost 280 MB for the LSPET train split, blur the targets when augmentation warps
them, and make every ``heatmaps.sigma`` change re-run this stage.
"""

import concurrent.futures
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

from pose.data.crop import apply_affine, crop_affine, crop_image, invert_affine
from pose.data.datasets.records import SPLITS, table_arrays
from pose.errors import PoseError

CONTEXT_SPLIT = "train-context"
ARRAY_KEYS = ("images", "keypoints", "labeled", "visible", "crop_to_image", "person_size", "photo_size", "image")


def read_rgb(path):
    """Decode an image file to (H, W, 3) uint8 RGB, or ``None`` if it cannot be decoded."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if image is None else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def crop_person(image, joints, center, person_size, margin, input_width, input_height):
    """Crop one person; returns (crop (H, W, 3) uint8, keypoints (K, 2) crop px, crop->image (2, 3))."""
    affine = crop_affine(center, person_size, margin, input_width, input_height)
    crop = crop_image(image, affine, input_width, input_height)
    return crop, apply_affine(joints, affine).astype(np.float32), invert_affine(affine)


def build_split(table, root, margin, input_width, input_height, workers=2, progress=True, desc=""):
    """Crop every person of ``table`` (one split) from images under ``root``.

    Returns:
        (arrays, skipped): a dict of :data:`ARRAY_KEYS` arrays for the persons whose image
        decoded, and ``(image, reason)`` for the others.
    """
    arrays = table_arrays(table)
    rows = list(range(len(table)))
    images = table["image"].tolist()
    centers = table[["center_x", "center_y"]].to_numpy()
    sizes = table["person_size"].to_numpy()

    def crop_row(i):
        image = read_rgb(Path(root) / images[i])
        if image is None:
            return None
        return crop_person(image, arrays["joints"][i], centers[i], sizes[i], margin, input_width, input_height)

    crops, keypoints, affines, kept, skipped = [], [], [], [], []
    # cv2 releases the GIL while decoding and warping, so threads use both cores.
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(crop_row, rows)
        for i, result in tqdm(zip(rows, results), total=len(rows), desc=desc, disable=not progress, mininterval=2):
            if result is None:
                skipped.append((images[i], "image could not be decoded"))
                continue
            crops.append(result[0])
            keypoints.append(result[1])
            affines.append(result[2])
            kept.append(i)
    kept = np.asarray(kept, dtype=int)
    arrays = {
        "images": np.stack(crops) if crops else np.zeros((0, input_height, input_width, 3), np.uint8),
        "keypoints": np.stack(keypoints) if keypoints else np.zeros((0,) + arrays["joints"].shape[1:], np.float32),
        "labeled": arrays["labeled"][kept],
        "visible": arrays["visible"][kept],
        "crop_to_image": np.stack(affines) if affines else np.zeros((0, 2, 3)),
        "person_size": sizes[kept].astype(np.float32),
        "photo_size": table[["width", "height"]].to_numpy()[kept].astype(np.int32).reshape(-1, 2),
        "image": np.asarray([images[i] for i in kept], dtype=str),
    }
    return arrays, skipped


def write_split(arrays, folder, shard_size):
    """Write a split's arrays as ``shard-NNNNN.npz`` files of at most ``shard_size`` samples."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    count = len(arrays["images"])
    for shard, start in enumerate(range(0, max(count, 1), shard_size)):
        np.savez(folder / f"shard-{shard:05d}.npz", **{key: value[start:start + shard_size] for key, value in arrays.items()})


def read_split(samples_dir, split):
    """All shards of one split, concatenated: a dict of :data:`ARRAY_KEYS` arrays."""
    shards = sorted((Path(samples_dir) / split).glob("shard-*.npz"))
    if not shards:
        raise PoseError(f"{Path(samples_dir) / split} holds no shard-*.npz; run `dvc repro crops` first.")
    parts = []
    for shard in shards:
        with np.load(shard) as data:  # allow_pickle stays False: shards hold plain arrays only
            parts.append({key: data[key] for key in ARRAY_KEYS})
    return {key: np.concatenate([part[key] for part in parts]) for key in ARRAY_KEYS}


def split_tables(table):
    """``{split: rows of table}`` in :data:`SPLITS` order."""
    return {split: table[table["split"] == split].reset_index(drop=True) for split in SPLITS}
