"""Mirrored-label estimate: a person predicted as their mirror counts, one predicted as labeled does not."""

import numpy as np

from pose.joints import JOINT_INDEX, JOINT_NAMES, NUM_JOINTS, flip_permutation
from pose.reports.label_swaps import summarize, swap_gains


def test_swapped_labels_are_found_and_unlabeled_joints_do_not_count():
    rng = np.random.default_rng(0)
    keypoints = rng.uniform(0, 100, (3, NUM_JOINTS, 2))
    keypoints[..., 0] += np.asarray([200.0 if name.startswith("l_") else 0.0 for name in JOINT_NAMES])  # far apart
    labeled = np.ones((3, NUM_JOINTS), bool)
    predicted = keypoints.copy()
    predicted[0] = keypoints[0, flip_permutation()]  # person 0: the model saw the mirror of the labels
    labeled[2, JOINT_INDEX["l_wrist"]] = False  # person 2: mirrored too, one wrist unlabeled
    predicted[2] = keypoints[2, flip_permutation()]
    gains = swap_gains(predicted, keypoints, labeled, reference=np.full(3, 50.0))
    # Person 2: 11 of 12 count either way (the unlabeled wrist, and the other wrist's swapped label is it).
    assert gains.tolist() == [12, -12, 11]
    assert summarize(gains) == {"share_swap_better_by_4": 2 / 3, "share_swap_better_by_6": 2 / 3, "persons": 3}
