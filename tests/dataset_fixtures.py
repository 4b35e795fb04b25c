"""Format-faithful miniature MPII (.mat and converted JSON), Human3.6M (npz + images) and COCO folders."""

import json

import cv2
import numpy as np
import scipy.io
from PIL import Image

from pose.data.datasets import coco

MAT_RECT_FIELDS = ("x1", "y1", "x2", "y2", "annopoints", "scale", "objpos")


def _jpeg(path, width=160, height=120, seed=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.random.default_rng(seed).integers(0, 255, (height, width, 3), dtype=np.uint8)
    cv2.imwrite(str(path), image)


def _struct_array(records, fields):
    """A MATLAB struct array (1, n) as scipy.io.savemat writes it: a structured object array."""
    array = np.zeros((1, len(records)), dtype=[(field, "O") for field in fields])
    for index, record in enumerate(records):
        for field in fields:
            array[0, index][field] = record.get(field, np.zeros((0, 0)))
    return array


def _points(joints, visible):
    """annopoints.point: one struct per annotated joint; ``joints`` {id: (x, y)} 1-based."""
    records = [{"id": joint, "x": x, "y": y, "is_visible": visible.get(joint, 1)} for joint, (x, y) in joints.items()]
    return {"point": _struct_array(records, ("id", "x", "y", "is_visible"))}


def make_mpii_mat_folder(root):
    """Three photos in the official layout: a training photo with two persons (the second without
    joints), a test photo (img_train 0, no labels) and a training photo with one person whose
    is_visible flags are 0, '1' and empty as in the release. Returns the annotated joints (1-based)."""
    joints_a = {0: (20.0, 100.0), 1: (22.0, 80.0), 2: (24.0, 60.0), 3: (40.0, 60.0), 9: (30.0, 10.0), 8: (30.0, 25.0),
                12: (20.0, 30.0), 13: (40.0, 30.0)}
    joints_c = {2: (50.0, 50.0), 3: (70.0, 52.0), 12: (52.0, 20.0), 13: (68.0, 21.0)}
    rect_a = {"x1": 21.0, "y1": 5.0, "x2": 41.0, "y2": 27.0, "scale": 0.5,
              "objpos": {"x": 30.0, "y": 55.0}, "annopoints": _points(joints_a, {5: 0})}
    rect_b = {"scale": 0.4, "objpos": {"x": 100.0, "y": 50.0}}  # no annopoints: a person without joints
    rect_c = {"x1": 50.0, "y1": 2.0, "x2": 70.0, "y2": 18.0, "scale": 0.3, "objpos": {"x": 60.0, "y": 40.0},
              "annopoints": _points(joints_c, {2: 0, 3: "1", 12: np.zeros((0, 0))})}
    annolist = _struct_array([
        {"image": {"name": "000000001.jpg"}, "annorect": _struct_array([rect_a, rect_b], MAT_RECT_FIELDS)},
        {"image": {"name": "000000002.jpg"}, "annorect": np.zeros((0, 0))},
        {"image": {"name": "000000003.jpg"}, "annorect": _struct_array([rect_c], MAT_RECT_FIELDS)},
    ], ("image", "annorect"))
    release = {"annolist": annolist, "img_train": np.array([[1, 0, 1]]), "single_person": np.zeros((3, 1), "O")}
    folder = root / "mpii_human_pose_v1_u12_2"
    folder.mkdir(parents=True)
    scipy.io.savemat(folder / "mpii_human_pose_v1_u12_1.mat", {"RELEASE": release})
    for index in (1, 2, 3):
        _jpeg(root / "images" / f"00000000{index}.jpg", seed=index)
    return joints_a, joints_c


def mpii_json_entry(image, joints_1based, visible, scale=0.5, center=(60.0, 50.0)):
    return {"image": image, "center": list(center), "scale": scale,
            "joints": [list(map(float, xy)) for xy in joints_1based], "joints_vis": list(visible)}


def make_mpii_json_folder(root, name="valid.json", count=3):
    """``count`` persons in the converted JSON format (1-based), images beside it as in the shared sample."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    entries = []
    for index in range(count):
        joints = rng.uniform(10, 110, (16, 2))
        visible = [1] * 16
        joints[7] = -1  # an unannotated joint: -1 coordinates, joints_vis 0
        visible[7] = 0
        entries.append(mpii_json_entry(f"{index:09d}.jpg", joints, visible))
        _jpeg(root / f"{index:09d}.jpg", seed=10 + index)
    (root / name).write_text(json.dumps(entries))
    return entries


def make_h36m_folder(root, name="h36m_annotations.npz", subjects=("S1", "S9", "S11", "S5")):
    """One frame per subject in the common preprocessed layout; ``part`` (N, 17, 3) 0-based pixels."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2)
    count = len(subjects)
    names = [f"{s}/{s}_Walking.54138969/{s}_Walking.54138969_{i + 1:06d}.jpg" for i, s in enumerate(subjects)]
    part = np.concatenate([rng.uniform(20, 100, (count, 17, 2)), np.ones((count, 17, 1))], axis=-1)
    part[0, 5, 2] = 0  # l_knee of the first frame not visible -> unlabeled
    np.savez(root / name, imgname=np.array(names), center=np.full((count, 2), 60.0), scale=np.full(count, 0.6),
             part=part, S=np.zeros((count, 17, 4)))
    for index, image in enumerate(names):
        _jpeg(root / "images" / image, width=96, height=128, seed=20 + index)
    return names, part


def coco_keypoints(points):
    """17 x [x, y, v] from {coco joint name: (x, y, v)}; joints not given are v = 0 at (0, 0)."""
    keypoints = np.zeros((17, 3))
    for name, value in points.items():
        keypoints[coco.COCO_ORDER.index(name)] = value
    return keypoints.ravel().tolist()


FULL_BODY = {name: (10.0 + 3 * index, 20.0 + 2 * index, 2) for index, name in enumerate(coco.COCO_ORDER)}


def annotation(annotation_id, image_id, points, bbox=(0, 0, 80, 120), crowd=0):
    return {"id": annotation_id, "image_id": image_id, "iscrowd": crowd, "bbox": list(bbox),
            "num_keypoints": sum(v > 0 for _, _, v in points.values()), "keypoints": coco_keypoints(points),
            "category_id": 1, "area": 100.0}


def write_coco(root, split, photos, annotations, missing=()):
    """A person_keypoints_<split>2017.json and its photos (non-square JPEGs) under ``root``."""
    folder = root / f"{split}2017"
    folder.mkdir(parents=True, exist_ok=True)
    images = []
    for image_id, (width, height) in photos.items():
        name = f"{image_id:012d}.jpg"
        images.append({"id": image_id, "file_name": name, "width": width, "height": height})
        if image_id not in missing:
            Image.new("RGB", (width, height), (90, 90, 90)).save(folder / name)
    (root / "annotations").mkdir(exist_ok=True)
    content = {"images": images, "annotations": annotations, "categories": [{"id": 1, "name": "person"}]}
    (root / "annotations" / f"person_keypoints_{split}2017.json").write_text(json.dumps(content))


def make_coco_folder(root, train_photos=40, test_photos=4):
    """COCO's layout with one full-body person per photo at a random place and size.

    image_ids 1..train_photos are train2017 (every 20th, by COCO's reader, validation), the next
    ``test_photos`` val2017 (the test split). Photos are textured, non-square.
    """
    rng = np.random.default_rng(3)
    offsets = np.asarray([FULL_BODY[name][:2] for name in coco.COCO_ORDER]) - [10.0, 20.0]  # 0..48 x 0..32 px
    for split, ids in (("train", range(1, train_photos + 1)),
                       ("val", range(train_photos + 1, train_photos + test_photos + 1))):
        photos, people = {}, []
        for image_id in ids:
            photos[image_id] = (120, 90)
            scale = rng.uniform(0.8, 1.4)
            origin = rng.uniform(5, 40, 2)
            points = {name: (*(origin + offset * scale), 2) for name, offset in zip(coco.COCO_ORDER, offsets)}
            people.append(annotation(image_id, image_id, points, bbox=(*origin, 48 * scale, 32 * scale)))
        write_coco(root, split, photos, people)
        for image_id in ids:
            _jpeg(root / f"{split}2017" / f"{image_id:012d}.jpg", width=120, height=90, seed=100 + image_id)
