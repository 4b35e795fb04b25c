"""Several datasets at once: the stacked table and its per-dataset rows, and how epochs mix the datasets."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from pose.data.datasets import mixture
from pose.data.datasets.references import add_references
from pose.errors import PoseError
from pose.params import params_from_dict


def small_table(images, split="train", **columns):
    return pd.DataFrame({"image": images, "split": split, "center_x": 1.0, **columns})


def test_stacked_table_gives_each_dataset_back_its_own_rows(tmp_path):
    lspet = small_table(["images/im00001.jpg", "images/im00002.jpg"])
    mpii = add_references(small_table(["000000001.jpg"], split="test"), head_boxes=[[1.0, 2.0, 3.0, 4.0]])
    names = ("lspet", "mpii")
    stacked = mixture.stack_tables({"lspet": lspet, "mpii": mpii})
    assert list(stacked["image"]) == ["lspet/images/im00001.jpg", "lspet/images/im00002.jpg", "mpii/000000001.jpg"]
    assert list(stacked[mixture.DATASET_COLUMN]) == ["lspet", "lspet", "mpii"]
    stacked.to_csv(tmp_path / "annotations.csv", index=False)  # as the download stage writes it
    back = pd.read_csv(tmp_path / "annotations.csv")
    pd.testing.assert_frame_equal(mixture.dataset_rows(back, names, "lspet"), lspet)  # MPII's head box columns gone
    pd.testing.assert_frame_equal(mixture.dataset_rows(back, names, "mpii"), mpii)
    assert mixture.dataset_rows(lspet, ("lspet",), "lspet") is lspet  # one dataset: the table as it is
    with pytest.raises(PoseError, match="has no dataset column; re-run the download stage"):
        mixture.dataset_rows(lspet, names, "lspet")


def test_folders_and_sample_sources_follow_the_prefix(tmp_path):
    assert mixture.dataset_folder(tmp_path, ("lspet",), "lspet") == tmp_path
    assert mixture.dataset_folder(tmp_path, ("lspet", "coco"), "coco") == tmp_path / "coco"
    images = np.asarray(["coco/train2017/1.jpg", "lspet/images/a.jpg", "coco/train2017/2.jpg"])
    np.testing.assert_array_equal(mixture.sample_sources(images, ("lspet", "coco")), [1, 0, 1])
    np.testing.assert_array_equal(mixture.sample_sources(images, ("lspet",)), [0, 0, 0])
    with pytest.raises(PoseError, match="training samples come from coco, which data.dataset does not list"):
        mixture.sample_sources(images, ("lspet", "mpii"))


def test_shares_are_proportional_to_size_unless_weighed():
    sources = np.asarray([0] * 30 + [1] * 10)
    np.testing.assert_allclose(mixture.training_shares(sources, ("lspet", "coco"), {}), [0.75, 0.25])
    np.testing.assert_allclose(mixture.training_shares(sources, ("lspet", "coco"), {"lspet": 1, "coco": 3}),
                               [0.25, 0.75])
    with pytest.raises(PoseError, match="lists mpii but the training samples hold none of it"):
        mixture.training_shares(sources, ("lspet", "coco", "mpii"), {})


def test_quotas_add_up_by_largest_remainder():
    np.testing.assert_array_equal(mixture.epoch_quotas([0.75, 0.25], 40), [30, 10])
    np.testing.assert_array_equal(mixture.epoch_quotas([1 / 3, 1 / 3, 1 / 3], 10), [4, 3, 3])
    np.testing.assert_array_equal(mixture.epoch_quotas([0.26, 0.74], 10), [3, 7])


def test_proportional_epochs_show_every_sample_once():
    sources = np.asarray([0, 1] * 5 + [0] * 20)
    shares = mixture.training_shares(sources, ("a", "b"), {})
    for epoch in range(3):
        order = mixture.epoch_order(sources, shares, seed=7, epoch=epoch)
        assert sorted(order) == list(range(30))
    first, again = (mixture.epoch_order(sources, shares, 7, 0) for _ in range(2))
    np.testing.assert_array_equal(first, again)  # seeded
    assert (first != mixture.epoch_order(sources, shares, 7, 1)).any()  # each epoch its own order


def test_weighed_epochs_cycle_the_smaller_dataset_without_repeats_before_a_full_cycle():
    sources = np.asarray([0] * 30 + [1] * 10)
    shares = mixture.training_shares(sources, ("big", "small"), {"big": 1, "small": 1})
    orders = [mixture.epoch_order(sources, shares, seed=0, epoch=epoch) for epoch in range(3)]
    for order in orders:
        assert len(order) == 40 and (sources[order] == 1).sum() == 20
    first_big = orders[0][sources[orders[0]] == 0]
    assert len(set(first_big)) == 20  # 20 of the big one's 30, none twice
    second_big = orders[1][sources[orders[1]] == 0]
    assert set(range(30)) - set(first_big) <= set(second_big)  # its other 10 come next
    seen = np.bincount(np.concatenate(orders), minlength=40)
    assert (seen[:30] == 2).all() and (seen[30:] == 6).all()  # 60 draws of 30 and 60 of 10, evenly


def test_both_training_pipelines_follow_the_mixed_order():
    from pose.train.batches import make_batches
    from pose.train.input_pipeline import make_dataset

    count = 12
    images = np.zeros((count, 8, 8, 3), np.uint8)
    images[:, 0, 0, 0] = np.arange(count)  # each sample says who it is
    arrays = {"images": images, "keypoints": np.full((count, 16, 2), 4.0, np.float32),
              "labeled": np.ones((count, 16), bool)}
    tagged = lambda batch: np.asarray(batch[0])[:, 0, 0, 0].astype(int).tolist()  # noqa: E731
    order = [3, 3, 0, 11]
    batches = list(make_dataset(arrays, 4, 1.0, "analytic", 2, order=order).as_numpy_iterator())
    assert [index for batch in batches for index in tagged(batch)] == order

    sources = np.asarray([0] * 8 + [1] * 4)
    shares = np.asarray([0.5, 0.5])
    augment = dataclasses.replace(params_from_dict({}).train.augment, flip_probability=0.0, rotation_degrees=0.0,
                                  scale_range=0.0, shift_range=0.0, brightness=0.0, contrast=0.0, saturation=0.0,
                                  loose_probability=0.0)
    numpy_batches = make_batches(arrays, 4, 1.0, "analytic", 3, augmentation=augment, seed=5,
                                 mixing=(sources, shares))
    numpy_batches.epoch = 2
    drawn = [numpy_batches.sample_indices(index).tolist() for index in range(len(numpy_batches))]
    assert [i for batch in drawn for i in batch] == mixture.epoch_order(sources, shares, 5, 2).tolist()
    assert tagged(numpy_batches[1]) == drawn[1]


@pytest.mark.parametrize("data, message", [
    ({"dataset": ["lspet", "lspet"]}, r"must name one dataset or several different ones"),
    ({"dataset": []}, r"must name one dataset or several different ones"),
    ({"dataset": ["lspet", "crowdpose"]}, r"data.dataset names 'crowdpose', not a known dataset"),
    ({"dataset": 3}, r"data.dataset = 3 must be a str or list"),
    ({"dataset": ["lspet", "coco"], "weights": {"lspet": 1}}, r"data.weights gives no weight for coco"),
    ({"dataset": ["lspet", "coco"], "weights": {"lspet": 1, "coco": 0}}, r"data.weights.coco = 0: weights are positive"),
    ({"dataset": ["lspet", "coco"], "weights": {"lspet": 1, "mpii": 2}}, r"data.weights.mpii = 2: .* \(lspet, coco\)"),
])
def test_bad_dataset_lists_and_weights_name_the_key(data, message):
    with pytest.raises(PoseError, match=message):
        params_from_dict({"data": data})


def test_a_list_of_datasets_reads_as_names_with_the_first_primary():
    data = params_from_dict({"data": {"dataset": ["coco", "lspet"], "weights": {"coco": 2, "lspet": 1.5}}}).data
    assert data.names == ("coco", "lspet") and data.primary == "coco"
    single = params_from_dict({"data": {"dataset": "mpii"}}).data
    assert single.names == ("mpii",) and single.primary == "mpii" and single.dataset == "mpii"
