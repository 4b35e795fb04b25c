"""COCO keypoints (Lin et al., ECCV 2014): about 150,000 annotated persons in 2017's train/val.

Layout, as the official archives extract: ``annotations/person_keypoints_{train,val}2017.json``,
``train2017/``, ``val2017/``. Each annotation is one person: ``image_id``, ``iscrowd``,
``bbox`` (x, y, width, height, pixels), ``num_keypoints`` and ``keypoints`` (17 x [x, y, v]; v 0 =
not labeled, 1 = labeled but occluded, 2 = labeled and visible).

Coordinates: COCO keypoints are pixel indices (x in 0..width-1), the same convention as the
project's ((0, 0) the centre of the top-left pixel), so they are taken as they are.

COCO-17 -> MPII-16, joint by joint (:data:`COCO_TO_MPII`): shoulders, elbows, wrists, hips, knees
and ankles map one to one; ``pelvis`` and ``thorax`` are the midpoints of the two hips and of the
two shoulders, labeled only where both are (as for LSPET, whose layout lacks them too);
``upper_neck`` and ``head_top`` have no COCO counterpart and stay unlabeled: they are left out of
the loss for COCO samples, never invented. The five face points (nose, eyes, ears) are dropped.

Persons left out, each counted with its reason in the stage's report: ``iscrowd`` annotations
(regions of many people, no keypoints), persons with fewer than :data:`MIN_LABELED_JOINTS`
labeled joints after the mapping, persons whose box's longer side is under :data:`MIN_BOX_PIXELS`,
and persons whose photo is missing.

Splits: val2017 is the test split (COCO's own test labels are private); the validation split is
every :data:`VALIDATION_EVERY`-th photo of train2017 by ``image_id`` (about 5 %), the rest trains.

Reference for metrics: ``box_size`` is the longer side of COCO's person box, for PCK against the
person box (COCO's OKS needs the face points and per-point constants this layout drops).
"""

import json
from pathlib import Path

import numpy as np

from pose.data.datasets.records import make_table, person_box
from pose.data.datasets.references import add_references
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, NUM_JOINTS

ANNOTATIONS_URL = "http://images.cocodataset.org/annotations/annotations_trainval2017.zip"
ANNOTATIONS_ARCHIVE = "annotations_trainval2017.zip"
ANNOTATIONS_BYTES = 253_000_000
VAL_IMAGES_URL = "http://images.cocodataset.org/zips/val2017.zip"
VAL_IMAGES_ARCHIVE = "val2017.zip"
VAL_IMAGES_BYTES = 816_000_000
TRAIN_IMAGES_URL = "http://images.cocodataset.org/zips/train2017.zip"
TRAIN_IMAGES_ARCHIVE = "train2017.zip"
TRAIN_IMAGES_BYTES = 19_340_000_000

COCO_ORDER = (
    "nose", "l_eye", "r_eye", "l_ear", "r_ear",
    "l_shoulder", "r_shoulder", "l_elbow", "r_elbow", "l_wrist", "r_wrist",
    "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle",
)
# MPII-16 joint <- COCO joint, for the joints COCO labels directly.
COCO_TO_MPII = {name: name for name in COCO_ORDER[5:]}
DERIVED_MIDPOINTS = {"pelvis": ("r_hip", "l_hip"), "thorax": ("r_shoulder", "l_shoulder")}
UNLABELED_IN_COCO = ("upper_neck", "head_top")

MIN_LABELED_JOINTS = 6  # of the 14 MPII-16 joints COCO gives (12 direct, 2 derived)
MIN_BOX_PIXELS = 32.0  # the person box's longer side: smaller persons carry too little to learn from
VALIDATION_EVERY = 20  # every 20th train2017 photo (by image_id) is validation
SPLIT_FILES = {"train": "person_keypoints_train2017.json", "test": "person_keypoints_val2017.json"}
IMAGE_FOLDERS = {"train": "train2017", "test": "val2017"}


