"""Bad params stop with one sentence naming the key."""

import dataclasses

import pytest

from pose.errors import PoseError
from pose.params import Params, load_params, params_from_dict


@pytest.mark.parametrize("raw, message", [
    ({"data": {"dataset": "crowdpose"}}, r"data.dataset names 'crowdpose', not a known dataset; choose one of lspet"),
    ({"heatmaps": {"sigma": 0}}, r"heatmaps.sigma = 0.0 must be positive"),
    ({"heatmaps": {"sigma": -1.5}}, r"heatmaps.sigma = -1.5 must be positive"),
    ({"geometry": {"input_width": 130, "output_stride": 4}}, r"geometry.output_stride = 4 does not divide geometry.input_width = 130"),
    ({"geometry": {"output_stride": 0}}, r"geometry.output_stride must be a positive"),
    ({"heatmaps": {"method": "box"}}, r"heatmaps.method = 'box' is unknown"),
    ({"heatmaps": {"sigmaa": 2}}, r"unknown key heatmaps.sigmaa"),
    ({"heatmaps": {"crop_margin": 1.3}}, r"unknown key heatmaps.crop_margin"),
    ({"crops": {"margin": 0.5}}, r"crops.margin = 0.5 must be at least 1"),
    ({"train": {"decoder_width": 0}}, r"train.decoder_width = 0.0 must be in \(0, 4\]"),
    ({"train": {"epochs": 17, "fine_tune_warmup_epochs": 15}}, r"train.fine_tune_warmup_epochs = 15.0 must be 0 \(off\) or positive and shorter than the 15 fine-tuning epochs"),
    ({"train": {"fine_tune_warmup_epochs": -1}}, r"train.fine_tune_warmup_epochs = -1.0 must be 0"),
    ({"train": {"augment": {"half_body_probability": -0.1}}}, r"train.augment.half_body_probability = -0.1 must be between 0 and 1"),
    ({"train": {"augment": {"shift_range": 0.6}}}, r"train.augment.shift_range = 0.6 must be between 0 \(off\) and 0.5"),
    ({"train": {"augment": {"occlusion_probability": 1.5}}}, r"train.augment.occlusion_probability = 1.5 must be between 0 and 1"),
    ({"quantize": {"loose_share": 1.5}}, r"quantize.loose_share = 1.5 must be a share between 0 and 1"),
    ({"inference": {"settle_iou": 1.2}}, r"inference.settle_iou = 1.2 must be an overlap between 0 and 1"),
    ({"evaluate": {"decoder": "softargmax"}}, r"evaluate.decoder = 'softargmax' is unknown; choose one of argmax"),
    ({"deploy": {"variant": "int4"}}, r"deploy.variant = 'int4' is unknown; choose one of float32"),
    ({"geometry": {"input_width": "big"}}, r"geometry.input_width = 'big' must be of type int"),
    ({"download": {"sha256": {"a.zip": "abc"}}}, r"download.sha256.a.zip must be a 64-character"),
])
def test_bad_values_name_the_key(raw, message):
    with pytest.raises(PoseError, match=message):
        params_from_dict(raw)


def test_project_params_file_is_valid():
    params = load_params("params.yaml")
    assert params.geometry.heatmap_width * params.geometry.output_stride == params.geometry.input_width


def test_defaults_in_code_equal_params_yaml():
    """The dataclass defaults and params.yaml say the same, so no reader meets two defaults."""
    assert dataclasses.asdict(Params()) == dataclasses.asdict(load_params("params.yaml"))


def test_choices_come_from_the_registries():
    from pose.codec.decode import DECODERS
    from pose.codec.heatmaps import RENDERERS
    from pose.train.losses import LOSSES

    for key, registry in (("evaluate", {"decoder": DECODERS}), ("heatmaps", {"method": RENDERERS}),
                          ("train", {"loss": LOSSES})):
        (field, names), = registry.items()
        for name in names:
            assert getattr(getattr(params_from_dict({key: {field: name}}), key), field) == name


def test_missing_file_is_named(tmp_path):
    with pytest.raises(PoseError, match="nothere.yaml does not exist"):
        load_params(tmp_path / "nothere.yaml")


def test_non_square_geometry():
    params = params_from_dict({"geometry": {"input_width": 96, "input_height": 128, "output_stride": 8}})
    assert (params.geometry.heatmap_width, params.geometry.heatmap_height) == (12, 16)


@pytest.mark.parametrize("raw, message", [
    ({"train": {"backbone": "vgg16"}}, r"train.backbone = 'vgg16' is unknown; choose one of mobilenet_v2"),
    ({"train": {"loss": "l1"}}, r"train.loss = 'l1' is unknown"),
    ({"train": {"epochs": -1}}, r"train.epochs = -1 must be at least 1"),
    ({"train": {"frozen_epochs": -2}}, r"train.frozen_epochs = -2 must be between 0 and train.epochs"),
    ({"train": {"weights": "coco"}}, r"train.weights = 'coco' is unknown"),
    ({"train": {"deterministic": "yes"}}, r"train.deterministic = 'yes' must be of type bool"),
    ({"train": {"augment": {"rotation": 10}}}, r"unknown key train.augment.rotation"),
    ({"train": {"augment": {"contrast": 1.5}}}, r"train.augment.contrast = 1.5 must be below 1"),
    ({"train": {"augment": {"brightness": -3}}}, r"train.augment.brightness = -3.0 must be 0 \(off\) or positive"),
    ({"geometry": {"input_width": 100, "output_stride": 4}}, r"geometry.input_width = 100 is not a multiple of 32"),
])
def test_bad_train_values_name_the_key(raw, message):
    with pytest.raises(PoseError, match=message):
        params_from_dict(raw)


def run_train_stage(params_path, hidden=()):
    """stages/train.py with these params and placeholder paths, in a fresh interpreter.

    ``hidden``: packages that look absent there (:func:`tests.conftest.without_packages`).
    """
    import subprocess
    import sys

    from tests.conftest import without_packages

    arguments = ["stages/train.py", "--params", str(params_path), "--samples", "x", "--model", "m.keras",
                 "--model-params", "p.json", "--live", "l"]
    runner = without_packages(*hidden) + f"import runpy, sys; sys.argv = {arguments!r}; " \
        "runpy.run_path('stages/train.py', run_name='__main__')"
    return subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True,
                          env={"PYTHONPATH": ".", "PATH": "/usr/bin:/bin"})


def test_train_stage_rejects_bad_params_before_loading_tensorflow(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("train:\n  backbone: vgg16\n")
    result = run_train_stage(bad)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {bad}: train.backbone = 'vgg16' is unknown; choose one of mobilenet_v2, efficientnet_b0, resnet50."
    ]


def test_train_stage_names_a_backend_that_is_not_installed(tmp_path):
    chosen = tmp_path / "params.yaml"
    chosen.write_text("train:\n  backend: torch\n")
    result = run_train_stage(chosen, hidden=("torch",))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: train.backend = torch but torch is not installed in this Python; install it "
        "(`make setup TORCH=1` adds PyTorch, `make setup GPU=1` JAX with CUDA) or set train.backend: tensorflow."
    ]