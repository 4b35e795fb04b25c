"""Human3.6M (Ionescu et al., TPAMI 2014), read from a user's folder in the common preprocessed layout.

Human3.6M cannot be downloaded without a licence (http://vision.imar.ro/human3.6m), so the
pipeline reads a folder the user prepared, as most 3D-pose codebases lay it out:

    <folder>/images/S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg ...
    <folder>/*.npz   with imgname (N,) paths below images/, center (N, 2) px, scale (N,)
                     (person box side = 200 x scale px), part (N, 17, 3) x, y, visibility,
                     and optionally S (N, 17, 4) 3D joints, unused here.

Joint order of ``part``: 0 root, 1 r_hip, 2 r_knee, 3 r_foot, 4 l_hip, 5 l_knee, 6 l_foot,
7 spine, 8 thorax, 9 neck_base, 10 head, 11 l_shoulder, 12 l_elbow, 13 l_wrist, 14 r_shoulder,
15 r_elbow, 16 r_wrist. Into MPII-16 (:data:`H36M_TO_MPII`): the feet are the ankles, root is
the pelvis, ``head`` stands in for head_top; MPII's upper_neck has no counterpart and stays
unlabeled (spine and neck_base are unused). Coordinates are used as given (0-based pixels).

Splits: an npz whose file name says ``train`` is training data (95 % train / 5 % val in file
order), one that says ``test``/``valid``/``val`` is test data; otherwise the standard protocol
splits by subject: S9 and S11 test, the others training (95 % train / 5 % val in file order). Metrics follow the published 2D tables:
mean pixel error and PCK@0.2 of the box size (``pck-box@0.2``) on the limb joints.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from pose.data.datasets.images import image_size
from pose.data.datasets.records import make_table, person_box, split_by_position
from pose.data.datasets.references import SCALE_PIXELS, add_references
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, NUM_JOINTS

NUM_H36M_JOINTS = 17
H36M_TO_MPII = {
    "r_ankle": 3, "r_knee": 2, "r_hip": 1, "l_hip": 4, "l_knee": 5, "l_ankle": 6,
    "pelvis": 0, "thorax": 8, "head_top": 10,
    "r_wrist": 16, "r_elbow": 15, "r_shoulder": 14, "l_shoulder": 11, "l_elbow": 12, "l_wrist": 13,
}
TEST_SUBJECTS = ("S9", "S11")
REQUIRED_KEYS = ("imgname", "center", "scale", "part")
HOW_TO_GET = (
    "Human3.6M needs a licence: request it at http://vision.imar.ro/human3.6m, extract frames into "
    "<folder>/images/S*/... with an npz of imgname, center, scale and part (N, 17, 3) beside them "
    "(the common preprocessed layout, see the README), and set data.folders.h36m to that folder"
)


def to_mpii(part):
    """(N, 17, 3) H3.6M joints -> ((N, 16, 2) pixels, (N, 16) labeled) in MPII-16 order."""
    part = np.asarray(part, dtype=np.float64)
    joints = np.zeros((len(part), NUM_JOINTS, 2))
    labeled = np.zeros((len(part), NUM_JOINTS), bool)
    for name, source in H36M_TO_MPII.items():
        joints[:, JOINT_INDEX[name]] = part[:, source, :2]
        labeled[:, JOINT_INDEX[name]] = (part[:, source, 2] > 0) & np.isfinite(part[:, source, :2]).all(axis=1)
    return joints, labeled


def subject_of(image_name):
    """``"S9"`` from ``"S9/S9_Walking.54138969/....jpg"`` (the first path part), or ``""``."""
    first = Path(image_name).parts[0] if Path(image_name).parts else ""
    return first if first.startswith("S") and first[1:].isdigit() else ""


def _splits(path, images):
    words = path.stem.lower().replace("-", "_").split("_")
    if "train" in words:
        return split_by_position(len(images), (0.95, 0.05, 0.0))
    if any(word in words for word in ("test", "valid", "val")):
        return ["test"] * len(images)
    # Standard protocol: S9 and S11 test; the training subjects give 95 % train / 5 % val in file order.
    testing = [subject_of(name) in TEST_SUBJECTS for name in images]
    training = iter(split_by_position(len(images) - sum(testing), (0.95, 0.05, 0.0)))
    return ["test" if is_test else next(training) for is_test in testing]


def read_npz(path):
    """The arrays of one annotation file, checked: ``{imgname, center, scale, part}``."""
    try:
        with np.load(path) as data:  # allow_pickle stays False: the layout holds plain arrays only
            missing = [key for key in REQUIRED_KEYS if key not in data.files]
            if missing:
                raise PoseError(f"{path} has no array {missing[0]!r}; the layout needs {', '.join(REQUIRED_KEYS)}.")
            arrays = {key: data[key] for key in REQUIRED_KEYS}
    except (OSError, ValueError) as error:
        raise PoseError(f"{path} is not a readable npz file without pickles ({error}); re-create it.") from None
    count = len(arrays["imgname"])
    if arrays["part"].shape != (count, NUM_H36M_JOINTS, 3):
        raise PoseError(f"{path}: part has shape {arrays['part'].shape}, expected ({count}, 17, 3).")
    if arrays["center"].shape != (count, 2) or arrays["scale"].shape != (count,):
        raise PoseError(f"{path}: center must be ({count}, 2) and scale ({count},); they are "
                        f"{arrays['center'].shape} and {arrays['scale'].shape}.")
    return arrays


def _image_path(name):
    """``imgname`` as a path below the folder: below ``images/`` as the layout has it (some
    preprocessings already store ``images/...`` in ``imgname``)."""
    return name if name.startswith("images/") else f"images/{name}"


def read_annotations(root):
    """Read a preprocessed Human3.6M folder into the common table; ``(table, skipped)``."""
    root = Path(root)
    files = sorted(root.glob("*.npz"))
    if not files:
        raise PoseError(f"{root} holds no *.npz annotation file. {HOW_TO_GET}.")
    tables, skipped = [], []
    for path in files:
        arrays = read_npz(path)
        images = [_image_path(name) for name in arrays["imgname"].astype(str)]
        joints, labeled = to_mpii(arrays["part"])
        splits = _splits(path, arrays["imgname"].astype(str))
        keep, sizes = [], []
        for index, name in enumerate(images):
            size = image_size(root / name)
            if isinstance(size, str):
                skipped.append((name, size))
            elif not labeled[index].any() or arrays["scale"][index] <= 0:
                skipped.append((name, "no labeled joint or no scale"))
            else:
                keep.append(index)
                sizes.append(size)
        box_sizes = SCALE_PIXELS * arrays["scale"][keep].astype(np.float64)
        # Cropped around the labeled joints like every dataset; the npz box is the metric reference.
        centers, person_sizes = person_box(joints[keep], labeled[keep])
        table = make_table(
            images=[images[i] for i in keep], sizes=np.asarray(sizes).reshape(-1, 2),
            splits=[splits[i] for i in keep], joints=joints[keep], labeled=labeled[keep],
            visible=labeled[keep], centers=centers, person_sizes=person_sizes,
        )
        tables.append(add_references(table, box_sizes=box_sizes))
    return pd.concat(tables, ignore_index=True), skipped
