"""The download stage's two ways in: archives over real HTTP (MPII's tar.gz + zip), or a user's folder."""

import dataclasses
import importlib.util
import io
import tarfile
import zipfile

import pytest

from pose.data.datasets import DATASETS, RemoteArchive
from pose.errors import PoseError
from pose.params import params_from_dict
from tests.conftest import REPO
from tests.dataset_fixtures import make_h36m_folder, make_mpii_mat_folder


def stage_module():
    spec = importlib.util.spec_from_file_location("download_stage", REPO / "stages" / "download.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mpii_archives(tmp_path):
    """The two upstream MPII archives, in miniature: images tar.gz and the annotation zip."""
    folder = tmp_path / "mpii-source"
    make_mpii_mat_folder(folder)
    images = io.BytesIO()
    with tarfile.open(fileobj=images, mode="w:gz") as archive:
        archive.add(folder / "images", arcname="images")
    annotations = io.BytesIO()
    with zipfile.ZipFile(annotations, "w") as archive:
        archive.write(folder / "mpii_human_pose_v1_u12_2" / "mpii_human_pose_v1_u12_1.mat",
                      "mpii_human_pose_v1_u12_2/mpii_human_pose_v1_u12_1.mat")
    return images.getvalue(), annotations.getvalue()


def download_from_mirror(name, file_server, monkeypatch, tmp_path):
    """The download stage's fetch-and-extract of dataset ``name`` from the local server as POSE_MIRROR."""
    monkeypatch.setenv("POSE_MIRROR", file_server.url)
    # The real archive sizes (13-20 GB) would fail the free-disk check on a small test disk.
    small = dataclasses.replace(DATASETS[name], archives=tuple(
        dataclasses.replace(archive, approx_bytes=1000) for archive in DATASETS[name].archives))
    params = params_from_dict({"data": {"dataset": name}})
    return stage_module().download_and_extract(small, params, tmp_path / "downloads", tmp_path / "raw")


def test_mpii_downloads_both_archives_over_http_and_reads_the_mat(tmp_path, file_server, monkeypatch):
    images, annotations = mpii_archives(tmp_path)
    file_server.files = {"/mpii/mpii_human_pose_v1.tar.gz": images, "/mpii/mpii_human_pose_v1_u12_2.zip": annotations}
    table, skipped = download_from_mirror("mpii", file_server, monkeypatch, tmp_path)
    assert list(table["image"]) == ["images/000000001.jpg", "images/000000003.jpg"]
    assert (tmp_path / "raw" / "images" / "000000003.jpg").is_file()
    assert {path for path, _ in file_server.requests} == set(file_server.files)
    assert "head_x1" in table and len(skipped) == 2


def test_coco_downloads_its_three_archives_over_http_and_reads_the_keypoints(tmp_path, file_server, monkeypatch):
    from tests.dataset_fixtures import FULL_BODY, annotation, write_coco

    source = tmp_path / "coco-source"
    write_coco(source, "train", {1: (64, 96), 2: (80, 60)}, [annotation(1, 1, FULL_BODY), annotation(2, 2, {}, crowd=1)])
    write_coco(source, "val", {3: (50, 70)}, [annotation(3, 3, FULL_BODY)])
    archives = {}
    for name, members in (("annotations_trainval2017.zip", source.glob("annotations/*.json")),
                          ("val2017.zip", source.glob("val2017/*.jpg")), ("train2017.zip", source.glob("train2017/*.jpg"))):
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w") as archive:
            for member in members:
                archive.write(member, str(member.relative_to(source)))
        archives[f"/coco/{name}"] = data.getvalue()
    file_server.files = archives
    table, skipped = download_from_mirror("coco", file_server, monkeypatch, tmp_path)
    assert list(table["image"]) == ["train2017/000000000001.jpg", "val2017/000000000003.jpg"]
    assert list(table["split"]) == ["train", "test"] and "box_size" in table
    assert skipped == [("train2017/000000000002.jpg", "crowd region (iscrowd)")]
    assert {path for path, _ in file_server.requests} == set(file_server.files)


def test_download_refuses_to_start_without_disk_space(tmp_path):
    huge = dataclasses.replace(DATASETS["mpii"], archives=(RemoteArchive("x.zip", "http://127.0.0.1:9/x.zip", "x.zip", 10**18),))
    with pytest.raises(PoseError, match="needs about"):
        stage_module().download_and_extract(huge, params_from_dict({}), tmp_path / "downloads", tmp_path / "raw")


def test_a_users_folder_is_linked_into_raw_not_downloaded(tmp_path):
    make_h36m_folder(tmp_path / "h36m")
    table, skipped = stage_module().take_local_folder(DATASETS["h36m"], tmp_path / "h36m", tmp_path / "raw")
    assert skipped == [] and len(table) == 4
    linked = tmp_path / "raw" / table["image"].iloc[0]
    assert linked.is_file() and linked.stat().st_ino == (tmp_path / "h36m" / table["image"].iloc[0]).stat().st_ino


def stage_error(tmp_path, params_text, monkeypatch, capsys):
    """Run the download stage with ``params_text`` as params.yaml; it must stop: its stderr."""
    (tmp_path / "params.yaml").write_text(params_text)
    monkeypatch.setattr("sys.argv", ["download.py", "--params", str(tmp_path / "params.yaml"), "--downloads",
                                     str(tmp_path / "d"), "--raw", str(tmp_path / "r"), "--annotations",
                                     str(tmp_path / "a.csv"), "--report", str(tmp_path / "report.json")])
    with pytest.raises(SystemExit):
        stage_module().main()
    return capsys.readouterr().err


def test_h36m_without_a_folder_stops_with_where_the_data_comes_from(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("POSE_H36M_DIR", raising=False)
    error = stage_error(tmp_path, "data:\n  dataset: h36m\n  folders:\n    h36m: $POSE_H36M_DIR\n", monkeypatch, capsys)
    assert "POSE_H36M_DIR" in error and "licence" in error and "data.folders.h36m" in error
    assert error.count("\n") == 1
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "r").exists()


def test_a_dataset_without_training_persons_is_refused_with_the_counts(tmp_path, monkeypatch, capsys):
    make_h36m_folder(tmp_path / "h36m", name="test_h36m.npz")  # the file name makes every frame test
    error = stage_error(tmp_path, f"data:\n  dataset: h36m\n  folders:\n    h36m: {tmp_path / 'h36m'}\n",
                        monkeypatch, capsys)
    assert "no persons for the train and val split" in error and "'test': 4" in error
    assert not (tmp_path / "a.csv").exists()
