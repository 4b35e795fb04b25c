"""COCO keypoints reader: the joint mapping one joint at a time, skips counted with reasons, splits, box sizes."""

import numpy as np
import pytest

from pose.data.datasets import coco
from pose.data.datasets.records import table_arrays
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, JOINT_NAMES
from tests.dataset_fixtures import FULL_BODY, annotation, coco_keypoints, write_coco


@pytest.fixture
def coco_folder(tmp_path):
    without_head_and_left_arm = {k: v for k, v in FULL_BODY.items() if k not in ("l_elbow", "l_wrist")}
    occluded_knee = dict(FULL_BODY, r_knee=(40.0, 70.0, 1))
    only_four = {k: FULL_BODY[k] for k in ("l_hip", "r_hip", "l_knee", "r_knee")}
    write_coco(tmp_path, "train", {11: (160, 120), 13: (120, 200), 40: (100, 100), 7: (64, 48)}, [
        annotation(1, 11, FULL_BODY),
        annotation(2, 11, without_head_and_left_arm),  # two persons in one photo
        annotation(3, 13, occluded_knee),
        annotation(4, 13, {}, crowd=1),  # a crowd region
        annotation(5, 40, FULL_BODY),  # image_id 40: every 20th -> validation
        annotation(6, 13, only_four),  # too few joints
        annotation(7, 13, FULL_BODY, bbox=(0, 0, 20, 25)),  # a tiny person
        annotation(8, 7, FULL_BODY),  # its photo is missing
    ], missing=(7,))
    write_coco(tmp_path, "val", {3: (90, 130)}, [annotation(9, 3, FULL_BODY, bbox=(5, 5, 60, 90))])
    return tmp_path


def test_every_mpii_joint_from_its_coco_joint():
    person = dict(FULL_BODY, r_knee=(40.0, 70.0, 1))
    joints, labeled, visible = coco.coco_to_mpii(coco_keypoints(person))
    for name in coco.COCO_ORDER[5:]:  # shoulders to ankles: the same joint
        np.testing.assert_array_equal(joints[0, JOINT_INDEX[name]], person[name][:2])
        assert labeled[0, JOINT_INDEX[name]]
    assert not visible[0, JOINT_INDEX["r_knee"]] and visible[0, JOINT_INDEX["l_knee"]]  # v = 1 is occluded
    for name, (first, second) in coco.DERIVED_MIDPOINTS.items():
        expected = (np.asarray(FULL_BODY[first][:2]) + FULL_BODY[second][:2]) / 2
        np.testing.assert_allclose(joints[0, JOINT_INDEX[name]], expected)
    for name in coco.UNLABELED_IN_COCO:
        assert not labeled[0, JOINT_INDEX[name]]
    assert labeled.sum() == 14 and set(JOINT_NAMES) == set(coco.COCO_TO_MPII) | set(coco.DERIVED_MIDPOINTS) | set(
        coco.UNLABELED_IN_COCO)


def test_a_midpoint_needs_both_ends():
    one_hip = {k: v for k, v in FULL_BODY.items() if k != "l_hip"}
    joints, labeled, _ = coco.coco_to_mpii(coco_keypoints(one_hip))
    assert not labeled[0, JOINT_INDEX["pelvis"]] and labeled[0, JOINT_INDEX["thorax"]]
    np.testing.assert_array_equal(joints[0, JOINT_INDEX["pelvis"]], [0, 0])


def test_reader_keeps_usable_persons_and_names_every_skip(coco_folder):
    table, skipped = coco.read_annotations(coco_folder)
    assert len(table) == 5  # persons 1, 2, 3, 5 (train/val) and 9 (test)
    reasons = [reason for _, reason in skipped]
    assert reasons.count("crowd region (iscrowd)") == 1
    assert "5 labeled joints (fewer than 6)" in reasons  # 4 COCO joints and the pelvis between the hips
    assert any(reason.startswith("person box 25 px") for reason in reasons)
    assert ("train2017/000000000007.jpg", "missing") in skipped
    assert len(skipped) == 4
    assert list(table["split"]) == ["train", "train", "train", "val", "test"]
    assert table["image"].iloc[-1] == "val2017/000000000003.jpg"
    assert list(table["width"]) == [160, 160, 120, 100, 90] and list(table["height"]) == [120, 120, 200, 100, 130]
    np.testing.assert_allclose(table["box_size"], [120, 120, 120, 120, 90])
    arrays = table_arrays(table)
    assert not arrays["labeled"][1, JOINT_INDEX["l_elbow"]] and not arrays["labeled"][1, JOINT_INDEX["l_wrist"]]
    assert not arrays["labeled"][:, JOINT_INDEX["head_top"]].any()
    np.testing.assert_array_equal(arrays["joints"][0, JOINT_INDEX["r_ankle"]], FULL_BODY["r_ankle"][:2])


def test_a_broken_annotation_file_is_named(tmp_path):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "person_keypoints_train2017.json").write_text('{"images": []}')
    with pytest.raises(PoseError, match="person_keypoints_train2017.json is not a COCO keypoints file"):
        coco.read_annotations(tmp_path)
    with pytest.raises(PoseError, match="person_keypoints_val2017.json is missing"):
        coco.read_split_file(tmp_path / "annotations" / "person_keypoints_val2017.json")
