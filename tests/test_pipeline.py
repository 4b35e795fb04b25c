"""End to end: `dvc repro` on miniature datasets (one, or two at once), and the real mirror copy."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from pose.data.archive import check_zip, extract_zip
from pose.data.datasets.lspet import read_annotations
from pose.data.download import fetch, resolve_source, sha256_of
from pose.params import load_params
from pose.data.samples import build_split
from tests.conftest import REPO, SHARED_MIRROR, make_lspet_zip
from tests.dataset_fixtures import make_coco_folder, make_h36m_folder, make_mpii_json_folder

PROJECT_FILES = ("dvc.yaml", "params.yaml", "stages", "pose")
# The train stage's plots are declared in dvc.yaml; the smoke run trains from random weights so
# it needs neither KERAS_HOME nor a network.


def run(command, cwd, env):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def copy_project(tmp_path):
    """The pipeline's files in a fresh folder: ``(project folder, its params as a dict)``."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    return project, yaml.safe_load((project / "params.yaml").read_text())


def dvc_repro(project, params, env, *targets):
    """Write ``params``, make the folder a DVC project and run ``dvc repro [targets]``; its output."""
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    dvc = [sys.executable, "-m", "dvc"]
    run(dvc + ["init", "--no-scm", "-q"], project, env)
    run(dvc + ["config", "core.analytics", "false"], project, env)
    return run(dvc + ["repro", *targets], project, env)


