"""Keypoint metrics as pure numpy functions. ``N`` persons, ``K`` joints, coordinates (x, y) pixels."""

import numpy as np

from pose.joints import JOINT_INDEX, JOINT_NAMES


def torso_size(joints, labeled):
    """LSP torso reference (N,): distance from left shoulder to right hip; NaN where either is unlabeled.

    Args:
        joints: (N, K, 2) ground truth. labeled: (N, K) bool.
    """
    shoulder, hip = JOINT_INDEX["l_shoulder"], JOINT_INDEX["r_hip"]
    size = np.linalg.norm(joints[:, shoulder] - joints[:, hip], axis=-1)
    return np.where(labeled[:, shoulder] & labeled[:, hip], size, np.nan)


def correct_keypoints(predicted, truth, labeled, reference, alpha):
    """(N, K) bool: prediction within ``alpha * reference`` of the truth; and the (N, K) mask it counts over.

    A joint counts when it is labeled and its person has a finite, positive reference length.
    """
    distance = np.linalg.norm(np.asarray(predicted) - np.asarray(truth), axis=-1)
    reference = np.asarray(reference, dtype=np.float64)
    valid = np.asarray(labeled, bool) & (np.isfinite(reference) & (np.nan_to_num(reference) > 0))[:, None]
    with np.errstate(invalid="ignore"):
        correct = distance <= alpha * reference[:, None]
    return correct & valid, valid


def pck(predicted, truth, labeled, reference, alpha):
    """Percentage of correct keypoints, 0..1, over all counted joints of all persons (NaN if none)."""
    correct, valid = correct_keypoints(predicted, truth, labeled, reference, alpha)
    return float(correct.sum() / valid.sum()) if valid.any() else float("nan")


# Joint groups over which means are reported; every metric key names its group.
JOINT_GROUPS = {
    "all": tuple(range(len(JOINT_NAMES))),
    # shoulders, elbows, wrists, hips, knees, ankles: the 12 limb joints every dataset labels
    "limbs12": tuple(JOINT_INDEX[n] for n in (
        "r_shoulder", "l_shoulder", "r_elbow", "l_elbow", "r_wrist", "l_wrist",
        "r_hip", "l_hip", "r_knee", "l_knee", "r_ankle", "l_ankle")),
    # the usual MPII mean leaves out pelvis and thorax
    "mpii": tuple(i for i in range(len(JOINT_NAMES)) if i not in (JOINT_INDEX["pelvis"], JOINT_INDEX["thorax"])),
}


def head_size(head_boxes=None, joints=None, labeled=None):
    """PCKh reference (N,) in pixels.

    With head boxes (N, 4) x1, y1, x2, y2 (MPII): 0.6 x the box diagonal, MPII's definition.
    Without (LSPET has none): the documented fallback, the distance from upper neck to head
    top, NaN where either is unlabeled.
    """
    if head_boxes is not None:
        boxes = np.asarray(head_boxes, dtype=np.float64)
        return 0.6 * np.linalg.norm(boxes[:, 2:4] - boxes[:, 0:2], axis=-1)
    neck, top = JOINT_INDEX["upper_neck"], JOINT_INDEX["head_top"]
    size = np.linalg.norm(joints[:, top] - joints[:, neck], axis=-1)
    return np.where(labeled[:, neck] & labeled[:, top], size, np.nan)


def group_means(values, valid):
    """Means over each joint group and per joint.

    Args:
        values: (N, K) per-joint scores (bool correct, or pixel errors).
        valid: (N, K) bool, which entries count.
    Returns:
        {group name: mean, joint name: mean}, NaN where nothing counts.
    """
    values = np.asarray(values, dtype=np.float64)
    valid = np.asarray(valid, bool)

    def mean(mask):
        return float(values[mask].mean()) if mask.any() else float("nan")

    result = {}
    for group, joints in JOINT_GROUPS.items():
        columns = np.zeros(values.shape[1], bool)
        columns[list(joints)] = True
        result[group] = mean(valid & columns[None, :])
    for k, name in enumerate(JOINT_NAMES):
        columns = np.zeros(values.shape[1], bool)
        columns[k] = True
        result[name] = mean(valid & columns[None, :])
    return result


def pixel_errors(predicted, truth, labeled):
    """(N, K) Euclidean distance in pixels and the (N, K) mask of labeled joints it counts over.

    The mask is a new array, the caller's to narrow in place: ``np.asarray`` would hand back the
    caller's own ``labeled``, and a missed person's joints would turn unlabeled for every later score.
    """
    distance = np.linalg.norm(np.asarray(predicted, np.float64) - np.asarray(truth, np.float64), axis=-1)
    return distance, np.array(labeled, bool)


def pck_curve(predicted, truth, labeled, reference, alphas):
    """PCK over all counted joints at each threshold in ``alphas``: (len(alphas),) floats."""
    return np.array([pck(predicted, truth, labeled, reference, alpha) for alpha in alphas])
