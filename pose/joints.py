"""The canonical joint layout, MPII-16, defined once for the whole project.

Every dataset reader maps its own layout into this order; the exported model's metadata and
the Android app read the same names, edges and flip pairs from here (through the metadata JSON).
"""

JOINT_NAMES = (
    "r_ankle", "r_knee", "r_hip", "l_hip", "l_knee", "l_ankle",
    "pelvis", "thorax", "upper_neck", "head_top",
    "r_wrist", "r_elbow", "r_shoulder", "l_shoulder", "l_elbow", "l_wrist",
)
NUM_JOINTS = len(JOINT_NAMES)
JOINT_INDEX = {name: index for index, name in enumerate(JOINT_NAMES)}

# Left/right pairs swapped by a horizontal flip (augmentation and flip test).
FLIP_PAIRS = ((0, 5), (1, 4), (2, 3), (10, 15), (11, 14), (12, 13))

# Bones drawn between joints, as index pairs.
SKELETON_EDGES = (
    (0, 1), (1, 2), (2, 6), (6, 3), (3, 4), (4, 5),
    (6, 7), (7, 8), (8, 9),
    (7, 12), (12, 11), (11, 10),
    (7, 13), (13, 14), (14, 15),
)


def flip_permutation():
    """Index permutation that swaps left and right joints: ``flipped[:, k] = joints[:, perm[k]]``."""
    permutation = list(range(NUM_JOINTS))
    for left, right in FLIP_PAIRS:
        permutation[left], permutation[right] = right, left
    return tuple(permutation)
