"""Finding the person in a whole frame with nothing taken from labels: the code path of `pose predict` and evaluation.

A search runs the same model a few times (how many chosen by measurement, docs/evaluation.md):

1. the whole frame, letterboxed into the model input: the model was trained on loose framings as
   well as tight crops (``train.augment.loose_probability``), so it finds a person who fills a
   fraction of the frame, coarsely;
2. a crop around what the first pass found (the confident joints' box, ``crop_margin`` times its
   longer side, the framing training crops have), where the person is seen at full resolution.

Extra passes repeat step 2 around the previous pass's joints, up to ``passes`` runs in all, and
stop early once the crop has settled: when the next crop would overlap the last one by at least
``settle_iou`` (intersection over union of the two frame windows), another run would see nearly
the same input. A person who fills the photo settles after two or three runs; a small person in
a wide frame, whose first crops are coarse, gets the further runs that close in on the body.
With ``mirror_last_pass`` the last crop is run once more, mirrored, and the two heatmaps are
averaged (left and right channels swapped back): one run more per search for 1.2 points of
validation PCK (docs/evaluation.md). The person's score is the mean joint confidence of the last
pass; below ``person_threshold`` the frame holds nobody.

Evaluation runs the same searches over many photos at once (:func:`find_person_in_each`,
:func:`find_people_in_each`): each search still gets exactly its own runs, only the runs of
several photos go through the model as one batch (2.4x faster with the Keras model here).
"""

import dataclasses

import cv2
import numpy as np

from pose.codec.decode import decode, flip_heatmaps_back
from pose.codec.heatmaps import heatmap_to_crop
from pose.data.crop import apply_affine, crop_affine, invert_affine
from pose.inference.multiperson import detect_people
from pose.inference.photo import letterbox, unzoom
from pose.joints import flip_permutation

NO_PERSON = "nobody"


@dataclasses.dataclass(frozen=True)
class FinderSettings:
    """How a person is found in a frame (``params.yaml`` section ``inference``; travels in the model's metadata)."""

    passes: int = 6  # most model runs per search: the whole frame, then crops around what was found
    crop_margin: float = 1.3  # crop side / box of the confident joints (chosen on val, as the training crops)
    joint_threshold: float = 0.2  # confidence a joint needs to count towards the crop's box
    min_joints: int = 4  # fewer confident joints than this: nothing found to crop around
    person_threshold: float = 0.25  # mean joint confidence below which the frame holds nobody
    extra_person_threshold: float = 0.6  # the same for every person after the first (find_people)
    mask_margin: float = 0.15  # find_people blacks out a found person's joint box grown by this share per side
    settle_iou: float = 0.9  # a search stops once the next crop overlaps the last this much (1: every pass runs)
    mirror_last_pass: bool = True  # the last crop also runs mirrored, the two heatmaps averaged (one run more)

    @classmethod
    def from_metadata(cls, metadata):
        """The settings a model's metadata JSON carries (``person_finder``), defaults for older models."""
        stored = metadata.get("person_finder", {})
        return cls(**{field.name: stored[field.name] for field in dataclasses.fields(cls) if field.name in stored})


@dataclasses.dataclass
class Person:
    """One person in frame pixels.

    keypoints: (K, 2) x, y; confidence: (K,) 0..1; score: mean confidence; found: score reached
    the person threshold; crop: (2, 3) the affine frame -> model input of the last pass; runs: the
    affine of every model run that led here, in order (what the app's replay tests check);
    mirrored: the last run was the mirrored twin of the one before it (``mirror_last_pass``).
    """

    keypoints: np.ndarray
    confidence: np.ndarray
    score: float
    found: bool
    crop: np.ndarray
    runs: list = dataclasses.field(default_factory=list)
    mirrored: bool = False


