"""The common annotation table every dataset reader produces.

One row per person. Columns: ``image`` (path relative to the dataset folder), ``width`` and
``height`` (pixels), ``split`` (train/val/test), ``center_x``, ``center_y`` and
``person_size`` (pixels; the crop is ``person_size * crop_margin`` wide), then per joint of
:data:`pose.joints.JOINT_NAMES`: ``<name>_x``, ``<name>_y`` (pixels, (0, 0) is the centre of the
top-left pixel), ``<name>_labeled`` (annotated: enters losses and metrics) and
``<name>_visible`` (not occluded).
"""

import numpy as np
import pandas as pd

from pose.errors import PoseError
from pose.joints import JOINT_NAMES, NUM_JOINTS

SPLITS = ("train", "val", "test")
BASE_COLUMNS = ("image", "width", "height", "split", "center_x", "center_y", "person_size")


def joint_columns():
    return [f"{name}_{field}" for name in JOINT_NAMES for field in ("x", "y", "labeled", "visible")]


def make_table(images, sizes, splits, joints, labeled, visible, centers, person_sizes):
    """Build the annotation table.

    Args:
        images: N image paths relative to the dataset folder.
        sizes: (N, 2) image width, height in pixels.
        splits: N split names from :data:`SPLITS`.
        joints: (N, K, 2) x, y in pixels; ignored where not labeled.
        labeled, visible: (N, K) bool.
        centers: (N, 2) person centre x, y in pixels.
        person_sizes: (N,) person size in pixels.
    """
    joints = np.where(np.asarray(labeled)[..., None], joints, 0.0)
    columns = {
        "image": list(images),
        "width": np.asarray(sizes)[:, 0].astype(int),
        "height": np.asarray(sizes)[:, 1].astype(int),
        "split": list(splits),
        "center_x": np.asarray(centers, dtype=float)[:, 0],
        "center_y": np.asarray(centers, dtype=float)[:, 1],
        "person_size": np.asarray(person_sizes, dtype=float),
    }
    for k, name in enumerate(JOINT_NAMES):
        columns[f"{name}_x"] = joints[:, k, 0]
        columns[f"{name}_y"] = joints[:, k, 1]
        columns[f"{name}_labeled"] = np.asarray(labeled)[:, k].astype(bool)
        columns[f"{name}_visible"] = np.asarray(visible)[:, k].astype(bool)
    return pd.DataFrame(columns)


def table_arrays(table):
    """Joint arrays of a table: ``joints`` (N, K, 2) float32, ``labeled``/``visible`` (N, K) bool."""
    missing = [c for c in (*BASE_COLUMNS, *joint_columns()) if c not in table.columns]
    if missing:
        raise PoseError(f"the annotation table lacks column {missing[0]}; re-run the download stage.")
    joints = np.stack(
        [table[[f"{n}_x" for n in JOINT_NAMES]].to_numpy(), table[[f"{n}_y" for n in JOINT_NAMES]].to_numpy()],
        axis=-1,
    ).astype(np.float32)
    labeled = table[[f"{n}_labeled" for n in JOINT_NAMES]].to_numpy(dtype=bool)
    visible = table[[f"{n}_visible" for n in JOINT_NAMES]].to_numpy(dtype=bool)
    assert joints.shape[1] == NUM_JOINTS
    return {"joints": joints, "labeled": labeled, "visible": visible}


def split_by_position(count, fractions=(0.85, 0.05, 0.10)):
    """Split names for ``count`` items in file order: first 85 % train, next 5 % val, rest test.

    For LSPET's 10,000 images this is im00001-im08500 train, im08501-im09000 val and
    im09001-im10000 test.
    """
    train_end = round(count * fractions[0])
    val_end = round(count * (fractions[0] + fractions[1]))
    return ["train" if i < train_end else "val" if i < val_end else "test" for i in range(count)]


def person_box(joints, labeled):
    """Centre (N, 2) and size (N,) in pixels of the box around each person's labeled joints.

    The size is the longer side of that box; persons with no labeled joint get size 0.
    """
    masked_min = np.where(labeled[..., None], joints, np.inf).min(axis=1)
    masked_max = np.where(labeled[..., None], joints, -np.inf).max(axis=1)
    has_any = labeled.any(axis=1)
    masked_min = np.where(has_any[:, None], masked_min, 0.0)
    masked_max = np.where(has_any[:, None], masked_max, 0.0)
    return (masked_min + masked_max) / 2, (masked_max - masked_min).max(axis=1)
