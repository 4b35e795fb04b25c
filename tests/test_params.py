"""Bad params stop with one sentence naming the key."""

import pytest

from pose.errors import PoseError
from pose.params import load_params, params_from_dict


@pytest.mark.parametrize("raw, message", [
    ({"data": {"dataset": "coco"}}, r"data.dataset = 'coco' is not a known dataset; choose one of lspet"),
    ({"heatmaps": {"sigma": 0}}, r"heatmaps.sigma = 0.0 must be positive"),
    ({"heatmaps": {"sigma": -1.5}}, r"heatmaps.sigma = -1.5 must be positive"),
    ({"geometry": {"input_width": 130, "output_stride": 4}}, r"geometry.output_stride = 4 does not divide geometry.input_width = 130"),
    ({"geometry": {"output_stride": 0}}, r"geometry.output_stride must be a positive"),
    ({"heatmaps": {"method": "box"}}, r"heatmaps.method = 'box' is unknown"),
    ({"heatmaps": {"sigmaa": 2}}, r"unknown key heatmaps.sigmaa"),
    ({"geometry": {"input_width": "big"}}, r"geometry.input_width = 'big' must be of type int"),
    ({"download": {"sha256": {"a.zip": "abc"}}}, r"download.sha256.a.zip must be a 64-character"),
])
def test_bad_values_name_the_key(raw, message):
    with pytest.raises(PoseError, match=message):
        params_from_dict(raw)


def test_project_params_file_is_valid():
    params = load_params("params.yaml")
    assert params.geometry.heatmap_width * params.geometry.output_stride == params.geometry.input_width


def test_missing_file_is_named(tmp_path):
    with pytest.raises(PoseError, match="nothere.yaml does not exist"):
        load_params(tmp_path / "nothere.yaml")


def test_non_square_geometry():
    params = params_from_dict({"geometry": {"input_width": 96, "input_height": 128, "output_stride": 8}})
    assert (params.geometry.heatmap_width, params.geometry.heatmap_height) == (12, 16)