def sample_crop(frame_rgb, affine, width, height):
    """Warp ``frame_rgb`` (H, W, 3) uint8 by ``affine`` (frame -> input, axis-aligned zoom) into (height, width, 3).

    Downscaling by more than 2x first shrinks the region of interest with area averaging, so a
    small model input taken from a large camera frame does not alias (as ``cv2.resize`` with
    ``INTER_AREA`` does for the letterbox).
    """
    zoom = float(affine[0, 0])
    if zoom >= 0.5:
        return cv2.warpAffine(frame_rgb, affine, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    corners = apply_affine(np.array([[-0.5, -0.5], [width - 0.5, height - 0.5]]), invert_affine(affine))
    x0, y0 = np.maximum(np.floor(corners[0]).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(corners[1]).astype(int), (frame_rgb.shape[1], frame_rgb.shape[0]))
    if x1 <= x0 or y1 <= y0:
        return np.zeros((height, width, 3), np.uint8)
    factor = 2 * zoom  # shrink to twice the final size, then warp the rest bilinearly
    region = frame_rgb[y0:y1, x0:x1]
    size = (max(1, round((x1 - x0) * factor)), max(1, round((y1 - y0) * factor)))
    small = cv2.resize(region, size, interpolation=cv2.INTER_AREA)
    scale_x, scale_y = size[0] / (x1 - x0), size[1] / (y1 - y0)
    # region pixel centres: x_small = (x - x0 + 0.5) * scale - 0.5
    to_small = np.array([[scale_x, 0, (0.5 - x0) * scale_x - 0.5], [0, scale_y, (0.5 - y0) * scale_y - 0.5]])
    from_small = np.asarray(affine, np.float64) @ np.vstack([invert_affine(to_small), [0, 0, 1]])
    return cv2.warpAffine(small, from_small, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def box_affine(keypoints, confidence, settings, width, height):
    """The crop around the confident joints (frame -> input affine), or None when too few are confident.

    The box is the one training crops are cut around: centre and longer side of the joints' extent.
    """
    confident = confidence >= settings.joint_threshold
    if confident.sum() < settings.min_joints:
        return None
    points = keypoints[confident]
    low, high = points.min(axis=0), points.max(axis=0)
    size = max(float((high - low).max()), 1.0)
    return crop_affine((low + high) / 2, size, settings.crop_margin, width, height)


def crop_window(affine, width, height):
    """The frame region (x0, y0, x1, y1 pixel edges) that ``affine`` (frame -> input) maps onto a (height, width) input."""
    corners = apply_affine(np.array([[-0.5, -0.5], [width - 0.5, height - 0.5]]), invert_affine(affine))
    return np.concatenate([corners.min(axis=0), corners.max(axis=0)])


def settled(crop, previous, settings, width, height):
    """Whether the next ``crop`` overlaps the ``previous`` crop enough (``settle_iou``) that running it is not worth it."""
    return _overlap(crop_window(crop, width, height), crop_window(previous, width, height)) >= settings.settle_iou


def _decoded(meta, heatmaps):
    """Heatmaps (1, h, w, K) of one run decoded with the model's ``meta``data: (keypoints (K, 2) input pixels, confidence (K,))."""
    keypoints, confidence = decode(heatmaps, meta["decoder"])
    return heatmap_to_crop(keypoints[0], meta["output"]["stride"]), confidence[0]


def _crop_image(meta, frame_rgb, affine):
    """The model input (h, w, 3) of the crop ``affine`` (frame -> input)."""
    return sample_crop(frame_rgb, affine, meta["input"]["width"], meta["input"]["height"])


def _in_frame(meta, heatmaps, affine):
    """Heatmaps of the crop ``affine`` decoded into frame pixels: keypoints (K, 2), confidence (K,)."""
    keypoints, confidence = _decoded(meta, heatmaps)
    return apply_affine(keypoints, invert_affine(affine)), confidence


# The search logic below is written as generators ("steps"): each ``yield`` hands out one model
# input (H, W, 3) and receives its heatmaps (1, h, w, K); the generator's return value is the
# result. One search is driven run by run (:func:`run_steps`, what `pose predict` and the app do);
# many are driven together with their runs batched across frames (:func:`run_steps_together`,
# evaluation), through the very same logic.


def run_steps(model, steps):
    """Drive one step generator, one model run per input it asks for; its return value."""
    try:
        image = next(steps)
        while True:
            image = steps.send(model(image[None]))
    except StopIteration as done:
        return done.value


def run_steps_together(model, step_generators, batch_size=16):
    """Drive many step generators at once, their model inputs stacked into batches of up to ``batch_size``.

    Each search gets exactly the runs it would get alone (:func:`run_steps`); only the batching
    differs, so a model that runs each image of a batch on its own (TFLite) gives identical
    results. ``step_generators`` is consumed lazily: at most ``batch_size`` searches (and their
    frames) are held at a time. Returns the results in the generators' order.
    """
    results, waiting, source = {}, {}, enumerate(step_generators)
    exhausted = False
    while True:
        while not exhausted and len(waiting) < batch_size:
            index, steps = next(source, (None, None))
            if steps is None:
                exhausted = True
                break
            try:
                waiting[index] = (steps, next(steps))
            except StopIteration as done:
                results[index] = done.value
        if not waiting:
            return [results[index] for index in range(len(results))]
        indices = list(waiting)
        heatmaps = model(np.stack([waiting[index][1] for index in indices]))
        for row, index in enumerate(indices):
            steps = waiting[index][0]
            try:
                waiting[index] = (steps, steps.send(heatmaps[row:row + 1]))
            except StopIteration as done:
                results[index] = done.value
                del waiting[index]


def refine(model, frame_rgb, affine):
    """One pass on the crop ``affine`` (frame -> input) of the frame: keypoints (K, 2) frame pixels, confidence (K,)."""
    meta = model.metadata
    return _in_frame(meta, model(_crop_image(meta, frame_rgb, affine)[None]), affine)


def _mirror_averaged_steps(image, heatmaps):
    """``heatmaps`` (1, h, w, K) of ``image`` averaged with the model's maps of the mirrored image, mapped back.

    The mirrored maps are mirrored again and their left/right channels swapped
    (:func:`pose.codec.decode.flip_heatmaps_back`), so both halves describe the same unmirrored
    crop; averaging cancels what the model gets wrong asymmetrically. Float32, as the app averages.
    """
    mirrored = yield np.ascontiguousarray(image[:, ::-1])
    return ((np.asarray(heatmaps, np.float32) + flip_heatmaps_back(mirrored, flip_permutation()).astype(np.float32))
            / np.float32(2))


def _person(keypoints, confidence, affine, settings, runs, mirrored=False):
    score = float(np.mean(confidence))
    return Person(np.asarray(keypoints, np.float64), np.asarray(confidence, np.float32), score,
                  score >= settings.person_threshold, np.asarray(affine, np.float64), list(runs), mirrored)


def _last_pass_steps(meta, image, heatmaps, affine, settings, runs):
    """The person of a search's (or a track's) last crop, its heatmaps averaged with the mirrored run's
    when ``settings.mirror_last_pass`` (one run more, recorded in ``runs``)."""
    mirrored = settings.mirror_last_pass
    if mirrored:
        heatmaps = yield from _mirror_averaged_steps(image, heatmaps)
        runs = [*runs, affine]
    return _person(*_in_frame(meta, heatmaps, affine), affine, settings, runs, mirrored)


def find_person(model, frame_rgb, settings=None):
    """Search the whole frame for one person: the letterboxed frame, then up to ``passes - 1`` crops (until settled).

    Args:
        model: a :class:`pose.deploy.export.LiteModel`, or anything with its ``metadata`` (input
            size, output stride, decoder) and ``(B, H, W, 3) -> (B, h, w, K)`` heatmaps call.
        frame_rgb: (H, W, 3) uint8.
        settings: :class:`FinderSettings`; default: the model's metadata.
    Returns:
        :class:`Person` in frame pixels (``found`` False when the frame holds nobody).
    """
    return run_steps(model, _search_steps(model.metadata, frame_rgb,
                                          settings or FinderSettings.from_metadata(model.metadata)))


def find_person_in_each(model, frames, settings=None, batch_size=16):
    """:func:`find_person` on every frame of the iterable ``frames`` (each (H, W, 3) uint8), the model
    runs of up to ``batch_size`` searches batched together (:func:`run_steps_together`): evaluation's
    speed, `pose predict`'s logic. Returns a list of :class:`Person`, one per frame, in order."""
    settings = settings or FinderSettings.from_metadata(model.metadata)
    return run_steps_together(model, (_search_steps(model.metadata, frame, settings) for frame in frames), batch_size)


def _strongest_skeleton(meta, heatmaps, settings):
    """The whole-frame pass's heatmaps (1, h, w, K) reduced to one body: the strongest skeleton grouped from its peaks.

    Decoding each joint map on its own takes every joint from whichever person peaks highest, so
    with two people of a size the joints (and the crop around them) straddle both; grouping the
    peaks along the skeleton (:func:`pose.inference.multiperson.detect_people`) keeps one body.
    Returns keypoints (K, 2) input pixels and confidence (K,), 0 where the skeleton lacks a joint.
    """
    heatmaps = heatmaps[0]
    groups = detect_people(heatmaps, settings.joint_threshold, radius=2, max_bone=0.3 * max(heatmaps.shape[:2]))
    if not len(groups):
        return np.zeros((heatmaps.shape[-1], 2)), np.zeros(heatmaps.shape[-1], np.float32)
    strongest = groups[int(np.argmax(np.nansum(groups[:, :, 2], axis=1)))]
    labeled = ~np.isnan(strongest[:, 0])
    keypoints = np.where(labeled[:, None], heatmap_to_crop(np.nan_to_num(strongest[:, :2]), meta["output"]["stride"]),
                         0.0)
    return keypoints, np.where(labeled, strongest[:, 2], 0.0)


def _search_steps(meta, frame_rgb, settings, one_skeleton=False):
    """The letterboxed frame, then up to ``passes - 1`` crops until they settle (steps: see :func:`run_steps`).

    ``one_skeleton``: the first pass keeps one body (:func:`_strongest_skeleton`).
    """
    width, height = meta["input"]["width"], meta["input"]["height"]
    image, zoom = letterbox(frame_rgb, width, height)
    heatmaps = yield image
    keypoints, confidence = (_strongest_skeleton(meta, heatmaps, settings) if one_skeleton
                             else _decoded(meta, heatmaps))
    keypoints = unzoom(keypoints, zoom)
    affine = letterbox_affine(zoom)
    runs, last = [affine], None
    for _ in range(settings.passes - 1):
        crop = box_affine(keypoints, confidence, settings, width, height)
        if crop is None or (len(runs) > 1 and settled(crop, affine, settings, width, height)):
            break  # nothing to crop around, or the crops have settled (the first crop always runs)
        affine = crop
        runs.append(affine)
        image = _crop_image(meta, frame_rgb, affine)
        heatmaps = yield image
        last = (image, heatmaps)
        keypoints, confidence = _in_frame(meta, heatmaps, affine)
    if last is None:  # the whole frame held nothing to crop around: no crop to mirror either
        return _person(keypoints, confidence, affine, settings, runs)
    return (yield from _last_pass_steps(meta, *last, affine, settings, runs))


def letterbox_affine(zoom):
    """The letterbox (:func:`pose.inference.photo.letterbox`) as a frame -> input affine: pixel edges scale."""
    return np.array([[zoom, 0.0, 0.5 * zoom - 0.5], [0.0, zoom, 0.5 * zoom - 0.5]])


def _box(person, settings):
    """x0, y0, x1, y1 of a person's confident joints (all joints when too few are confident)."""
    confident = person.confidence >= settings.joint_threshold
    points = person.keypoints[confident] if confident.sum() >= settings.min_joints else person.keypoints
    return np.concatenate([points.min(axis=0), points.max(axis=0)])


def _overlap(first, second):
    """Intersection over union of two boxes x0, y0, x1, y1."""
    low, high = np.maximum(first[:2], second[:2]), np.minimum(first[2:], second[2:])
    inter = np.prod(np.maximum(high - low, 0))
    union = np.prod(first[2:] - first[:2]) + np.prod(second[2:] - second[:2]) - inter
    return float(inter / union) if union > 0 else 0.0


def find_people(model, frame_rgb, settings=None, max_people=6, overlap=0.3, one_skeleton=True):
    """Every person in the frame: search, black out who was found, search again.

    A search as :func:`find_person` does, except that its first pass keeps the strongest skeleton
    (``one_skeleton``, :func:`_strongest_skeleton`), finds the most prominent person; the box of
    their confident joints, grown by ``settings.mask_margin`` of its size on each side, is painted
    black (the letterbox's colour, which the model sees as "nothing there") and the frame is
    searched again. It stops when a
    search finds nobody, when it finds a person already found (their joint boxes overlap by more
    than ``overlap``, intersection over union: the blackout did not hide them), or at
    ``max_people``. The first person needs ``person_threshold``, every further one
    ``extra_person_threshold``: once the most prominent person is blacked out, the model's scores
    on what is left (parts of that person, person-like clutter) run higher than on an empty frame
    (chosen on validation composites, benchmarks/finder_validation.py).

    Each search costs at most ``passes`` model runs; a frame with nobody costs one search.

    Returns:
        list of :class:`Person` in frame pixels, in the order found (most prominent first).
    """
    settings = settings or FinderSettings.from_metadata(model.metadata)
    return run_steps(model, _people_steps(model.metadata, frame_rgb, settings, max_people, overlap, one_skeleton))


def find_people_in_each(model, frames, settings=None, batch_size=16, **options):
    """:func:`find_people` (with its keyword ``options``) on every frame of the iterable ``frames``,
    the model runs of up to ``batch_size`` frames batched together (:func:`run_steps_together`).
    Returns one list of :class:`Person` per frame, in order."""
    settings = settings or FinderSettings.from_metadata(model.metadata)
    return run_steps_together(model, (_people_steps(model.metadata, frame, settings, **options) for frame in frames),
                              batch_size)


def _people_steps(meta, frame_rgb, settings, max_people=6, overlap=0.3, one_skeleton=True):
    """:func:`find_people`'s searches as steps (:func:`run_steps`)."""
    people, frame = [], frame_rgb
    for _ in range(max_people):
        person = yield from _search_steps(meta, frame, settings, one_skeleton=one_skeleton)
        threshold = settings.extra_person_threshold if people else settings.person_threshold
        if person.score < threshold:
            break
        box = _box(person, settings)
        if any(_overlap(box, _box(kept, settings)) > overlap for kept in people):
            break
        people.append(person)
        if frame is frame_rgb:
            frame = frame_rgb.copy()  # the caller's frame stays untouched
        size = box[2:] - box[:2]
        x0, y0 = np.maximum(np.floor(box[:2] - settings.mask_margin * size).astype(int), 0)
        x1, y1 = np.ceil(box[2:] + settings.mask_margin * size).astype(int)
        frame[y0:y1, x0:x1] = 0
    return people


def track_person(model, frame_rgb, previous, settings=None):
    """The person in a video frame: one pass on a crop around the previous frame's person, else a whole-frame search.

    Args:
        previous: the :class:`Person` of the previous frame, or None.
    Returns:
        :class:`Person`; a tracked person who drops below the person threshold is searched for
        again in the whole frame, so a lost track costs one frame of full search. With
        ``mirror_last_pass`` a held track's crop is also run mirrored (two runs a frame).
    """
    settings = settings or FinderSettings.from_metadata(model.metadata)
    return run_steps(model, _track_steps(model.metadata, frame_rgb, previous, settings))


def _track_steps(meta, frame_rgb, previous, settings):
    """:func:`track_person` as steps (:func:`run_steps`)."""
    if previous is not None and previous.found:
        affine = box_affine(previous.keypoints, previous.confidence, settings, meta["input"]["width"],
                            meta["input"]["height"])
        if affine is not None:
            image = _crop_image(meta, frame_rgb, affine)
            heatmaps = yield image
            person = _person(*_in_frame(meta, heatmaps, affine), affine, settings, [affine])
            if person.found:  # the track holds (judged on the plain run: a lost track costs no mirrored run)
                return (yield from _last_pass_steps(meta, image, heatmaps, affine, settings, [affine]))
            searched = yield from _search_steps(meta, frame_rgb, settings)
            searched.runs = [affine] + searched.runs  # the lost track's run came first
            return searched
    return (yield from _search_steps(meta, frame_rgb, settings))


class KerasRunner:
    """A Keras heatmap model behind the interface of :class:`pose.deploy.export.LiteModel`: ``metadata`` and a call.

    So evaluation scores the trained Keras model through the very functions `pose predict` runs.
    """

    def __init__(self, model, output_stride, decoder, settings):
        _, height, width, _ = model.input_shape
        self.model = model
        self.metadata = {"input": {"width": int(width), "height": int(height)},
                         "output": {"stride": output_stride}, "decoder": decoder,
                         "person_finder": dataclasses.asdict(settings)}

    def __call__(self, images):
        return np.asarray(self.model.predict_on_batch(np.asarray(images, np.float32)), np.float32)
