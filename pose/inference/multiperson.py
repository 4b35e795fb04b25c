"""Several people from a single-person model: per-joint peaks, then greedy grouping along the skeleton.

The model was trained on one centred person per crop, yet it is fully convolutional and its
heatmaps respond to every body in view (as the original work observes). Run on a whole photo,
each joint map has one peak per visible person. This module finds those peaks (local maxima
with non-maximum suppression) and assembles skeletons greedily: every thorax peak starts a
person, and each bone, walked outwards from the thorax, takes the strongest unclaimed peak of
the child joint within reach of the parent joint.

Limits: there are no part-affinity fields or embeddings, so people who overlap or stand closer
than ``max_bone`` swap limbs; a person whose thorax peak is missing is not found; people much
smaller or larger than the training crops are missed.
"""

import numpy as np
from scipy.ndimage import maximum_filter

from pose.joints import JOINT_INDEX, NUM_JOINTS, SKELETON_EDGES

ROOT = JOINT_INDEX["thorax"]


def find_peaks(heatmap, threshold, radius):
    """Local maxima of one map (H, W) above ``threshold``, at least ``radius`` pixels apart.

    Returns:
        (M, 3) array of x, y (pixels), score, strongest first.
    """
    heatmap = np.asarray(heatmap, dtype=np.float32)
    is_peak = (heatmap == maximum_filter(heatmap, size=2 * radius + 1, mode="constant")) & (heatmap > threshold)
    rows, columns = np.nonzero(is_peak)
    peaks = np.stack([columns, rows, heatmap[rows, columns]], axis=-1).astype(np.float32)
    return peaks[np.argsort(-peaks[:, 2], kind="stable")] if len(peaks) else peaks.reshape(0, 3)


def _tree_order(root=ROOT):
    """Skeleton edges as (parent, child), breadth first from ``root``."""
    order, seen, frontier = [], {root}, [root]
    while frontier:
        parent = frontier.pop(0)
        for a, b in SKELETON_EDGES:
            for p, c in ((a, b), (b, a)):
                if p == parent and c not in seen:
                    seen.add(c)
                    order.append((p, c))
                    frontier.append(c)
    return order


def group_people(peaks, max_bone):
    """Assemble people from per-joint peaks.

    Args:
        peaks: K arrays (M_k, 3) of x, y, score from :func:`find_peaks`.
        max_bone: farthest a child joint may be from its parent, pixels.
    Returns:
        (P, K, 3) x, y, score per person; NaN where a joint was not found. Strongest root first.
    """
    people = np.full((len(peaks[ROOT]), NUM_JOINTS, 3), np.nan, dtype=np.float32)
    people[:, ROOT] = peaks[ROOT]
    claimed = [np.zeros(len(p), bool) for p in peaks]
    claimed[ROOT][:] = True
    for parent, child in _tree_order():
        candidates = peaks[child]
        for person in people:
            if np.isnan(person[parent, 0]) or not len(candidates):
                continue
            distance = np.linalg.norm(candidates[:, :2] - person[parent, :2], axis=1)
            reachable = np.flatnonzero((distance <= max_bone) & ~claimed[child])
            if len(reachable):
                best = reachable[np.argmax(candidates[reachable, 2])]  # strongest, they are sorted
                claimed[child][best] = True
                person[child] = candidates[best]
    return people


def detect_people(heatmaps, threshold=0.3, radius=2, max_bone=8.0):
    """People in one image's heatmaps (h, w, K): (P, K, 3) x, y (heatmap pixels), score."""
    peaks = [find_peaks(heatmaps[:, :, k], threshold, radius) for k in range(heatmaps.shape[-1])]
    return group_people(peaks, max_bone)
