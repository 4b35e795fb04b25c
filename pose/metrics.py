"""Keypoint metrics as pure numpy functions. ``N`` persons, ``K`` joints, coordinates (x, y) pixels."""

import numpy as np

from pose.joints import JOINT_INDEX


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
