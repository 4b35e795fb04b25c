"""Leeds Sports Pose Extended (LSPET): 10,000 Flickr photos, 14 joints each.

``joints.mat`` holds ``joints`` shaped (14, 3, N): x, y and a flag per joint, in the order
r_ankle, r_knee, r_hip, l_hip, l_knee, l_ankle, r_wrist, r_elbow, r_shoulder, l_shoulder,
l_elbow, l_wrist, neck, head_top. The flag is 1 where the joint was annotated; occluded joints
were left unannotated (their x, y are junk), so here labeled == visible == flag.

Mapping to MPII-16: neck -> upper_neck; pelvis and thorax, which LSPET lacks, are derived as
the midpoints of the two hips and of the two shoulders, labeled only where both are labeled
(MPII's pelvis and thorax lie close to those midpoints).
"""

from pathlib import Path

import numpy as np
import scipy.io

from pose.data.datasets.images import image_size
from pose.data.datasets.records import make_table, person_box, split_by_position
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, NUM_JOINTS

UPSTREAM_URL = "http://sam.johnson.io/research/lspet_dataset.zip"
MIRROR_PATH = "lspet/lspet_dataset.zip"
ARCHIVE_NAME = "lspet_dataset.zip"

LSPET_ORDER = (
    "r_ankle", "r_knee", "r_hip", "l_hip", "l_knee", "l_ankle",
    "r_wrist", "r_elbow", "r_shoulder", "l_shoulder", "l_elbow", "l_wrist",
    "upper_neck", "head_top",
)
DERIVED_MIDPOINTS = {"pelvis": ("r_hip", "l_hip"), "thorax": ("r_shoulder", "l_shoulder")}


def read_joints(path):
    """LSPET joints as MPII-16: ``joints`` (N, 16, 2) pixels and ``labeled`` (N, 16) bool."""
    path = Path(path)
    if not path.is_file():
        raise PoseError(f"{path} is missing; re-run the download stage to extract the LSPET archive.")
    try:
        mat = scipy.io.loadmat(path)
    except (ValueError, OSError, TypeError) as error:
        raise PoseError(f"{path} is not a readable MATLAB file ({error}); download LSPET again.") from None
    raw = mat.get("joints")
    if raw is None or raw.ndim != 3 or raw.shape[:2] != (14, 3):
        shape = None if raw is None else raw.shape
        raise PoseError(
            f"{path}: array 'joints' has shape {shape}, expected (14, 3, N) as in LSPET; "
            "is this the LSPET joints.mat (the original LSP's is (3, 14, N))?"
        )
    raw = np.transpose(raw, (2, 0, 1)).astype(np.float64)  # (N, 14, 3)
    count = raw.shape[0]
    joints = np.zeros((count, NUM_JOINTS, 2))
    labeled = np.zeros((count, NUM_JOINTS), dtype=bool)
    for source, name in enumerate(LSPET_ORDER):
        target = JOINT_INDEX[name]
        joints[:, target] = raw[:, source, :2]
        labeled[:, target] = (raw[:, source, 2] == 1) & np.isfinite(raw[:, source, :2]).all(axis=1)
    for name, (first, second) in DERIVED_MIDPOINTS.items():
        a, b = JOINT_INDEX[first], JOINT_INDEX[second]
        joints[:, JOINT_INDEX[name]] = (joints[:, a] + joints[:, b]) / 2
        labeled[:, JOINT_INDEX[name]] = labeled[:, a] & labeled[:, b]
    return joints, labeled


def image_name(index):
    """File name of the image at 0-based position ``index`` in joints.mat."""
    return f"images/im{index + 1:05d}.jpg"


def read_annotations(root):
    """Read an extracted LSPET folder into the common table.

    Returns:
        (table, skipped): the annotation table of every usable image, and a list of
        ``(image, reason)`` for images left out (missing, unreadable, or no labeled joint).
    """
    root = Path(root)
    joints, labeled = read_joints(root / "joints.mat")
    splits = split_by_position(len(joints))
    centers, sizes = person_box(joints, labeled)
    keep, image_sizes, skipped = [], [], []
    for index in range(len(joints)):
        name = image_name(index)
        size = image_size(root / name)
        if isinstance(size, str):
            skipped.append((name, size))
        elif not labeled[index].any():
            skipped.append((name, "no labeled joint"))
        else:
            keep.append(index)
            image_sizes.append(size)
    keep = np.asarray(keep, dtype=int)
    table = make_table(
        images=[image_name(i) for i in keep],
        sizes=np.asarray(image_sizes).reshape(-1, 2),
        splits=[splits[i] for i in keep],
        joints=joints[keep],
        labeled=labeled[keep],
        visible=labeled[keep],
        centers=centers[keep],
        person_sizes=sizes[keep],
    )
    return table, skipped

