"""Scoring in photo pixels, stable metric keys, persons not found, the zoomed-out canvases."""

import numpy as np
import pytest

from pose.data.crop import apply_affine, crop_affine, invert_affine
from pose.evaluation.scoring import predict_heatmaps, score
from pose.joints import JOINT_NAMES, NUM_JOINTS


def split_arrays(count=6, seed=0):
    rng = np.random.default_rng(seed)
    keypoints = rng.uniform(10, 54, (count, NUM_JOINTS, 2)).astype(np.float32)
    affines = np.stack([invert_affine(crop_affine((100 + 10 * i, 80), 60, 1.2, 64, 64)) for i in range(count)])
    return {"keypoints": keypoints, "crop_to_image": affines, "labeled": np.ones((count, NUM_JOINTS), bool)}


def test_perfect_prediction_scores_one_and_zero_pixels():
    arrays = split_arrays()
    from pose.data.crop import apply_affine

    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    metrics, ranking = score(truth, arrays, "lspet")
    assert metrics["lspet_pck@0.2_all"] == 1.0 and metrics["lspet_pckh-neck@0.5_limbs12"] == 1.0
    assert metrics["lspet_epe_px_all"] == pytest.approx(0.0, abs=1e-4)
    np.testing.assert_allclose(ranking, 0.0, atol=1e-5)


def test_metric_keys_are_stable_and_named_by_convention():
    arrays = split_arrays()
    metrics, _ = score(np.zeros((6, NUM_JOINTS, 2)), arrays, "lspet")
    expected = {"lspet_persons", "lspet_labeled_joints"}
    for group in ("all", "limbs12", "mpii"):
        expected |= {f"lspet_pck@0.2_{group}", f"lspet_pckh-neck@0.5_{group}", f"lspet_epe_px_{group}"}
    expected |= {f"lspet_pck@0.2_{name}" for name in JOINT_NAMES}
    assert set(metrics) == expected
    boxes = np.tile([[0, 0, 10, 10]], (6, 1))
    with_boxes, _ = score(np.zeros((6, NUM_JOINTS, 2)), arrays, "mpii", head_boxes=boxes)
    assert "mpii_pckh@0.5_mpii" in with_boxes


def test_errors_are_in_photo_pixels():
    arrays = split_arrays()
    from pose.data.crop import apply_affine

    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    metrics, _ = score(truth + (3.0, 4.0), arrays, "lspet")
    assert metrics["lspet_epe_px_all"] == pytest.approx(5.0, abs=1e-4)


def test_flip_test_keeps_a_mirror_consistent_model_and_averages_a_biased_one():
    def follows_image(batch):  # heatmap = the image's red channel, downsampled
        return batch[:, ::4, ::4, :1].repeat(NUM_JOINTS, axis=-1) / 255

    def always_left(batch):  # ignores the image: bright on the left whatever it sees
        maps = np.zeros((len(batch), 4, 4, NUM_JOINTS), np.float32)
        maps[:, :, :2] = 1.0
        return maps

    images = np.zeros((1, 16, 16, 3), np.uint8)
    images[0, :, :8, 0] = 255  # left half bright
    np.testing.assert_allclose(predict_heatmaps(follows_image, images, flip_test=True),
                               predict_heatmaps(follows_image, images))
    np.testing.assert_allclose(predict_heatmaps(always_left, images, flip_test=True), 0.5)


def test_example_indices_pick_best_median_worst_and_skip_unranked():
    from pose.evaluation.scoring import example_indices

    ranking = np.array([0.5, np.nan, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6])
    chosen = example_indices(ranking, per_group=2)
    np.testing.assert_array_equal(ranking[chosen], [0.1, 0.2, 0.4, 0.5, 0.8, 0.9])


def test_a_person_not_found_counts_wrong_in_pck_and_is_left_out_of_the_pixel_error():
    arrays = split_arrays(count=4)
    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    predicted = truth + 1.0
    predicted[0] = np.nan  # nobody found in the first photo
    metrics, _ = score(predicted, arrays, "lspet")
    assert metrics["lspet_pck@0.2_all"] == pytest.approx(0.75)
    assert metrics["lspet_epe_px_all"] == pytest.approx(np.sqrt(2), abs=1e-6)


