"""Model builder shapes for every backbone and stride, on non-square inputs; weights handling."""

import numpy as np
import pytest

from pose.errors import PoseError
from pose.train.model import BACKBONES, build_encoder, build_unet


@pytest.mark.parametrize("backbone", sorted(BACKBONES))
@pytest.mark.parametrize("stride", [2, 4, 8])
def test_output_shape(backbone, stride):
    model = build_unet(backbone, input_width=96, input_height=64, num_joints=16, output_stride=stride, weights=None)
    assert model.output_shape == (None, 64 // stride, 96 // stride, 16)
    output = model(np.random.default_rng(0).uniform(0, 255, (1, 64, 96, 3)).astype(np.float32))
    assert float(np.min(output)) >= 0 and float(np.max(output)) <= 1


def test_mobilenet_v2_decoder_skips_the_1280_channel_top():
    model = build_unet("mobilenet_v2", 64, 64, 16, 4, weights=None)
    names = {layer.name for layer in model.get_layer("encoder").layers}
    assert "block_16_project_BN" in names and "Conv_1" not in names  # Conv_1: the 1x1 to 1280 channels
    assert model.count_params() < 2_500_000


def test_missing_imagenet_weights_offline_named(tmp_path, monkeypatch):
    import urllib.error

    import keras.src.backend.config as keras_config
    import keras.src.utils.file_utils as file_utils

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path))  # KERAS_HOME as Keras read it
    monkeypatch.setattr(file_utils, "urlretrieve", offline)
    expected = f"not cached at {tmp_path}/models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"
    with pytest.raises(PoseError, match=expected):
        build_encoder("mobilenet_v2", "imagenet", 0.9)


def test_decoder_and_encoder_widths_scale_channels():
    default = build_unet("mobilenet_v2", 64, 64, 16, 4, weights=None)
    narrow = build_unet("mobilenet_v2", 64, 64, 16, 4, weights=None, decoder_width=0.5, alpha=0.5)
    assert default.get_layer("decoder4_conv").output.shape[-1] == 64
    assert narrow.get_layer("decoder4_conv").output.shape[-1] == 32
    assert default.get_layer("encoder").get_layer("Conv1").output.shape[-1] == 32
    assert narrow.get_layer("encoder").get_layer("Conv1").output.shape[-1] == 16
    assert narrow.output_shape == default.output_shape
    assert narrow.count_params() < default.count_params() / 2


def test_encoder_width_only_for_mobilenet_v2():
    with pytest.raises(PoseError, match="alpha = 0.5.*mobilenet_v2 only, not resnet50"):
        build_encoder("resnet50", "none", 0.9, alpha=0.5)
