"""Datasets the pipeline can download and read, by the name used in ``params.yaml``."""

import dataclasses
from typing import Callable

from pose.datasets import lspet
from pose.errors import PoseError


@dataclasses.dataclass(frozen=True)
class RemoteArchive:
    name: str  # file name in the downloads folder, and key of download.sha256 in params
    upstream_url: str
    mirror_path: str  # path below POSE_MIRROR


@dataclasses.dataclass(frozen=True)
class Dataset:
    name: str
    archive: RemoteArchive
    read_annotations: Callable  # extracted folder -> (table, skipped)


DATASETS = {
    "lspet": Dataset(
        name="lspet",
        archive=RemoteArchive(lspet.ARCHIVE_NAME, lspet.UPSTREAM_URL, lspet.MIRROR_PATH),
        read_annotations=lspet.read_annotations,
    ),
}


def get_dataset(name):
    if name not in DATASETS:
        raise PoseError(f"data.dataset = {name!r} is not a known dataset; choose one of {', '.join(DATASETS)}.")
    return DATASETS[name]
