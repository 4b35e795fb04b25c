"""MPII (.mat and converted JSON) and Human3.6M readers on format-faithful fixtures, their metrics,
and the real samples of the shared mirror end to end (reader -> crops -> model -> metrics)."""

import json

import numpy as np
import pytest

from pose.data.datasets import DATASETS, local_folder
from pose.data.datasets import h36m, mpii
from pose.errors import PoseError
from pose.evaluation.scoring import keypoints_in_photo, predict_heatmaps, score
from pose.joints import JOINT_INDEX, NUM_JOINTS
from pose.data.testsets import build_testset, photo_path, read_testset, write_testset
from tests.conftest import SHARED_MIRROR
from tests.dataset_fixtures import make_h36m_folder, make_mpii_json_folder, make_mpii_mat_folder


def test_mpii_mat_reads_persons_head_boxes_and_flags(tmp_path):
    joints_a, joints_c = make_mpii_mat_folder(tmp_path)
    table, skipped = mpii.read_annotations(tmp_path)
    assert list(table["image"]) == ["images/000000001.jpg", "images/000000003.jpg"]
    first = table.iloc[0]
    for joint, (x, y) in joints_a.items():  # MPII ids are the project's order; 1-based -> 0-based
        name = list(JOINT_INDEX)[joint]
        assert (first[f"{name}_x"], first[f"{name}_y"]) == (x - 1, y - 1) and first[f"{name}_labeled"]
    assert not first["pelvis_labeled"] and not first["l_ankle_labeled"]
    assert (first["head_x1"], first["head_y1"], first["head_x2"], first["head_y2"]) == (20, 4, 40, 26)
    assert first["box_size"] == pytest.approx(100.0)  # 200 x scale 0.5
    second = table.iloc[1]
    # is_visible 0 -> hidden, '1' -> visible, empty -> not recorded, treated as visible
    assert (second["r_hip_visible"], second["l_hip_visible"], second["r_shoulder_visible"]) == (False, True, True)
    reasons = dict(skipped)
    assert reasons["000000002.jpg"].startswith("MPII test image")
    assert reasons["000000001.jpg person 2"] == "no annotated joints"


def test_mpii_mat_uses_the_validation_list_when_the_folder_has_it(tmp_path):
    make_mpii_mat_folder(tmp_path)
    table, _ = mpii.read_annotations(tmp_path)
    assert set(table["split"]) <= {"train", "val", "test"}
    (tmp_path / "annot").mkdir()
    entry = {"image": "000000003.jpg", "center": [60, 40], "scale": 0.3, "joints": [[1, 1]] * 16, "joints_vis": [1] * 16}
    (tmp_path / "annot" / "valid.json").write_text(json.dumps([entry]))
    table, _ = mpii.read_annotations(tmp_path)
    assert dict(zip(table["image"], table["split"]))["images/000000003.jpg"] == "test"
    assert dict(zip(table["image"], table["split"]))["images/000000001.jpg"] in ("train", "val")


def test_mpii_json_is_one_based_and_split_by_file_name(tmp_path):
    entries = make_mpii_json_folder(tmp_path, "valid.json")
    table, skipped = mpii.read_annotations(tmp_path)
    assert skipped == [] and (table["split"] == "test").all() and len(table) == 3
    assert table["r_ankle_x"].iloc[0] == pytest.approx(entries[0]["joints"][0][0] - 1, abs=1e-3)
    assert not table["thorax_labeled"].any() and table["pelvis_labeled"].all()
    assert "head_x1" not in table and table["box_size"].iloc[0] == pytest.approx(100.0)
    (tmp_path / "valid.json").rename(tmp_path / "train.json")
    table, _ = mpii.read_annotations(tmp_path)
    assert list(table["split"]) == ["train"] * 3  # 85/5/10 of three images by position rounds to train only


