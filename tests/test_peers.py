"""Peer comparison plumbing (pose/peers.py, benchmarks/mediapipe_runner.py), without MediaPipe installed."""

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from pose.reports import peers
from pose.data.crop import apply_affine, crop_affine, invert_affine
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, JOINT_NAMES, NUM_JOINTS
from pose.metrics import JOINT_GROUPS

REPO = Path(__file__).resolve().parents[1]
# MediaPipe Pose's landmark names by index, from its documentation (BlazePose topology), written
# out here independently of pose/peers.py so a wrong index or a left/right swap there fails.
MEDIAPIPE_NAMES = {
    11: "left_shoulder", 12: "right_shoulder", 13: "left_elbow", 14: "right_elbow", 15: "left_wrist",
    16: "right_wrist", 23: "left_hip", 24: "right_hip", 25: "left_knee", 26: "right_knee",
    27: "left_ankle", 28: "right_ankle",
}


def load_runner():
    spec = importlib.util.spec_from_file_location("mediapipe_runner", REPO / "benchmarks" / "mediapipe_runner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # imports numpy, cv2 and pose only: mediapipe is imported in main()
    return module


def test_mapping_covers_exactly_the_limbs12_group_with_the_documented_landmarks():
    assert {JOINT_INDEX[name] for name in peers.MEDIAPIPE_TO_MPII} == set(JOINT_GROUPS["limbs12"])
    for name, landmark in peers.MEDIAPIPE_TO_MPII.items():
        side, part = name.split("_", 1)
        assert MEDIAPIPE_NAMES[landmark] == {"r": "right", "l": "left"}[side] + "_" + part


def test_landmarks_land_on_their_mpii_joints_and_the_rest_stay_nan():
    landmarks = np.stack([np.arange(33.0), 100 + np.arange(33.0)], -1)[None]  # landmark i at (i, 100 + i)
    keypoints = peers.mediapipe_to_mpii(landmarks, [True])
    assert keypoints.shape == (1, NUM_JOINTS, 2)
    np.testing.assert_array_equal(keypoints[0, JOINT_INDEX["r_ankle"]], [28, 128])
    np.testing.assert_array_equal(keypoints[0, JOINT_INDEX["l_wrist"]], [15, 115])
    np.testing.assert_array_equal(keypoints[0, JOINT_INDEX["r_shoulder"]], [12, 112])
    for name in ("pelvis", "thorax", "upper_neck", "head_top"):
        assert np.isnan(keypoints[0, JOINT_INDEX[name]]).all()
    with pytest.raises(ValueError, match="33"):
        peers.mediapipe_to_mpii(np.zeros((1, 17, 2)), [True])


def test_normalized_landmarks_go_to_photo_pixels_edges_to_pixel_edges():
    size = (200, 100)  # width, height of the image MediaPipe was given
    normalized = np.array([[[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]]])
    np.testing.assert_allclose(peers.normalized_to_photo(normalized, size),
                               [[[-0.5, -0.5], [199.5, 99.5], [99.5, 49.5]]])
    region_to_photo = np.array([[1.0, 0, 30], [0, 1.0, 40]])  # the region started at photo pixel (30, 40)
    np.testing.assert_allclose(peers.normalized_to_photo(normalized, size, region_to_photo)[0, 2], [129.5, 89.5])


def test_native_region_cuts_the_crop_region_without_resampling():
    rng = np.random.default_rng(0)
    photo = rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)
    image_to_crop = crop_affine((210.3, 140.8), 100.0, 1.3, 128, 128)  # zoom 128 / 130 crop px per photo px
    crop_to_image = invert_affine(image_to_crop)[None]
    photo_to_region, size = peers.native_region(crop_to_image, 128, 128)
    assert tuple(size[0]) == (130, 130)
    region = peers.cut_region(photo, photo_to_region[0], size[0])
    left, top = (-photo_to_region[0, :, 2]).astype(int)
    np.testing.assert_array_equal(region, photo[top:top + 130, left:left + 130])  # an exact copy
    # the crop's centre and the region's centre are the same photo point (within the rounding)
    crop_centre = apply_affine(np.array([[63.5, 63.5]]), crop_to_image[0])
    region_centre = apply_affine(np.array([[64.5, 64.5]]), invert_affine(photo_to_region[0]))
    np.testing.assert_allclose(crop_centre, region_centre, atol=0.5)
    # twice the side, same centre; outside the photo is black like the model's crops
    wide, wide_size = peers.native_region(crop_to_image, 128, 128, scale=2.0)
    assert tuple(wide_size[0]) == (260, 260)
    wide_centre = apply_affine(np.array([[129.5, 129.5]]), invert_affine(wide[0]))
    np.testing.assert_allclose(wide_centre, crop_centre, atol=0.5)
    short_photo = photo[:250]  # the wide region reaches photo row 270
    assert (peers.cut_region(short_photo, wide[0], wide_size[0])[-1] == 0).all()
    assert (peers.cut_region(photo, wide[0], wide_size[0])[-1] != 0).any()


