"""Scoring a model on a test set: keypoints in photo pixels -> metrics, curves, examples.

Two ways the person is framed, and the metric keys say which:

* ``<dataset>_<metric>_<group>``: the whole photo in, through :func:`pose.inference.person.find_person`'s
  logic, the search `python -m pose predict` and the app run; nothing taken from the labels. A
  person not found counts as all joints wrong.
* ``<dataset>-gtcrop_<metric>_<group>``: the crop made from the labeled joints (``crops.margin``
  around their box), an input no user has: an upper bound of the same model.
"""

import numpy as np

from pose.data.crop import apply_affine
from pose.codec.decode import DECODERS, decode, flip_heatmaps_back
from pose.codec.heatmaps import heatmap_to_crop
from pose.joints import JOINT_NAMES, flip_permutation
from pose.metrics import correct_keypoints, group_means, head_size, pck_curve, pixel_errors, torso_size
from pose.timing import median_ms

PCK_ALPHAS = np.round(np.arange(0.0, 0.5001, 0.01), 2)


def predict_heatmaps(predict, images, batch_size=32, flip_test=False):
    """Run ``predict`` ((B, H, W, 3) float32 -> (B, h, w, K)) over ``images`` (N, H, W, 3) uint8.

    With ``flip_test`` the mirrored images are predicted too, mapped back (channels swapped)
    and averaged with the direct prediction.
    """
    outputs = []
    for start in range(0, len(images), batch_size):
        batch = np.asarray(images[start:start + batch_size], dtype=np.float32)
        heatmaps = np.asarray(predict(batch), dtype=np.float32)
        if flip_test:
            mirrored = np.asarray(predict(np.ascontiguousarray(batch[:, :, ::-1])), dtype=np.float32)
            heatmaps = (heatmaps + flip_heatmaps_back(mirrored, flip_permutation())) / 2
        outputs.append(heatmaps)
    return np.concatenate(outputs)


def keypoints_in_photo(heatmaps, method, output_stride, crop_to_image):
    """Decode and back-project: ((N, K, 2) photo pixels, (N, K) confidence)."""
    keypoints, confidence = decode(heatmaps, method)
    return apply_affine(heatmap_to_crop(keypoints, output_stride), crop_to_image), confidence


def score(predicted, arrays, prefix, head_boxes=None, box_size=None, head_size_from_box=False):
    """Flat metrics for one dataset's test set, keys ``<prefix>_<metric>_<group>`` (e.g. ``lspet_pck@0.2_all``).

    Every dataset gets ``pck@0.2`` (torso-normalised, LSP convention; comparable across datasets)
    and ``epe_px`` (mean error in photo pixels). Then, by the references the dataset has:

    * ``pckh@0.5``: MPII's head boxes (N, 4) given: head size 0.6 x the box diagonal;
    * ``pckh-scale@0.5``: no head boxes but ``head_size_from_box`` (MPII's converted JSON): head
      size = person box / 8 (= 25 x MPII scale), an approximation the key name admits;
    * ``pckh-neck@0.5``: otherwise, upper-neck-to-head-top distance where both are labeled (LSPET);
    * ``pck-box@0.2``: person box sizes (N,) given (MPII, Human3.6M): 0.2 x the box side, as in
      published Human3.6M 2D tables.

    Each mean is named by its joint group: ``all``, ``limbs12``, ``mpii`` (all but pelvis and
    thorax), and PCK@0.2 per joint. A metric with nothing to count (a joint the dataset never
    labels, a head reference it lacks) is left out rather than written as NaN.

    Returns:
        (metrics dict, per-image mean error (N,) in torso units for ranking examples)
    """
    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    labeled = arrays["labeled"]
    torso = torso_size(truth, labeled)
    references = {"pck@0.2": (torso, 0.2)}
    if head_boxes is not None:
        references["pckh@0.5"] = (head_size(head_boxes=head_boxes), 0.5)
    elif head_size_from_box and box_size is not None:
        references["pckh-scale@0.5"] = (np.asarray(box_size, np.float64) / 8, 0.5)
    else:
        references["pckh-neck@0.5"] = (head_size(joints=truth, labeled=labeled), 0.5)
    if box_size is not None:
        references["pck-box@0.2"] = (np.asarray(box_size, np.float64), 0.2)
    metrics = {f"{prefix}_persons": int(len(truth)), f"{prefix}_labeled_joints": int(labeled.sum())}
    for name, (reference, alpha) in references.items():
        means = group_means(*correct_keypoints(predicted, truth, labeled, reference, alpha))
        for group in ("all", "limbs12", "mpii"):
            metrics[f"{prefix}_{name}_{group}"] = means[group]
        if name == "pck@0.2":
            for joint in JOINT_NAMES:
                metrics[f"{prefix}_pck@0.2_{joint}"] = means[joint]
    errors, error_valid = pixel_errors(predicted, truth, labeled)
    error_valid &= np.isfinite(errors)  # a person not found has no error to average, only PCK misses
    error_means = group_means(errors, error_valid)
    for group in ("all", "limbs12", "mpii"):
        metrics[f"{prefix}_epe_px_{group}"] = error_means[group]
    metrics = {key: value for key, value in metrics.items() if not (isinstance(value, float) and np.isnan(value))}
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(error_valid & np.isfinite(torso)[:, None], errors / torso[:, None], np.nan)
    counted = np.isfinite(relative).sum(axis=1)
    ranking = np.where(counted > 0, np.nansum(relative, axis=1) / np.maximum(counted, 1), np.nan)
    return metrics, ranking