@pytest.mark.parametrize("content, message", [
    ("{\"image\": 1}", "not the list of persons"),
    ("[{\"image\": \"a.jpg\", \"joints\": []}]", "has no 'center'"),
    ("not json", "not readable JSON"),
])
def test_mpii_json_bad_files_get_one_sentence(tmp_path, content, message):
    (tmp_path / "valid.json").write_text(content)
    with pytest.raises(PoseError, match=message):
        mpii.read_annotations(tmp_path)


def test_mpii_folder_without_annotations_says_what_to_do(tmp_path):
    with pytest.raises(PoseError, match="data.folders.mpii"):
        mpii.read_annotations(tmp_path)


def test_h36m_maps_17_joints_into_mpii_16(tmp_path):
    names, part = make_h36m_folder(tmp_path)
    table, skipped = h36m.read_annotations(tmp_path)
    assert skipped == [] and len(table) == 4
    row = table.iloc[1]
    for target, source in (("r_ankle", 3), ("l_ankle", 6), ("pelvis", 0), ("thorax", 8), ("head_top", 10),
                           ("r_wrist", 16), ("l_shoulder", 11)):
        assert (row[f"{target}_x"], row[f"{target}_y"]) == pytest.approx(tuple(part[1, source, :2]), abs=1e-3)
    assert not table["upper_neck_labeled"].any()
    assert not table["l_knee_labeled"].iloc[0] and table["l_knee_labeled"].iloc[1]
    assert table["box_size"].iloc[0] == pytest.approx(120.0)
    # Standard protocol by subject: S9 and S11 are test.
    assert list(table["split"]) == ["train", "test", "test", "train"]


def test_h36m_file_name_decides_the_split_and_bad_npz_is_named(tmp_path):
    make_h36m_folder(tmp_path, name="test_h36m_body3d.npz")
    table, _ = h36m.read_annotations(tmp_path)
    assert (table["split"] == "test").all()
    np.savez(tmp_path / "test_h36m_body3d.npz", imgname=np.array(["a.jpg"]), center=np.zeros((1, 2)), scale=np.ones(1))
    with pytest.raises(PoseError, match="no array 'part'"):
        h36m.read_annotations(tmp_path)
    np.savez(tmp_path / "test_h36m_body3d.npz", imgname=np.array([{"a": 1}], dtype=object), center=np.zeros((1, 2)),
             scale=np.ones(1), part=np.zeros((1, 17, 3)))
    with pytest.raises(PoseError, match="without pickles"):
        h36m.read_annotations(tmp_path)


def test_h36m_missing_folder_says_where_the_data_comes_from(tmp_path):
    with pytest.raises(PoseError, match="licence.*data.folders.h36m"):
        h36m.read_annotations(tmp_path)


def test_local_folder_expands_variables_and_names_what_is_wrong(tmp_path, monkeypatch):
    monkeypatch.delenv("POSE_TEST_DIR", raising=False)
    assert local_folder({"mpii": ""}, "mpii") == (None, "data.folders.mpii is empty")
    assert "not set" in local_folder({"mpii": "$POSE_TEST_DIR"}, "mpii")[1]
    assert "not a folder" in local_folder({"mpii": str(tmp_path / "nowhere")}, "mpii")[1]
    monkeypatch.setenv("POSE_TEST_DIR", str(tmp_path))
    assert local_folder({"mpii": "$POSE_TEST_DIR"}, "mpii") == (tmp_path, "")


def _perfect_scores(testset, name):
    from pose.data.crop import apply_affine

    truth = apply_affine(testset["keypoints"], testset["crop_to_image"])
    return score(truth, testset, name, head_boxes=testset.get("head_boxes"), box_size=testset.get("box_size"),
                 head_size_from_box=DATASETS[name].head_size_from_box)[0]