def coco_to_mpii(keypoints):
    """COCO keypoints (N, 17, 3) [x, y, v] -> MPII-16 ``joints`` (N, 16, 2), ``labeled`` and ``visible`` (N, 16).

    ``v`` > 0 is labeled, ``v`` == 2 visible. A derived midpoint is visible where both ends are.
    """
    keypoints = np.asarray(keypoints, np.float64).reshape(-1, len(COCO_ORDER), 3)
    count = len(keypoints)
    joints = np.zeros((count, NUM_JOINTS, 2))
    labeled = np.zeros((count, NUM_JOINTS), bool)
    visible = np.zeros((count, NUM_JOINTS), bool)
    for mpii_name, coco_name in COCO_TO_MPII.items():
        source, target = COCO_ORDER.index(coco_name), JOINT_INDEX[mpii_name]
        joints[:, target] = keypoints[:, source, :2]
        labeled[:, target] = keypoints[:, source, 2] > 0
        visible[:, target] = keypoints[:, source, 2] == 2
    for name, (first, second) in DERIVED_MIDPOINTS.items():
        a, b, target = JOINT_INDEX[first], JOINT_INDEX[second], JOINT_INDEX[name]
        labeled[:, target] = labeled[:, a] & labeled[:, b]
        visible[:, target] = visible[:, a] & visible[:, b]
        joints[:, target] = np.where(labeled[:, target, None], (joints[:, a] + joints[:, b]) / 2, 0.0)
    return joints, labeled, visible


def read_split_file(path):
    """One ``person_keypoints_*.json``: (photos {image_id: (file_name, width, height)}, person annotations)."""
    path = Path(path)
    if not path.is_file():
        raise PoseError(f"{path} is missing; point data.folders.coco at a folder holding annotations/ from "
                        f"{ANNOTATIONS_ARCHIVE}, or let the download stage fetch it.")
    try:
        content = json.loads(path.read_text())
        photos = {image["id"]: (image["file_name"], int(image["width"]), int(image["height"]))
                  for image in content["images"]}
        annotations = content["annotations"]
    except (ValueError, KeyError, TypeError) as error:
        raise PoseError(f"{path} is not a COCO keypoints file ({error.__class__.__name__}: {error}); "
                        "re-extract annotations_trainval2017.zip.") from None
    return photos, annotations


def _split_of(split, image_id):
    if split == "test":
        return "test"
    return "val" if image_id % VALIDATION_EVERY == 0 else "train"


def read_annotations(root):
    """Read an extracted COCO 2017 folder into the common table.

    Returns:
        (table, skipped): one row per usable person; ``(image or annotation, reason)`` for every
        person left out (crowd region, too few joints, too small, photo missing).
    """
    root = Path(root)
    rows, skipped = [], []
    for split, file_name in SPLIT_FILES.items():
        photos, annotations = read_split_file(root / "annotations" / file_name)
        folder = IMAGE_FOLDERS[split]
        present = {}
        for annotation in annotations:
            image_id = annotation.get("image_id")
            if image_id not in photos:
                skipped.append((f"annotation {annotation.get('id')}", f"image_id {image_id} is not in {file_name}"))
                continue
            name, width, height = photos[image_id]
            image = f"{folder}/{name}"
            if annotation.get("iscrowd"):
                skipped.append((image, "crowd region (iscrowd)"))
                continue
            joints, labeled, visible = coco_to_mpii(annotation.get("keypoints") or np.zeros(51))
            box = annotation.get("bbox") or [0, 0, 0, 0]
            if labeled.sum() < MIN_LABELED_JOINTS:
                skipped.append((image, f"{int(labeled.sum())} labeled joints (fewer than {MIN_LABELED_JOINTS})"))
                continue
            if max(box[2], box[3]) < MIN_BOX_PIXELS:
                skipped.append((image, f"person box {max(box[2], box[3]):.0f} px (under {MIN_BOX_PIXELS:.0f})"))
                continue
            if image not in present:  # one existence check per photo, however many persons it shows
                present[image] = (root / image).is_file()
            if not present[image]:
                skipped.append((image, "missing"))
                continue
            rows.append((image, (width, height), _split_of(split, image_id), joints[0], labeled[0], visible[0],
                         float(max(box[2], box[3]))))
    return _table(rows), skipped


def _table(rows):
    """The common table (with ``box_size``) from (image, (width, height), split, joints, labeled, visible, box) rows."""
    columns = [list(column) for column in zip(*rows)] if rows else [[] for _ in range(7)]
    images, sizes, splits, joints, labeled, visible, box_sizes = columns
    joints = np.asarray(joints, np.float64).reshape(-1, NUM_JOINTS, 2)
    labeled = np.asarray(labeled, bool).reshape(-1, NUM_JOINTS)
    centers, person_sizes = person_box(joints, labeled)
    table = make_table(images=images, sizes=np.asarray(sizes).reshape(-1, 2), splits=splits, joints=joints,
                       labeled=labeled, visible=np.asarray(visible, bool).reshape(-1, NUM_JOINTS), centers=centers,
                       person_sizes=person_sizes)
    return add_references(table, box_sizes=np.asarray(box_sizes, float))
