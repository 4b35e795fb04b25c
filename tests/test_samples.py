"""Person crops into shards: keypoints follow the crop, bad images are skipped and named."""

import numpy as np

from pose.data.archive import extract_zip
from pose.data.crop import apply_affine
from pose.data.datasets.lspet import read_annotations
from pose.data.datasets.records import table_arrays
from pose.data.samples import build_split, read_split, split_tables, write_split
from tests.conftest import make_lspet_zip


def test_build_write_read_round_trip(tmp_path):
    make_lspet_zip(tmp_path / "mini.zip", count=20)
    root = extract_zip(tmp_path / "mini.zip", tmp_path / "raw")
    table, _ = read_annotations(root)
    (root / table["image"][4]).write_bytes(b"garbage")  # decodes to nothing at crop time
    train = split_tables(table)["train"]
    arrays, skipped = build_split(train, root, margin=1.2, input_width=48, input_height=32, progress=False)
    assert skipped == [(table["image"][4], "image could not be decoded")]
    assert arrays["images"].shape == (16, 32, 48, 3) and arrays["images"].dtype == np.uint8
    # crop_to_image maps the crop keypoints back onto the annotation.
    source = table_arrays(train.drop(index=4).reset_index(drop=True))
    back = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    labeled = source["labeled"]
    np.testing.assert_allclose(back[labeled], source["joints"][labeled], atol=1e-3)

    write_split(arrays, tmp_path / "samples" / "train", shard_size=5)
    assert len(list((tmp_path / "samples" / "train").glob("shard-*.npz"))) == 4
    loaded = read_split(tmp_path / "samples", "train")
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded[key], value)
