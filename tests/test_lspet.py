"""LSPET reader on a miniature archive in the upstream layout."""

import numpy as np
import pytest

from pose.data.archive import extract_zip
from pose.data.datasets.lspet import read_annotations, read_joints
from pose.data.datasets.records import split_by_position, table_arrays
from pose.errors import PoseError
from pose.joints import JOINT_INDEX
from tests.conftest import make_lspet_zip


@pytest.fixture
def lspet_root(tmp_path):
    make_lspet_zip(tmp_path / "mini.zip", count=20, corrupt_images=(3,), missing_images=(5,))
    return extract_zip(tmp_path / "mini.zip", tmp_path / "raw")


def test_joints_are_mapped_into_mpii_order(tmp_path):
    raw = make_lspet_zip(tmp_path / "mini.zip", count=20)
    root = extract_zip(tmp_path / "mini.zip", tmp_path / "raw")
    joints, labeled = read_joints(root / "joints.mat")
    assert joints.shape == (20, 16, 2) and labeled.shape == (20, 16)
    # LSPET index 6 is r_wrist, 12 is neck (upper_neck), 13 head_top.
    for lspet_index, name in ((6, "r_wrist"), (12, "upper_neck"), (13, "head_top"), (9, "l_shoulder")):
        image = 0 if lspet_index != 0 else 1
        np.testing.assert_allclose(joints[image, JOINT_INDEX[name]], raw[lspet_index, :2, image])
    # Image 0 has LSPET joint 0 (r_ankle) unannotated.
    assert not labeled[0, JOINT_INDEX["r_ankle"]] and labeled[0, JOINT_INDEX["l_ankle"]]


def test_pelvis_and_thorax_are_midpoints_when_both_sources_labeled(tmp_path):
    raw = make_lspet_zip(tmp_path / "mini.zip", count=20)
    root = extract_zip(tmp_path / "mini.zip", tmp_path / "raw")
    joints, labeled = read_joints(root / "joints.mat")
    np.testing.assert_allclose(joints[0, JOINT_INDEX["pelvis"]], (raw[2, :2, 0] + raw[3, :2, 0]) / 2)
    # Image 2 has LSPET joint 2 (r_hip) unannotated, so no pelvis; image 8 lacks r_shoulder.
    assert not labeled[2, JOINT_INDEX["pelvis"]] and labeled[2, JOINT_INDEX["thorax"]]
    assert not labeled[8, JOINT_INDEX["thorax"]]


def test_table_counts_splits_and_skips_named(lspet_root):
    table, skipped = read_annotations(lspet_root)
    assert dict(skipped) == {"images/im00004.jpg": "unreadable (UnidentifiedImageError)", "images/im00006.jpg": "missing"}
    assert len(table) == 18
    assert table["split"].value_counts().to_dict() == {"train": 15, "test": 2, "val": 1}
    assert (table["width"] == 96).all() and (table["height"] == 64).all()
    arrays = table_arrays(table)
    assert arrays["joints"].shape == (18, 16, 2)
    assert (arrays["labeled"] == arrays["visible"]).all()


def test_person_box_surrounds_labeled_joints(lspet_root):
    table, _ = read_annotations(lspet_root)
    arrays = table_arrays(table)
    joints = np.where(arrays["labeled"][..., None], arrays["joints"], np.nan)
    extent = np.nanmax(joints, axis=1) - np.nanmin(joints, axis=1)
    np.testing.assert_allclose(table["person_size"], extent.max(axis=1), atol=1e-3)


def test_split_of_the_real_release_is_the_documented_one():
    splits = split_by_position(10000)
    assert splits[8499] == "train" and splits[8500] == "val"  # im08500 / im08501
    assert splits[8999] == "val" and splits[9000] == "test"  # im09000 / im09001
    assert splits.count("test") == 1000


def test_joints_file_of_wrong_shape_is_named(tmp_path):
    make_lspet_zip(tmp_path / "bad.zip", count=4, joints_shape=(3, 14, 4))
    root = extract_zip(tmp_path / "bad.zip", tmp_path / "raw")
    with pytest.raises(PoseError, match=r"joints.mat: array 'joints' has shape \(3, 14, 4\)"):
        read_joints(root / "joints.mat")


def test_missing_joints_file_is_named(tmp_path):
    with pytest.raises(PoseError, match="joints.mat is missing"):
        read_joints(tmp_path / "joints.mat")