@pytest.mark.slow
def test_dvc_repro_on_miniature_data_then_nothing_to_do(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "lspet").mkdir(parents=True)
    make_lspet_zip(mirror / "lspet" / "lspet_dataset.zip", count=40)
    project, params = copy_project(tmp_path)
    params["download"]["sha256"] = {"lspet_dataset.zip": sha256_of(mirror / "lspet" / "lspet_dataset.zip")}
    params["geometry"].update(input_width=96, input_height=64)  # non-square, multiples of 32
    params["train"].update(weights="none", epochs=2, batch_size=4)
    params["evaluate"].update(multi_person_images=["images/im00001.jpg"])
    # Trained on LSPET, also tested on MPII (converted JSON) and Human3.6M folders.
    make_mpii_json_folder(tmp_path / "mpii", "valid.json", count=3)
    make_h36m_folder(tmp_path / "h36m", name="test.npz")
    params["data"]["folders"] = {"lspet": "", "mpii": str(tmp_path / "mpii"), "h36m": "$POSE_TEST_H36M"}
    # An untrained model's int8 PCK may move by anything: the limit is not what this run checks.
    params["quantize"].update(representative_count=8, max_pck_drop=1.0, latency_runs=3)
    params["deploy"].update(golden_count=2)
    env = dict(os.environ, POSE_MIRROR=str(mirror), POSE_PYTHON=sys.executable, POSE_TEST_H36M=str(tmp_path / "h36m"),
               PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")

    first = dvc_repro(project, params, env)
    assert "Running stage 'deploy'" in first
    report = json.loads((project / "reports" / "samples.json").read_text())
    assert report["split_counts"] == {"train": 34, "train-context": 34, "val": 2, "test": 4}
    assert len(pd.read_csv(project / "data" / "annotations.csv")) == 40
    with np.load(project / "data" / "samples" / "val" / "shard-00000.npz") as shard:
        assert shard["images"].shape == (2, 64, 96, 3)
    metrics = json.loads((project / "reports" / "train" / "metrics.json").read_text())
    assert metrics["step"] == 1 and 0 <= metrics["eval"]["pck@0.2"] <= 1
    assert set(metrics["summary"]) >= {"best_epoch", "val_pck@0.2", "train_images_per_second"}
    assert (project / "models" / "model.keras").stat().st_size > 1e6
    scores = json.loads((project / "reports" / "metrics.json").read_text())
    assert scores["lspet_persons"] == 4 and 0 <= scores["lspet_pck@0.2_limbs12"] <= 1
    for protocol in ("", "-zoom2x", "-zoom3x", "-gtcrop"):  # whole photos, canvases, crops from labels
        assert 0 <= scores[f"lspet{protocol}_pck@0.2_limbs12"] <= 1
    assert 0 <= scores["lspet_found_fraction"] <= 1 and scores["lspet_people_annotated"] == 4
    assert scores["mpii_persons"] == 3 and 0 <= scores["mpii_pckh-scale@0.5_mpii"] <= 1
    assert scores["h36m_persons"] == 4 and 0 <= scores["h36m_pck-box@0.2_limbs12"] <= 1 and scores["h36m_epe_px_limbs12"] > 0
    testsets = json.loads((project / "reports" / "testsets.json").read_text())
    assert testsets["lspet"]["source"] == "training dataset" and testsets["h36m"]["references"] == ["box_size"]
    for figure in ("examples.png", "per_joint_pck.png", "pck_curve.png", "multi_person.png"):
        assert (project / "reports" / "figures" / figure).stat().st_size > 1000
    assert (project / "reports" / "plots" / "pck_curve.csv").read_text().startswith("dataset,alpha,pck")
    export = json.loads((project / "reports" / "export.json").read_text())
    assert {f"{v}_size_bytes" for v in ("float32", "float16", "int8")} <= set(export)
    assert export["int8_size_bytes"] < export["float16_size_bytes"] < export["float32_size_bytes"]
    assert export["int8_whole_photo_ms_1_thread"] > 0 and 0 <= export["int8_zoom3x_pck@0.2_limbs12"] <= 1
    assert json.loads((project / "models" / "tflite" / "int8.json").read_text())["input"]["dtype"] == "uint8"
    assets = project / "android_app" / "app" / "src" / "main" / "assets"
    assert (assets / "pose_model.tflite").read_bytes() == (project / "models" / "tflite" / "int8.tflite").read_bytes()
    golden = project / "android_app" / "app" / "src" / "test" / "resources" / "golden"
    assert len(list(golden.glob("*.json"))) == 2 and (golden / "tracking" / "sequence.json").is_file()
    trained_with = json.loads((project / "models" / "params.json").read_text())
    assert trained_with["train"]["epochs"] == 2 and trained_with["geometry"]["input_width"] == 96

    second = run([sys.executable, "-m", "dvc", "repro"], project, env)
    assert "Running stage" not in second and "up to date" in second


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_MIRROR / "lspet" / "lspet_dataset.zip").is_file(), reason="no shared mirror")
def test_real_lspet_mirror_download_and_crops(tmp_path, monkeypatch):
    monkeypatch.setenv("POSE_MIRROR", str(SHARED_MIRROR))
    params = load_params(REPO / "params.yaml")
    source = resolve_source("http://sam.johnson.io/research/lspet_dataset.zip", "lspet/lspet_dataset.zip")
    archive = fetch(source, tmp_path / "lspet_dataset.zip", sha256=params.download.sha256["lspet_dataset.zip"],
                    check=check_zip, progress=False)
    root = extract_zip(archive, tmp_path / "raw")
    table, skipped = read_annotations(root)
    assert skipped == [] and len(table) == 10000
    assert table["split"].value_counts().to_dict() == {"train": 8500, "test": 1000, "val": 500}
    assert table["image"].iloc[9000] == "images/im09001.jpg" and table["split"].iloc[9000] == "test"
    subset = table.iloc[::40].reset_index(drop=True)  # 250 images across all splits
    arrays, skipped = build_split(subset, root, 1.3, 128, 96, progress=False)
    assert skipped == [] and arrays["images"].shape == (250, 96, 128, 3)
    # Most labeled joints land inside the crop (the margin leaves room around the person).
    inside = (arrays["keypoints"] >= 0).all(-1) & (arrays["keypoints"] < [128, 96]).all(-1)
    assert inside[arrays["labeled"]].mean() > 0.99


