"""Mirrored labels: how often a person's left/right labels fit a model's predictions better swapped.

Crowd-sourced annotators sometimes label left and right from their own point of view rather
than the person's (Johnson and Everingham, CVPR 2011, collected LSPET that way and say so). A
person whose labels agree with the model only after swapping every left joint with its right
one is either mislabeled or mispredicted; on the training split, where the model has fitted the
labels, the share is an upper bound of the mirrored labels training sees.
"""

import numpy as np

from pose.joints import flip_permutation
from pose.metrics import JOINT_GROUPS


def swap_gains(predicted, keypoints, labeled, reference, alpha=0.2, group="limbs12"):
    """Per person: joints of ``group`` within ``alpha * reference`` with left/right swapped, minus as labeled.

    Args:
        predicted, keypoints: (N, K, 2) pixels. labeled: (N, K) bool. reference: (N,) pixels (torso).
    Returns:
        (N,) int: positive where the swapped labels fit the predictions better.
    """
    joints = list(JOINT_GROUPS[group])
    swap = np.asarray(flip_permutation())

    def correct(truth, counted):
        distance = np.linalg.norm(predicted - truth, axis=-1) / np.maximum(reference, 1e-9)[:, None]
        return ((distance <= alpha) & counted)[:, joints].sum(axis=1)

    return correct(keypoints[:, swap], labeled[:, swap]) - correct(keypoints, labeled)


def summarize(gains, thresholds=(4, 6)):
    """Share of persons whose swapped labels fit better by at least each threshold (joints)."""
    return {f"share_swap_better_by_{t}": float(np.mean(gains >= t)) for t in thresholds} | {"persons": int(len(gains))}