def test_testsets_carry_each_datasets_references_into_its_metric_names(tmp_path):
    make_mpii_mat_folder(tmp_path / "mat")
    make_mpii_json_folder(tmp_path / "json")
    make_h36m_folder(tmp_path / "h36m", name="test.npz")
    keys = {}
    for name, folder, reader in (("mpii", "mat", mpii), ("mpii", "json", mpii), ("h36m", "h36m", h36m)):
        table, _ = reader.read_annotations(tmp_path / folder)
        table["split"] = "test"
        arrays, skipped = build_testset(table, tmp_path / folder, 1.3, 64, 64, workers=1)
        write_testset(arrays, tmp_path / "sets" / folder, shard_size=2, root=tmp_path / folder)
        testset = read_testset(tmp_path / "sets" / folder)
        assert len(testset["images"]) == len(table) and skipped == []
        for image in set(testset["image"]):  # the whole photos travel with the test set
            assert photo_path(tmp_path / "sets" / folder, image).read_bytes() == (tmp_path / folder / image).read_bytes()
        metrics = _perfect_scores(testset, name)
        assert all(np.isfinite(value) for value in metrics.values())
        keys[folder] = metrics
    assert keys["mat"]["mpii_pckh@0.5_limbs12"] == 1.0 and "mpii_pckh-scale@0.5_all" not in keys["mat"]
    assert keys["json"]["mpii_pckh-scale@0.5_limbs12"] == 1.0 and "mpii_pckh@0.5_all" not in keys["json"]
    h36m_keys = keys["h36m"]
    assert h36m_keys["h36m_pck-box@0.2_limbs12"] == 1.0 and h36m_keys["h36m_epe_px_limbs12"] == pytest.approx(0, abs=1e-3)
    # H3.6M has no upper neck: no neck-based PCKh and no upper_neck score, rather than NaN.
    assert not any("pckh" in key for key in h36m_keys) and "h36m_pck@0.2_upper_neck" not in h36m_keys


def test_pck_of_the_box_counts_within_a_fifth_of_the_box(tmp_path):
    make_h36m_folder(tmp_path, name="test.npz")
    table, _ = h36m.read_annotations(tmp_path)
    arrays, _ = build_testset(table, tmp_path, 1.3, 64, 64, workers=1)
    from pose.data.crop import apply_affine

    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    near = score(truth + (0.19 * 120, 0), arrays, "h36m", box_size=arrays["box_size"])[0]
    far = score(truth + (0.21 * 120, 0), arrays, "h36m", box_size=arrays["box_size"])[0]
    assert near["h36m_pck-box@0.2_limbs12"] == 1.0 and far["h36m_pck-box@0.2_limbs12"] == 0.0
    assert far["h36m_epe_px_limbs12"] == pytest.approx(0.21 * 120, abs=1e-3)


@pytest.mark.skipif(not (SHARED_MIRROR / "mpii-sample").is_dir(), reason="no shared mirror")
@pytest.mark.parametrize("name, folder, persons, head_metric", [
    ("mpii", "mpii-sample", 5, "pckh-scale@0.5"),
    ("h36m", "h36m-sample", 4, "pck-box@0.2"),
])
def test_real_samples_go_through_reader_model_and_metrics(tmp_path, name, folder, persons, head_metric):
    from pose.train.model import build_unet

    reader = DATASETS[name].read_annotations
    table, skipped = reader(SHARED_MIRROR / folder)
    assert skipped == [] and len(table) == persons and (table["split"] == "test").all()
    arrays, skipped = build_testset(table, SHARED_MIRROR / folder, 1.3, 128, 128, workers=1)
    assert skipped == [] and arrays["images"].shape == (persons, 128, 128, 3)
    inside = (arrays["keypoints"] >= 0).all(-1) & (arrays["keypoints"] < 128).all(-1)
    assert inside[arrays["labeled"]].all()  # every labeled joint lands in its crop
    model = build_unet("mobilenet_v2", 128, 128, NUM_JOINTS, 4, weights=None)
    heatmaps = predict_heatmaps(lambda batch: model.predict_on_batch(batch), arrays["images"])
    predicted, _ = keypoints_in_photo(heatmaps, "centroid", 4, arrays["crop_to_image"])
    metrics = score(predicted, arrays, name, head_boxes=arrays.get("head_boxes"), box_size=arrays.get("box_size"),
                    head_size_from_box=DATASETS[name].head_size_from_box)[0]
    for key in (f"{name}_{head_metric}_limbs12", f"{name}_epe_px_limbs12", f"{name}_pck@0.2_limbs12"):
        assert np.isfinite(metrics[key])
    assert metrics[f"{name}_persons"] == persons