@pytest.mark.slow
def test_dvc_repro_trains_and_evaluates_on_h36m_with_one_params_change(tmp_path):
    """A user with a Human3.6M folder: data.dataset=h36m, and the pipeline runs on it through evaluate."""
    make_h36m_folder(tmp_path / "h36m", subjects=("S1", "S5", "S6", "S7", "S8") * 8 + ("S9", "S11") * 2)
    project, params = copy_project(tmp_path)
    params["data"]["dataset"] = "h36m"
    params["evaluate"].update(datasets=["h36m", "mpii"], multi_person_images=[])
    params["geometry"].update(input_width=64, input_height=64)
    params["train"].update(weights="none", epochs=1, frozen_epochs=0, batch_size=4)
    env = dict(os.environ, POSE_H36M_DIR=str(tmp_path / "h36m"), POSE_PYTHON=sys.executable,
               PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
    env.pop("POSE_MPII_DIR", None)
    output = dvc_repro(project, params, env, "evaluate")
    assert "mpii: not scored" in output
    data = json.loads((project / "reports" / "data.json").read_text())
    assert data["split_counts"] == {"train": 38, "val": 2, "test": 4}
    assert (project / "data" / "raw" / "images").is_dir()
    scores = json.loads((project / "reports" / "metrics.json").read_text())
    assert scores["h36m_persons"] == 4 and 0 <= scores["h36m_pck-box@0.2_limbs12"] <= 1
    assert not any(key.startswith(("lspet_", "mpii_")) for key in scores)



@pytest.mark.slow
def test_dvc_repro_trains_on_lspet_and_coco_at_once_and_scores_each(tmp_path):
    """data.dataset: [lspet, coco] with weights: both downloaded or read, mixed in training, each scored in its own keys."""
    mirror = tmp_path / "mirror"
    (mirror / "lspet").mkdir(parents=True)
    make_lspet_zip(mirror / "lspet" / "lspet_dataset.zip", count=40)
    make_coco_folder(tmp_path / "coco", train_photos=40, test_photos=4)
    project, params = copy_project(tmp_path)
    params["data"].update(dataset=["lspet", "coco"], weights={"lspet": 1, "coco": 3},
                          folders={"lspet": "", "coco": str(tmp_path / "coco")})
    params["download"]["sha256"] = {"lspet_dataset.zip": sha256_of(mirror / "lspet" / "lspet_dataset.zip")}
    params["evaluate"].update(datasets=["lspet"], multi_person_images=["images/im00001.jpg"])  # in LSPET's folder
    params["geometry"].update(input_width=64, input_height=64)
    params["train"].update(weights="none", epochs=1, frozen_epochs=0, batch_size=4)
    env = dict(os.environ, POSE_MIRROR=str(mirror), POSE_PYTHON=sys.executable,
               PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
    output = dvc_repro(project, params, env, "evaluate")

    data = json.loads((project / "reports" / "data.json").read_text())
    assert data["dataset"] == ["lspet", "coco"] and data["persons"] == 84
    assert data["datasets"]["coco"]["split_counts"] == {"train": 38, "val": 2, "test": 4}
    assert (project / "data" / "raw" / "lspet" / "images").is_dir() and (project / "data" / "raw" / "coco" / "val2017").is_dir()
    table = pd.read_csv(project / "data" / "annotations.csv")
    assert table.groupby("dataset")["image"].apply(lambda images: images.str.split("/").str[0].unique().tolist()).to_dict() \
        == {"coco": ["coco"], "lspet": ["lspet"]}
    assert "mixing datasets: lspet 25% of each epoch (34 training persons), coco 75% of each epoch (38 training " \
           "persons)" in output
    validation = json.loads((project / "reports" / "train" / "metrics.json").read_text())["eval"]
    assert {"pck@0.2", "pck@0.2_lspet", "pck@0.2_coco"} <= set(validation)  # pooled, and each dataset's
    testsets = json.loads((project / "reports" / "testsets.json").read_text())
    assert {name: entry["source"] for name, entry in testsets.items()} == {"lspet": "training dataset",
                                                                             "coco": "training dataset"}
    assert testsets["coco"]["references"] == ["box_size"]
    with np.load(project / "data" / "testsets" / "coco" / "shard-00000.npz") as shard:
        assert shard["image"][0] == "val2017/000000000041.jpg"  # as COCO's reader names it, no prefix
    scores = json.loads((project / "reports" / "metrics.json").read_text())
    for name in ("lspet", "coco"):  # both metrics sections, whole photos and crops from labels
        assert scores[f"{name}_persons"] == 4
        for protocol in ("", "-gtcrop", "-zoom2x"):
            assert 0 <= scores[f"{name}{protocol}_pck@0.2_limbs12"] <= 1
    assert 0 <= scores["coco_pck-box@0.2_limbs12"] <= 1 and "lspet_pck-box@0.2_limbs12" not in scores
    assert (project / "reports" / "figures" / "multi_person.png").stat().st_size > 1000