def two_persons():
    """Sample arrays of two persons with every joint labeled, crop pixels == photo pixels."""
    rng = np.random.default_rng(1)
    keypoints = rng.uniform(20, 100, (2, NUM_JOINTS, 2)).astype(np.float32)
    keypoints[:, JOINT_INDEX["l_shoulder"]] = (40, 30)
    keypoints[:, JOINT_INDEX["r_hip"]] = (40, 80)  # torso 50 px: PCK@0.2 threshold 10 px
    identity = np.tile(np.array([[1.0, 0, 0], [0, 1.0, 0]]), (2, 1, 1))
    return {"keypoints": keypoints, "labeled": np.ones((2, NUM_JOINTS), bool), "visible": np.ones((2, NUM_JOINTS), bool),
            "crop_to_image": identity, "person_size": np.full(2, 100.0, np.float32),
            "image": np.array(["a.jpg", "b.jpg"]), "images": np.zeros((2, 8, 8, 3), np.uint8)}


def test_a_missed_person_counts_as_all_joints_wrong():
    arrays = two_persons()
    landmarks = np.zeros((2, 33, 2))
    for name, landmark in peers.MEDIAPIPE_TO_MPII.items():
        landmarks[:, landmark] = arrays["keypoints"][:, JOINT_INDEX[name]] + 3.0  # 4.2 px off: within 10 px
    both = peers.limb_scores(peers.mediapipe_to_mpii(landmarks, [True, True]), arrays)
    assert both["pck@0.2_limbs12"] == 1.0
    one_missed = peers.limb_scores(peers.mediapipe_to_mpii(landmarks, [True, False]), arrays)
    assert one_missed["pck@0.2_limbs12"] == 0.5  # 12 of 24 labeled limb joints, not 12 of 12
    assert one_missed["pck@0.2_l_knee"] == 0.5
    assert set(one_missed) == {"pck@0.2_limbs12"} | {f"pck@0.2_{name}" for name in peers.MEDIAPIPE_TO_MPII}
    # and ours is scored by the same function: only the limbs count, head/pelvis errors do not
    ours = arrays["keypoints"].astype(np.float64).copy()
    ours[:, JOINT_INDEX["head_top"]] += 500
    assert peers.limb_scores(ours, arrays)["pck@0.2_limbs12"] == 1.0


def test_runner_maps_landmarks_back_to_the_photo_and_flags_misses(tmp_path):
    runner = load_runner()
    photo = np.zeros((120, 160, 3), np.uint8)
    cv2.imwrite(str(tmp_path / "p.png"), photo)
    offset = np.array([[1.0, 0, -30], [0, 1.0, -20]])  # region starts at photo pixel (30, 20)
    request = {"crop_photo_to_input": np.stack([offset, offset]), "crop_input_size": np.array([[64, 48], [64, 48]])}
    seen = []

    class FakePose:  # stands in for mp.solutions.pose.Pose: one landmark at the input's centre
        def __init__(self):
            self.calls = 0

        def process(self, image):
            self.calls += 1
            seen.append(image.shape)
            if self.calls > 3 + 1:  # warm-up (3) and the first image find a person, the second does not
                return SimpleNamespace(pose_landmarks=None)
            point = SimpleNamespace(x=0.5, y=0.5, visibility=0.9)
            return SimpleNamespace(pose_landmarks=SimpleNamespace(landmark=[point] * 33))

    landmarks, visibility, detected, latency = runner.run_mode(
        FakePose(), [tmp_path / "p.png"] * 2, "crop", request, warmup=3)
    assert seen[0] == (48, 64, 3)
    np.testing.assert_allclose(landmarks[0, 0], [30 + 31.5, 20 + 23.5])  # 0.5 * 64 - 0.5 + 30
    assert detected.tolist() == [True, False] and np.isnan(landmarks[1]).all()
    assert visibility[0, 0] == pytest.approx(0.9) and (latency >= 0).all()
    # whole-photo mode: no region in the request
    landmarks, *_ = runner.run_mode(FakePose(), [tmp_path / "p.png"], "photo", {}, warmup=0)
    np.testing.assert_allclose(landmarks[0, 0], [79.5, 59.5])