def test_testsets_stage_names_datasets_that_are_not_present(tmp_path, monkeypatch, capsys):
    import importlib.util

    from pose.data.archive import extract_zip
    from pose.data.datasets.lspet import read_annotations
    from tests.conftest import REPO, make_lspet_zip

    make_lspet_zip(tmp_path / "mini.zip", count=20)
    raw = extract_zip(tmp_path / "mini.zip", tmp_path / "raw")
    read_annotations(raw)[0].to_csv(tmp_path / "annotations.csv", index=False)
    monkeypatch.delenv("POSE_MPII_DIR", raising=False)
    (tmp_path / "params.yaml").write_text(
        "data:\n  folders:\n    mpii: $POSE_MPII_DIR\nevaluate:\n  datasets: [mpii, lspet]\n"
        "geometry:\n  input_width: 64\n  input_height: 64\n")
    spec = importlib.util.spec_from_file_location("testsets_stage", REPO / "stages" / "testsets.py")
    stage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stage)
    monkeypatch.setattr("sys.argv", ["testsets.py", "--params", str(tmp_path / "params.yaml"), "--annotations",
                                     str(tmp_path / "annotations.csv"), "--raw", str(raw), "--out",
                                     str(tmp_path / "testsets"), "--report", str(tmp_path / "report.json")])
    stage.main()
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["mpii"] == {"present": False, "reason": "data.folders.mpii = '$POSE_MPII_DIR' names an environment variable that is not set"}
    assert report["lspet"]["persons"] == 2 and report["lspet"]["present"]
    assert "mpii: not scored" in capsys.readouterr().out
    assert read_testset(tmp_path / "testsets" / "lspet")["images"].shape == (2, 64, 64, 3)


def test_mpii_hrnet_layout_with_an_unlabeled_test_json(tmp_path):
    """annot/train.json + annot/valid.json + annot/test.json (no joints) + images/, the common converted layout."""
    (tmp_path / "annot").mkdir()
    make_mpii_json_folder(tmp_path / "images", "unused.json", count=40)
    entries = json.loads((tmp_path / "images" / "unused.json").read_text())
    (tmp_path / "images" / "unused.json").unlink()
    (tmp_path / "annot" / "train.json").write_text(json.dumps(entries[:36]))
    (tmp_path / "annot" / "valid.json").write_text(json.dumps(entries[36:]))
    test = [{"image": e["image"], "center": e["center"], "scale": e["scale"]} for e in entries[:5]]
    (tmp_path / "annot" / "test.json").write_text(json.dumps(test))
    table, skipped = mpii.read_annotations(tmp_path)
    assert table["split"].value_counts().to_dict() == {"train": 34, "val": 2, "test": 4}
    assert table["image"].iloc[0].startswith("images/")
    assert skipped == [("test.json", "5 persons without joint annotations (MPII's test set); file not used")]


def test_h36m_imgname_may_already_start_with_images(tmp_path):
    names, _ = make_h36m_folder(tmp_path, name="test.npz")
    with np.load(tmp_path / "test.npz") as data:
        arrays = {key: data[key] for key in data.files}
    arrays["imgname"] = np.array([f"images/{name}" for name in names])
    np.savez(tmp_path / "test.npz", **arrays)
    table, skipped = h36m.read_annotations(tmp_path)
    assert skipped == [] and list(table["image"]) == [f"images/{name}" for name in names]
