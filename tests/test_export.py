"""TFLite float32/float16/int8 export of a small model, run through LiteRT as its metadata says."""

import json

import numpy as np
import pytest

from pose.deploy import export
from pose.deploy.calibration import calibration_images
from pose.joints import JOINT_NAMES, NUM_JOINTS
from pose.train.model import build_unet
from pose.params import AugmentParams, params_from_dict


@pytest.fixture(scope="module")
def small_model():
    import keras

    keras.utils.set_random_seed(0)
    return build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).integers(0, 255, (6, 64, 64, 3), dtype=np.uint8)


@pytest.mark.slow
@pytest.mark.parametrize("variant, tolerance", [("float32", 1e-4), ("float16", 2e-2), ("int8", 0.08)])
def test_variant_matches_keras_through_litert(tmp_path, small_model, images, variant, tolerance):
    params = params_from_dict({"geometry": {"input_width": 64, "input_height": 64}})
    blob = export.convert(small_model, variant, images)
    (tmp_path / f"{variant}.tflite").write_bytes(blob)
    meta = export.metadata(blob, variant, params, "model.keras")
    (tmp_path / f"{variant}.json").write_text(json.dumps(meta))
    assert meta["input"] == {**meta["input"], "width": 64, "height": 64,
                             "dtype": "uint8" if variant == "int8" else "float32"}
    assert meta["output"]["width"] == 16 and meta["output"]["joints"] == NUM_JOINTS
    assert meta["joint_names"] == list(JOINT_NAMES)
    lite = export.LiteModel(tmp_path / f"{variant}.tflite", threads=1)
    expected = np.asarray(small_model.predict_on_batch(images.astype(np.float32)))
    np.testing.assert_allclose(lite(images), expected, atol=tolerance)
    if variant == "int8":
        assert lite.raw(images[0]).dtype == np.uint8 and meta["output"]["scale"] < 0.01
    assert export.latency_ms(lite, images[0], runs=3, warmup=1) > 0


def test_lite_model_reads_scale_and_zero_point_from_the_json(tmp_path, small_model, images):
    blob = export.convert(small_model, "float32")
    (tmp_path / "m.tflite").write_bytes(blob)
    meta = export.metadata(blob, "float32", params_from_dict({}), "model.keras")
    meta["output"].update(scale=2.0, zero_point=1)  # a doctored JSON must change the decoded output
    (tmp_path / "m.json").write_text(json.dumps(meta))
    lite = export.LiteModel(tmp_path / "m.tflite")
    np.testing.assert_allclose(lite(images[:1]), (lite.raw(images[0]) - 1) * 2.0, atol=1e-6)


def test_golden_vectors_decode_back_to_their_keypoints(tmp_path, small_model, images):
    from pose.codec.decode import decode
    from pose.deploy.golden import write_golden

    blob = export.convert(small_model, "int8", images)
    (tmp_path / "int8.tflite").write_bytes(blob)
    (tmp_path / "int8.json").write_text(json.dumps(export.metadata(blob, "int8", params_from_dict({}), "m.keras")))
    lite = export.LiteModel(tmp_path / "int8.tflite")
    names = write_golden(lite, images[:2], ["images/a.jpg", "images/b.jpg"], tmp_path / "golden")
    assert names == ["a", "b"]
    record = json.loads((tmp_path / "golden" / "b.json").read_text())
    np.testing.assert_array_equal(np.frombuffer((tmp_path / "golden" / "b.input.bin").read_bytes(), np.uint8)
                                  .reshape(record["input_shape"]), images[1])
    raw = np.frombuffer((tmp_path / "golden" / "b.output.bin").read_bytes(), np.uint8).reshape(record["output_shape"])
    heatmaps = (raw.astype(np.float32) - record["output_zero_point"]) * record["output_scale"]
    keypoints, _ = decode(heatmaps[None], record["decoder"])
    np.testing.assert_allclose(keypoints[0], record["keypoints_heatmap"], atol=1e-5)
    np.testing.assert_allclose((keypoints[0] + 0.5) * 4 - 0.5, record["keypoints_input"], atol=1e-4)


def test_int8_losing_too_much_stops_with_a_sentence():
    from pose.errors import PoseError

    export.check_pck_drop({"int8_gtcrop_pck_drop_all": 0.01}, "int8", 0.02)
    with pytest.raises(PoseError, match="int8 model loses 0.030 PCK@0.2 .* quantize.max_pck_drop = 0.02"):
        export.check_pck_drop({"int8_gtcrop_pck_drop_all": 0.03}, "int8", 0.02)


def person_splits(count, side=32, context_side=128):
    """A training split whose tight crops are all person (white), and its context crops: the same
    white person, ``side`` pixels across, in the middle of a black photo (identity crop-to-photo map)."""
    rng = np.random.default_rng(0)
    low, high = (context_side - side) / 2, (context_side + side) / 2
    corners = np.array([[low, low], [high, low], [low, high], [high, high]], np.float32)
    keypoints = np.concatenate([corners, rng.uniform(low, high, (NUM_JOINTS - 4, 2))]).astype(np.float32)
    context_image = np.zeros((context_side, context_side, 3), np.uint8)
    context_image[int(low):int(high), int(low):int(high)] = 255
    tight = {"images": np.full((count, side, side, 3), 255, np.uint8),
             "keypoints": np.tile(keypoints, (count, 1, 1)), "labeled": np.ones((count, NUM_JOINTS), bool)}
    context = {"images": np.tile(context_image, (count, 1, 1, 1)), "keypoints": tight["keypoints"],
               "labeled": tight["labeled"], "photo_size": np.full((count, 2), context_side, np.int32),
               "crop_to_image": np.tile(np.array([[1.0, 0, 0], [0, 1.0, 0]]), (count, 1, 1))}
    return tight, context


def test_calibration_without_loose_share_is_the_seeded_choice_of_tight_crops():
    tight, _ = person_splits(50)
    tight["images"] = np.arange(50, dtype=np.uint8)[:, None, None, None] * np.ones((1, 32, 32, 3), np.uint8)
    chosen = calibration_images(tight, None, 20, 0.0, seed=3, augmentation=AugmentParams())
    expected = np.sort(np.random.default_rng(3).choice(50, 20, replace=False))
    np.testing.assert_array_equal(chosen[:, 0, 0, 0], expected)
    assert len(calibration_images(tight, None, 500, 0.0, seed=3, augmentation=AugmentParams())) == 50


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_calibration_frames_its_loose_share_with_the_person_small(share):
    tight, context = person_splits(200)
    images = calibration_images(tight, context, 200, share, seed=0, augmentation=AugmentParams())
    assert images.shape == (200, 32, 32, 3) and images.dtype == np.uint8
    person_share = (images[..., 0] > 127).mean(axis=(1, 2))  # tight crops: 1, the whole frame is person
    loose = person_share < 0.99
    assert abs(loose.mean() - share) < 0.1
    # loose_margin 2..6.5 person sizes: the person covers (1/6.5)^2 .. (1/2)^2 of the frame
    assert (person_share[loose] > 0.015).all() and (person_share[loose] < 0.3).all()