GT_CROP = "-gtcrop"  # suffix of the dataset name in the keys of figures from crops made with the labels


def whole_photo_keypoints(runner, photos, images, settings=None, batch_size=16):
    """Keypoints of every test person found in their whole photo, with nothing from the labels.

    Each photo is searched once by :func:`pose.inference.person.find_person`'s logic, several
    photos' model runs batched together (:func:`pose.inference.person.find_person_in_each`); every
    annotated person in it is compared with the one person found. (MPII photos with several
    annotated people are therefore scored as single-person photos.) A person the search did not
    find counts as all joints wrong (NaN keypoints), not by the low-confidence guesses it returned.

    Args:
        runner: a :class:`pose.deploy.export.LiteModel` or :class:`pose.inference.person.KerasRunner`.
        photos: ``image name -> (H, W, 3) uint8 RGB`` (a function).
        images: (N,) image names of the test persons.
        settings: :class:`pose.inference.person.FinderSettings`; default: the runner's metadata.
    Returns:
        (predicted (N, K, 2) photo pixels, NaN where nobody was found; found (N,) bool;
        {image name: :class:`pose.inference.person.Person`})
    """
    from pose.inference.person import find_person_in_each

    names = list(dict.fromkeys(images.tolist()))
    people = dict(zip(names, find_person_in_each(runner, (photos(name) for name in names), settings, batch_size)))
    found = np.array([people[name].found for name in images])
    predicted = np.stack([people[name].keypoints for name in images])
    predicted[~found] = np.nan
    return predicted, found, people


ZOOM_FACTORS = (2, 3)  # canvas side / photo side of the zoomed-out protocol


def protocol_name(factor):
    """Suffix of the dataset name in the keys of the zoomed-out protocol: ``-zoom2x``."""
    return f"-zoom{factor}x"


def whole_photo_scores(runner, arrays, photos, prefix, seed, references=None, factors=ZOOM_FACTORS):
    """Whole-photo metrics of one test set, on the photos and on zoomed-out canvases of them.

    Args:
        runner: a model as :func:`whole_photo_keypoints` takes. arrays: the test set's arrays.
        photos: image name -> (H, W, 3) uint8. prefix: the dataset's name in the keys.
        references: keyword arguments of :func:`score` (head boxes, box sizes).
    Returns:
        (metrics: ``<prefix>_...`` and ``<prefix>-zoom<f>x_...`` with ``_found_fraction`` each,
        predicted (N, K, 2) on the photos, ranking (N,) for examples)
    """
    from pose.evaluation.canvas import ZoomedOutPhotos, shifted

    references = references or {}
    predicted, found, _ = whole_photo_keypoints(runner, photos, arrays["image"])
    metrics, ranking = score(predicted, arrays, prefix, **references)
    metrics[f"{prefix}_found_fraction"] = float(found.mean())
    names = list(dict.fromkeys(arrays["image"].tolist()))
    for factor in factors:
        canvases = ZoomedOutPhotos(photos, names, factor, seed)
        moved = shifted(arrays, canvases.offsets(arrays["image"]))
        on_canvas, found_there, _ = whole_photo_keypoints(runner, canvases, arrays["image"])
        name = prefix + protocol_name(factor)
        canvas_references = dict(references)
        if references.get("head_boxes") is not None:
            canvas_references["head_boxes"] = moved["head_boxes"]
        metrics.update(score(on_canvas, moved, name, **canvas_references)[0])
        metrics[f"{name}_found_fraction"] = float(found_there.mean())
    return metrics, predicted, ranking


def decode_latency_ms(heatmaps, method, count=200):
    """Median milliseconds to decode one image's heatmaps (1, h, w, K), as an app would, over ``count`` images."""
    return median_ms(lambda index: decode(heatmaps[index:index + 1], method), min(count, len(heatmaps)))


def curve_rows(predicted, arrays, dataset):
    """Rows of the PCK-against-threshold plot: dicts with dataset, alpha, pck."""
    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    torso = torso_size(truth, arrays["labeled"])
    curve = pck_curve(predicted, truth, arrays["labeled"], torso, PCK_ALPHAS)
    return [{"dataset": dataset, "alpha": float(a), "pck": float(p)} for a, p in zip(PCK_ALPHAS, curve)]


def compare_decoders(heatmaps, arrays, output_stride):
    """PCK@0.2 (all joints) of every decoder, on the float heatmaps and on the same heatmaps
    rounded to 8 bits (what a uint8 model output with scale 1/255 keeps).

    Returns:
        {(method, "float" | "uint8"): pck}
    """
    truth = apply_affine(arrays["keypoints"], arrays["crop_to_image"])
    torso = torso_size(truth, arrays["labeled"])
    rounded = np.round(np.clip(heatmaps, 0, 1) * 255) / 255
    result = {}
    for output, maps in (("float", heatmaps), ("uint8", rounded)):
        for method in DECODERS:
            predicted, _ = keypoints_in_photo(maps, method, output_stride, arrays["crop_to_image"])
            correct, valid = correct_keypoints(predicted, truth, arrays["labeled"], torso, 0.2)
            result[method, output] = float(correct.sum() / max(valid.sum(), 1))
    return result


def example_indices(ranking, per_group=4):
    """Indices of the best, median and worst ``per_group`` persons by ``ranking`` (NaN ranks skipped)."""
    order = np.argsort(np.where(np.isnan(ranking), np.inf, ranking))
    order = order[np.isfinite(ranking[order])]
    middle = len(order) // 2
    half = per_group // 2
    return np.concatenate([order[:per_group], order[middle - half:middle - half + per_group], order[-per_group:]])
