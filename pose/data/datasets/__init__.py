"""Datasets the pipeline can download or read, by the name used in ``params.yaml``.

Each dataset comes either from archives (downloaded, or read from ``POSE_MIRROR``) or from a
folder the user already has (``data.folders.<name>`` in params; Human3.6M only that way).
"""

import dataclasses
import os
from pathlib import Path
from typing import Callable

from pose.data.datasets import coco, h36m, lspet, mpii
from pose.errors import PoseError


@dataclasses.dataclass(frozen=True)
class RemoteArchive:
    name: str  # file name in the downloads folder, and key of download.sha256 in params
    upstream_url: str
    mirror_path: str  # path below POSE_MIRROR
    approx_bytes: int  # for the free-disk check before downloading


@dataclasses.dataclass(frozen=True)
class Dataset:
    name: str
    archives: tuple  # RemoteArchive, ...; empty when the data cannot be downloaded
    read_annotations: Callable  # extracted folder -> (table, skipped)
    # PCKh without head boxes: the head size from the person box (MPII JSON) rather than neck-to-head-top.
    head_size_from_box: bool = False
    how_to_get: str = ""  # for datasets without archives: where the data comes from


DATASETS = {
    "lspet": Dataset(
        name="lspet",
        archives=(RemoteArchive(lspet.ARCHIVE_NAME, lspet.UPSTREAM_URL, lspet.MIRROR_PATH, 170_000_000),),
        read_annotations=lspet.read_annotations,
    ),
    "mpii": Dataset(
        name="mpii",
        archives=(
            RemoteArchive(mpii.IMAGES_ARCHIVE, mpii.IMAGES_URL, f"mpii/{mpii.IMAGES_ARCHIVE}", mpii.IMAGES_BYTES),
            RemoteArchive(mpii.ANNOTATIONS_ARCHIVE, mpii.ANNOTATIONS_URL, f"mpii/{mpii.ANNOTATIONS_ARCHIVE}",
                          mpii.ANNOTATIONS_BYTES),
        ),
        read_annotations=mpii.read_annotations,
        head_size_from_box=True,
    ),
    "coco": Dataset(
        name="coco",
        archives=tuple(
            RemoteArchive(name, url, f"coco/{name}", size) for name, url, size in (
                (coco.ANNOTATIONS_ARCHIVE, coco.ANNOTATIONS_URL, coco.ANNOTATIONS_BYTES),
                (coco.VAL_IMAGES_ARCHIVE, coco.VAL_IMAGES_URL, coco.VAL_IMAGES_BYTES),
                (coco.TRAIN_IMAGES_ARCHIVE, coco.TRAIN_IMAGES_URL, coco.TRAIN_IMAGES_BYTES),
            )),
        read_annotations=coco.read_annotations,
    ),
    "h36m": Dataset(
        name="h36m",
        archives=(),
        read_annotations=h36m.read_annotations,
        how_to_get=h36m.HOW_TO_GET,
    ),
}


def get_dataset(name):
    if name not in DATASETS:
        raise PoseError(f"data.dataset = {name!r} is not a known dataset; choose one of {', '.join(DATASETS)}.")
    return DATASETS[name]


def local_folder(folders, name):
    """The folder ``data.folders[name]`` names, environment variables expanded.

    Returns:
        (path or ``None``, why it is not usable or ``""``). A value that is empty, names an unset
        environment variable, or points nowhere gives ``None`` and the reason.
    """
    value = str(folders.get(name) or "")
    key = f"data.folders.{name}"
    if not value:
        return None, f"{key} is empty"
    expanded = os.path.expanduser(os.path.expandvars(value))
    if "$" in expanded:
        return None, f"{key} = {value!r} names an environment variable that is not set"
    if not Path(expanded).is_dir():
        return None, f"{key} = {value!r} is not a folder ({expanded})"
    return Path(expanded), ""