def test_scoring_leaves_its_inputs_alone_so_a_missed_person_stays_wrong_in_later_scores():
    # evaluate and quantize score one test set's arrays again and again (photos, canvases,
    # variants): the first miss must not turn that person's joints unlabeled for the next score
    arrays = split_arrays(count=4)
    labeled_before = arrays["labeled"].copy()
    predicted = apply_affine(arrays["keypoints"], arrays["crop_to_image"]) + 1.0
    predicted[0] = np.nan
    first, _ = score(predicted, arrays, "lspet")
    second, _ = score(predicted, arrays, "lspet")
    np.testing.assert_array_equal(arrays["labeled"], labeled_before)
    assert second == first and second["lspet_pck@0.2_all"] == pytest.approx(0.75)


def test_zoomed_out_canvases_hold_the_photo_at_a_seeded_place_in_a_textured_mosaic():
    from pose.evaluation.canvas import ZoomedOutPhotos, shifted

    rng = np.random.default_rng(0)
    photos = {f"p{i}.jpg": rng.integers(0, 256, (40 + i, 60, 3), dtype=np.uint8) for i in range(3)}
    names = list(photos)
    canvases = ZoomedOutPhotos(photos.__getitem__, names, 3, seed=5)
    canvas = canvases("p1.jpg")
    (x, y), = canvases.offsets(np.array(["p1.jpg"]))
    assert canvas.shape == (3 * 41, 180, 3)
    np.testing.assert_array_equal(canvas[int(y):int(y) + 41, int(x):int(x) + 60], photos["p1.jpg"])
    outside = np.ones(canvas.shape[:2], bool)
    outside[int(y):int(y) + 41, int(x):int(x) + 60] = False
    assert canvas[outside].std() > 30  # textured all around, not a flat border
    np.testing.assert_array_equal(canvas, ZoomedOutPhotos(photos.__getitem__, names, 3, seed=5)("p1.jpg"))
    assert not np.array_equal(canvas, ZoomedOutPhotos(photos.__getitem__, names, 3, seed=6)("p1.jpg"))
    arrays = split_arrays(count=2)
    moved = shifted(arrays, np.array([[10.0, 20.0], [0.0, 5.0]]))
    np.testing.assert_allclose(apply_affine(moved["keypoints"], moved["crop_to_image"]),
                               apply_affine(arrays["keypoints"], arrays["crop_to_image"]) + np.array([[[10, 20]], [[0, 5]]]))


def test_the_validation_search_scores_a_person_not_found_as_all_joints_wrong(monkeypatch):
    # benchmarks/finder_validation.py chooses recipes on validation; a search that finds nobody must
    # count as it does in evaluate, not by the low-confidence keypoints it happened to return
    import importlib.util
    from pathlib import Path

    import pose.inference.person as person_module
    from pose.inference.person import Person

    spec = importlib.util.spec_from_file_location(
        "finder_validation", Path(__file__).resolve().parents[1] / "benchmarks" / "finder_validation.py")
    finder_validation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(finder_validation)
    arrays = split_arrays(count=4)
    arrays["image"] = np.array([f"p{i}.jpg" for i in range(4)])
    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    confidence = np.full(NUM_JOINTS, 0.5, np.float32)

    def exact_but_p0_not_found(model, frames, settings, batch_size):  # the right joints every time; p0 below the threshold
        return [Person(truth[int(frame)], confidence, 0.5, int(frame) != 0, np.eye(2, 3), [np.eye(2, 3)])
                for frame in frames]

    monkeypatch.setattr(person_module, "find_person_in_each", exact_but_p0_not_found)
    framings = {"whole": (lambda name: name[1:-4], arrays)}
    row = finder_validation.framing_scores(None, None, framings, "lspet")
    assert row["whole_pck@0.2_limbs12"] == pytest.approx(0.75)