def test_runner_blocks_the_network():
    code = textwrap.dedent("""
        import socket, sys
        sys.path.insert(0, "benchmarks")
        import mediapipe_runner as runner
        runner.block_network()
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        except OSError as error:
            print("blocked:", error, len(runner.NETWORK_ATTEMPTS))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert "blocked: network blocked" in done.stdout and done.stdout.strip().endswith("1"), done.stderr


def test_missing_mediapipe_venv_names_the_setup_command(tmp_path, monkeypatch):
    monkeypatch.delenv("POSE_MEDIAPIPE_PYTHON", raising=False)
    with pytest.raises(PoseError, match=r"make peers-setup.*requirements-mediapipe\.txt"):
        peers.mediapipe_python(tmp_path / "nowhere" / "python")


def test_the_default_runner_and_the_package_it_imports_are_found():
    assert (peers.REPO_ROOT / "benchmarks" / "mediapipe_runner.py").is_file()
    assert (peers.REPO_ROOT / "pose" / "reports" / "peers.py").is_file()


def test_run_mediapipe_round_trip_through_a_stand_in_runner(tmp_path):
    # The request/result protocol, with a runner that answers like the real one (no mediapipe).
    fake = tmp_path / "runner.py"
    fake.write_text(textwrap.dedent("""
        import argparse, json
        import numpy as np
        parser = argparse.ArgumentParser()
        for name in ("--request", "--result", "--modes", "--warmup"):
            parser.add_argument(name)
        args = parser.parse_args()
        request = np.load(args.request)
        n = len(request["photos"])
        out = {}
        for mode in args.modes.split(","):
            assert (f"{mode}_photo_to_input" in request.files) == (mode == "crop")
            out[f"{mode}_landmarks"] = np.ones((n, 33, 2))
            out[f"{mode}_visibility"] = np.ones((n, 33))
            out[f"{mode}_detected"] = np.arange(n) % 2 == 0
            out[f"{mode}_latency_ms"] = np.full(n, 7.0)
        meta = {"cpu_affinity": [0], "network_attempts": [], "modes": args.modes}
        np.savez(args.result, meta=np.asarray(json.dumps(meta)), **out)
    """))
    region = (np.zeros((3, 2, 3)), np.ones((3, 2), int))
    results, meta = peers.run_mediapipe(sys.executable, ["a", "b", "c"], {"crop": region, "photo": None},
                                        timed=2, runner=fake)
    assert meta["modes"] == "crop,photo"
    assert results["photo"]["landmarks"].shape == (2, 33, 2)
    assert results["crop"]["detected"].tolist() == [True, False]
    failing = tmp_path / "failing.py"
    failing.write_text("import sys; sys.exit('error: something broke')")
    with pytest.raises(PoseError, match="something broke"):
        peers.run_mediapipe(sys.executable, ["a"], {"photo": None}, runner=failing)


def test_committed_peers_report_has_every_row_and_key():
    path = REPO / "reports" / "peers.json"
    if not path.exists():
        pytest.skip("reports/peers.json not generated yet (make peers)")
    report = json.loads(path.read_text())
    for key in ("ours_int8_photo", "ours_int8_zoom2x", "ours_int8_zoom3x", "ours_int8_gtcrop", "ours_float32_gtcrop",
                "mediapipe_full_crop", "mediapipe_full_photo", "mediapipe_full_zoom2x", "mediapipe_full_zoom3x"):
        entry = report[key]
        for field in ("pck@0.2_limbs12", "latency_ms_1_thread", "latency_ms_2_threads", "size_bytes",
                      "missed_persons", "persons"):
            assert entry[field] is not None, (key, field)
        assert 0 <= entry["pck@0.2_limbs12"] <= 1 and entry["persons"] == report["meta"]["persons"]
    assert report["meta"]["mediapipe_network_attempts"] == 0
    assert set(JOINT_NAMES) >= {key.split("pck@0.2_")[1] for key in report["ours_int8_photo"]
                                if key.startswith("pck@0.2_") and key != "pck@0.2_limbs12"}
