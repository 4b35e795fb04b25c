"""Scoring a model on a split: heatmaps -> keypoints in photo pixels -> metrics, curves, examples."""

import time

import numpy as np

from pose.crop import apply_affine
from pose.decode import DECODERS, decode, flip_heatmaps_back
from pose.heatmaps import heatmap_to_crop
from pose.joints import JOINT_NAMES, flip_permutation
from pose.metrics import correct_keypoints, group_means, head_size, pck_curve, pixel_errors, torso_size

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
    error_means = group_means(errors, error_valid)
    for group in ("all", "limbs12", "mpii"):
        metrics[f"{prefix}_epe_px_{group}"] = error_means[group]
    metrics = {key: value for key, value in metrics.items() if not (isinstance(value, float) and np.isnan(value))}
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(error_valid & np.isfinite(torso)[:, None], errors / torso[:, None], np.nan)
    counted = np.isfinite(relative).sum(axis=1)
    ranking = np.where(counted > 0, np.nansum(relative, axis=1) / np.maximum(counted, 1), np.nan)
    return metrics, ranking


def decode_latency_ms(heatmaps, method, count=200):
    """Median milliseconds to decode one image's heatmaps (1, h, w, K), as an app would, over ``count`` images."""
    times = []
    for index in range(min(count, len(heatmaps))):
        started = time.perf_counter()
        decode(heatmaps[index:index + 1], method)
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


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


def resized_model(model, backbone, width, height, output_stride):
    """The same trained weights in a model for (height, width) inputs (the U-Net is fully convolutional)."""
    from pose.model import build_unet

    clone = build_unet(backbone, width, height, model.output_shape[-1], output_stride, weights=None)
    clone.set_weights(model.get_weights())
    return clone


def photo_to_model_input(photo, longer_side):
    """Resize an RGB photo so its longer side is ``longer_side``, padded right/bottom to multiples of 32.

    Returns:
        (input (H, W, 3) uint8, zoom: model pixels per photo pixel)
    """
    import cv2

    height, width = photo.shape[:2]
    zoom = longer_side / max(height, width)
    resized = cv2.resize(photo, (round(width * zoom), round(height * zoom)), interpolation=cv2.INTER_AREA)
    padded = np.zeros((-(-resized.shape[0] // 32) * 32, -(-resized.shape[1] // 32) * 32, 3), np.uint8)
    padded[:resized.shape[0], :resized.shape[1]] = resized
    return padded, zoom


def unzoom(points, zoom):
    """Points in a resized image's pixels -> the original image's pixels, for a resize by ``zoom``.

    With pixel centres at integer coordinates (the project's convention, and cv2.resize's), pixel
    edges scale, not centres: ``x_original = (x + 0.5) / zoom - 0.5``. Plain ``x / zoom`` is off
    by ``0.5 * (1 / zoom - 1)`` pixels, about 2 px when a 640 px frame goes into 128.
    """
    return (np.asarray(points) + 0.5) / zoom - 0.5


def example_indices(ranking, per_group=4):
    """Indices of the best, median and worst ``per_group`` persons by ``ranking`` (NaN ranks skipped)."""
    order = np.argsort(np.where(np.isnan(ranking), np.inf, ranking))
    order = order[np.isfinite(ranking[order])]
    middle = len(order) // 2
    half = per_group // 2
    return np.concatenate([order[:per_group], order[middle - half:middle - half + per_group], order[-per_group:]])


def people_in_photo(model, backbone, photo, output_stride, longer_side, threshold):
    """Every person the model finds in a whole photo: (P, K, 3) x, y photo pixels, score (NaN: not found)."""
    from pose.multiperson import detect_people

    image, zoom = photo_to_model_input(photo, longer_side)
    full = resized_model(model, backbone, image.shape[1], image.shape[0], output_stride)
    heatmaps = np.asarray(full(image[None].astype(np.float32), training=False))[0]
    people = detect_people(heatmaps, threshold, radius=2, max_bone=0.3 * max(heatmaps.shape[:2]))
    people[..., :2] = unzoom(heatmap_to_crop(people[..., :2], output_stride), zoom)
    return people
