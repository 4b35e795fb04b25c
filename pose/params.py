"""``params.yaml`` as a typed, frozen object, validated once at the boundary.

Stage scripts call :func:`load_params`; everything below them takes plain arguments. Every
mistake a user can make in the file stops here with one sentence naming the key.
"""

import dataclasses
import types
import typing
from pathlib import Path

import yaml

from pose.codec.decode import DECODERS
from pose.codec.heatmaps import RENDERERS
from pose.data.datasets import DATASETS
from pose.deploy.export import VARIANTS
from pose.errors import PoseError
from pose.inference.person import FinderSettings
from pose.train.backbones import BACKBONES, ENCODER_STRIDES
from pose.train.losses import LOSSES

# Every choice a key offers comes from the registry of the code that implements it; none of
# these modules loads TensorFlow, so a bad value stops the stage before any heavy import.
DATASET_NAMES = tuple(DATASETS)
KERAS_BACKENDS = ("tensorflow", "jax", "torch")  # train.backend: what Keras 3 can train on


@dataclasses.dataclass(frozen=True)
class DataParams:
    # the dataset the pipeline trains and tests on, or a list of several trained on together (the
    # first is the primary one: decoder comparison, figures, quantize's scores)
    dataset: str | tuple = "lspet"
    # dataset name -> folder already on disk ($VARIABLES expanded); used instead of downloading,
    # and for evaluating on datasets other than the training one
    folders: dict = dataclasses.field(default_factory=lambda: {
        "lspet": "$POSE_LSPET_DIR", "mpii": "$POSE_MPII_DIR", "coco": "$POSE_COCO_DIR", "h36m": "$POSE_H36M_DIR"})
    # several datasets: name -> relative share of each epoch's training samples; empty: in
    # proportion to their numbers of training persons (each person once an epoch)
    weights: dict = dataclasses.field(default_factory=dict)

    @property
    def names(self):
        """The listed datasets, in order: a tuple of one name or several."""
        return (self.dataset,) if isinstance(self.dataset, str) else tuple(self.dataset)

    @property
    def primary(self):
        """The first listed dataset."""
        return self.names[0]


@dataclasses.dataclass(frozen=True)
class DownloadParams:
    retries: int = 5  # attempts per file before giving up; each resumes the partial file
    timeout_s: float = 60.0  # socket timeout of one HTTP request
    sha256: dict = dataclasses.field(default_factory=lambda: {  # file name -> expected sha256 (hex)
        "lspet_dataset.zip": "9599cd8bc614f573fef38e6936e8d32a29e81b8fe080b71dd80f49faf0569430"})


@dataclasses.dataclass(frozen=True)
class GeometryParams:
    input_width: int = 160  # model input, pixels
    input_height: int = 160
    output_stride: int = 4  # input pixels per heatmap pixel

    @property
    def heatmap_width(self):
        return self.input_width // self.output_stride

    @property
    def heatmap_height(self):
        return self.input_height // self.output_stride


@dataclasses.dataclass(frozen=True)
class CropParams:
    margin: float = 1.3  # crop side / person size; room for rotation and scale augmentation
    context_size: int = 256  # side of the training persons' wide context crops, pixels
    context_margin: float = 6.5  # context crop side / person size: the loosest framing training can cut
    shard_size: int = 1000  # samples per .npz shard
    workers: int = 2  # threads decoding and cropping images


@dataclasses.dataclass(frozen=True)
class HeatmapParams:
    sigma: float = 1.5  # Gaussian standard deviation, heatmap pixels
    method: str = "analytic"  # analytic (sub-pixel) | blur (cv2.GaussianBlur of a one-hot map)


@dataclasses.dataclass(frozen=True)
class AugmentParams:
    # Loose framings, cut from the context crops: the person at a random size and place in the
    # frame, as in a whole photo, so the model finds people it is not centred on.
    loose_probability: float = 0.2  # share of training samples framed loosely (0: tight crops only)
    loose_margin_min: float = 2.0  # framing side / person size, log-uniform between min and max;
    loose_margin_max: float = 6.5  # at most crops.context_margin
    flip_probability: float = 0.5  # horizontal flip, left/right joints swapped
    rotation_degrees: float = 30.0  # uniform in +- this
    scale_range: float = 0.15  # zoom uniform in 1 +- this
    brightness: float = 25.0  # max delta, pixel levels 0..255
    contrast: float = 0.25  # factor uniform in 1 +- this
    saturation: float = 0.25  # factor uniform in 1 +- this
    # share of samples with part of the body hidden under a rectangle of one random colour
    # (2-20 % of the frame, centred inside the labeled joints' box); joints under it stay labeled
    occlusion_probability: float = 0.0
    # share of tight-crop samples framed around the upper or the lower half of the body only (the
    # half with at least 3 labeled joints, x1.3 its joints' box): what a crop around a person
    # whose other half is hidden or outside the photo looks like
    half_body_probability: float = 0.0
    # tight crops' framing moved off-centre by up to this share of the crop side per axis (uniform):
    # what the person search's crops look like, centred on joints it placed imperfectly
    shift_range: float = 0.1


@dataclasses.dataclass(frozen=True)
class TrainParams:
    backend: str = "tensorflow"  # Keras backend that trains: tensorflow | jax | torch (export always uses TensorFlow)
    backbone: str = "mobilenet_v2"  # mobilenet_v2 | efficientnet_b0 | resnet50
    weights: str = "imagenet"  # imagenet (transfer learning) | none (random init)
    loss: str = "iou"  # iou (soft Jaccard) | mse | weighted_mse
    foreground_weight: float = 10.0  # weighted_mse only: weight of pixels where the target > 0.1
    batch_size: int = 16
    epochs: int = 14  # total, frozen epochs included
    frozen_epochs: int = 2  # first epochs with the encoder frozen (only new layers learn)
    learning_rate: float = 1e-3  # Adam, frozen phase; cosine decay within each phase
    fine_tune_learning_rate: float = 1e-3
    fine_tune_warmup_epochs: float = 0.0  # fine-tuning starts with a linear learning-rate ramp from 0 this long
    fine_tune_fraction: float = 0.5  # share of encoder layers, from the top, trained after the frozen phase
    bn_momentum: float = 0.9
    decoder_width: float = 1.0  # multiplies the decoder's filter counts (pose.train.model.DECODER_FILTERS)
    early_stopping_patience: int = 4  # epochs without a better validation loss
    deterministic: bool = True  # tf op determinism (measured 2 % slower on CPU); other backends: as they come
    mixed_precision: bool = False  # float16 compute on GPUs; ignored on CPU
    input_workers: int = 1  # threads (or processes) preparing batches while the model steps
    input_processes: bool = False  # worker processes instead of threads (GPU rates: one per spare core)
    augment: AugmentParams = AugmentParams()


@dataclasses.dataclass(frozen=True)
class EvaluateParams:
    decoder: str = "centroid"  # argmax | quarter_offset | dark | centroid (chosen by measurement, see README)
    datasets: tuple = ("lspet", "mpii", "h36m")  # test sets scored, each one present (the training dataset always is)
    flip_test: bool = False  # also predict the mirrored image and average
    batch_size: int = 32
    # LSPET test photos (relative to the dataset folder) with several people, for the several-people figure
    multi_person_images: tuple = ("images/im09048.jpg", "images/im09049.jpg", "images/im09060.jpg", "images/im09063.jpg")


@dataclasses.dataclass(frozen=True)
class QuantizeParams:
    representative_count: int = 200  # training crops calibrating the int8 activation ranges
    loose_share: float = 0.0  # share of those framed loosely (the person small, as in the search's first passes)
    max_pck_drop: float = 0.02  # the stage fails if int8 loses more PCK@0.2 (all joints) than this, 0..1
    latency_runs: int = 50  # timed inferences per variant and thread count (median reported)


@dataclasses.dataclass(frozen=True)
class DeployParams:
    variant: str = "int8"  # float32 | float16 | int8: the TFLite model copied into the app
    max_bytes: int = 3_000_000  # the app's budget for the model file
    golden_count: int = 4  # test crops whose input, raw output and keypoints go to the app's tests


@dataclasses.dataclass(frozen=True)
class Params:
    seed: int = 0
    data: DataParams = DataParams()
    download: DownloadParams = DownloadParams()
    geometry: GeometryParams = GeometryParams()
    crops: CropParams = CropParams()
    heatmaps: HeatmapParams = HeatmapParams()
    train: TrainParams = TrainParams()
    inference: FinderSettings = FinderSettings()
    evaluate: EvaluateParams = EvaluateParams()
    quantize: QuantizeParams = QuantizeParams()
    deploy: DeployParams = DeployParams()


def load_params(path="params.yaml"):
    """Read and validate a params file; raises :class:`PoseError` naming the bad key."""
    path = Path(path)
    if not path.is_file():
        raise PoseError(f"{path} does not exist; run from the project root or pass --params.")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise PoseError(f"{path} is not valid YAML ({error}); fix the file.") from None
    params = _build(Params, raw, prefix="", source=path)
    validate(params, source=path)
    return params


def params_from_dict(raw, source="params"):
    """Same as :func:`load_params` for an in-memory mapping (tests, notebooks)."""
    params = _build(Params, raw, prefix="", source=source)
    validate(params, source=source)
    return params


def _build(cls, raw, prefix, source):
    if not isinstance(raw, dict):
        raise PoseError(f"{source}: {prefix.rstrip('.') or 'the file'} must be a mapping of keys to values.")
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise PoseError(
            f"{source}: unknown key {prefix}{unknown[0]}; known keys here are {', '.join(fields)}."
        )
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in raw.items():
        kind = hints[name]
        key = prefix + name
        if dataclasses.is_dataclass(kind):
            values[name] = _build(kind, value, key + ".", source)
        else:
            values[name] = _coerce(kind, value, key, source)
    return cls(**values)


def _coerce(kind, value, key, source):
    if typing.get_origin(kind) in (typing.Union, types.UnionType):  # the first alternative that fits
        for alternative in typing.get_args(kind):
            try:
                return _coerce(alternative, value, key, source)
            except PoseError:
                pass
        names = " or ".join("list" if option is tuple else option.__name__ for option in typing.get_args(kind))
        raise PoseError(f"{source}: {key} = {value!r} must be a {names}.")
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is bool and isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is tuple and isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    if kind is dict and isinstance(value, dict):
        return dict(value)
    raise PoseError(f"{source}: {key} = {value!r} must be of type {kind.__name__}.")


def validate(params, source="params"):
    """Cross-field checks; raises :class:`PoseError` with one sentence naming the key."""
    data, geometry, crops, heatmaps = params.data, params.geometry, params.crops, params.heatmaps
    for name in data.names:
        if name not in DATASET_NAMES:
            raise PoseError(
                f"{source}: data.dataset names {name!r}, not a known dataset; "
                f"choose one of {', '.join(DATASET_NAMES)} (or a list of several)."
            )
    if not data.names or len(set(data.names)) < len(data.names):
        raise PoseError(f"{source}: data.dataset = {list(data.names)} must name one dataset or several different ones.")
    for name, weight in data.weights.items():
        if name not in data.names or isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise PoseError(
                f"{source}: data.weights.{name} = {weight!r}: weights are positive numbers for the datasets "
                f"data.dataset lists ({', '.join(data.names)}).")
    if data.weights and set(data.weights) != set(data.names):
        missing = sorted(set(data.names) - set(data.weights))
        raise PoseError(f"{source}: data.weights gives no weight for {', '.join(missing)}; weigh every listed "
                        "dataset, or leave data.weights empty to mix in proportion to size.")
    for name, folder in data.folders.items():
        if name not in DATASET_NAMES or not isinstance(folder, (str, type(None))):
            raise PoseError(
                f"{source}: data.folders.{name} = {folder!r} must map a known dataset "
                f"({', '.join(DATASET_NAMES)}) to a folder path."
            )
    for name in params.evaluate.datasets:
        if name not in DATASET_NAMES:
            raise PoseError(
                f"{source}: evaluate.datasets lists {name!r}, not a known dataset; choose from {', '.join(DATASET_NAMES)}."
            )
    for key in ("input_width", "input_height", "output_stride"):
        if getattr(geometry, key) <= 0:
            raise PoseError(f"{source}: geometry.{key} must be a positive number of pixels.")
    for key in ("input_width", "input_height"):
        size = getattr(geometry, key)
        if size % geometry.output_stride:
            raise PoseError(
                f"{source}: geometry.output_stride = {geometry.output_stride} does not divide "
                f"geometry.{key} = {size}; choose a stride that divides both input sizes."
            )
    if heatmaps.sigma <= 0:
        raise PoseError(f"{source}: heatmaps.sigma = {heatmaps.sigma} must be positive (heatmap pixels).")
    if heatmaps.method not in RENDERERS:
        raise PoseError(
            f"{source}: heatmaps.method = {heatmaps.method!r} is unknown; choose one of "
            f"{', '.join(RENDERERS)}."
        )
    if crops.margin < 1:
        raise PoseError(f"{source}: crops.margin = {crops.margin} must be at least 1.")
    if crops.context_margin < crops.margin or crops.context_size < 32:
        raise PoseError(
            f"{source}: crops.context_margin = {crops.context_margin} must be at least crops.margin = {crops.margin}, "
            f"and crops.context_size = {crops.context_size} at least 32 pixels.")
    for key in ("shard_size", "workers"):
        if getattr(crops, key) < 1:
            raise PoseError(f"{source}: crops.{key} must be at least 1.")
    _validate_train(params.train, geometry, source)
    if params.train.augment.loose_margin_max > crops.context_margin:
        raise PoseError(
            f"{source}: train.augment.loose_margin_max = {params.train.augment.loose_margin_max} exceeds "
            f"crops.context_margin = {crops.context_margin}, the widest framing the context crops hold.")
    if params.evaluate.decoder not in DECODERS:
        raise PoseError(
            f"{source}: evaluate.decoder = {params.evaluate.decoder!r} is unknown; choose one of {', '.join(DECODERS)}."
        )
    finder = params.inference
    if finder.passes < 1 or finder.min_joints < 1:
        raise PoseError(f"{source}: inference.passes and inference.min_joints must be at least 1.")
    if finder.crop_margin < 1:
        raise PoseError(f"{source}: inference.crop_margin = {finder.crop_margin} must be at least 1.")
    if finder.mask_margin < 0:
        raise PoseError(f"{source}: inference.mask_margin = {finder.mask_margin} must be 0 or more.")
    if not 0 <= finder.settle_iou <= 1:
        raise PoseError(f"{source}: inference.settle_iou = {finder.settle_iou} must be an overlap between 0 and 1 "
                        "(1: every pass runs unless a crop repeats exactly).")
    for key in ("joint_threshold", "person_threshold", "extra_person_threshold"):
        if not 0 <= getattr(finder, key) <= 1:
            raise PoseError(f"{source}: inference.{key} = {getattr(finder, key)} must be a confidence between 0 and 1.")
    quantize = params.quantize
    if quantize.representative_count < 1 or quantize.latency_runs < 1:
        raise PoseError(f"{source}: quantize.representative_count and quantize.latency_runs must be at least 1.")
    if not 0 <= quantize.loose_share <= 1:
        raise PoseError(f"{source}: quantize.loose_share = {quantize.loose_share} must be a share between 0 and 1.")
    if not 0 <= quantize.max_pck_drop <= 1:
        raise PoseError(f"{source}: quantize.max_pck_drop = {quantize.max_pck_drop} must be a fraction between 0 and 1.")
    if params.deploy.variant not in VARIANTS:
        raise PoseError(
            f"{source}: deploy.variant = {params.deploy.variant!r} is unknown; choose one of {', '.join(VARIANTS)}.")
    if params.deploy.golden_count < 1:
        raise PoseError(f"{source}: deploy.golden_count must be at least 1.")
    if params.download.retries < 1:
        raise PoseError(f"{source}: download.retries must be at least 1.")
    for name, digest in params.download.sha256.items():
        if not (isinstance(digest, str) and len(digest) == 64):
            raise PoseError(f"{source}: download.sha256.{name} must be a 64-character hex sha256.")


def _validate_train(train, geometry, source):
    choices = {"backend": KERAS_BACKENDS, "backbone": tuple(BACKBONES), "loss": tuple(LOSSES),
               "weights": ("imagenet", "none")}
    for key, names in choices.items():
        if getattr(train, key) not in names:
            raise PoseError(
                f"{source}: train.{key} = {getattr(train, key)!r} is unknown; choose one of {', '.join(names)}."
            )
    for key in ("batch_size", "epochs", "input_workers"):
        if getattr(train, key) < 1:
            raise PoseError(f"{source}: train.{key} = {getattr(train, key)} must be at least 1.")
    if not 0 <= train.frozen_epochs <= train.epochs:
        raise PoseError(
            f"{source}: train.frozen_epochs = {train.frozen_epochs} must be between 0 and train.epochs = {train.epochs}."
        )
    for key in ("learning_rate", "fine_tune_learning_rate", "foreground_weight"):
        if getattr(train, key) <= 0:
            raise PoseError(f"{source}: train.{key} = {getattr(train, key)} must be positive.")
    fine_tune_epochs = train.epochs - train.frozen_epochs
    if train.fine_tune_warmup_epochs < 0 or (train.fine_tune_warmup_epochs and
                                             train.fine_tune_warmup_epochs >= fine_tune_epochs):
        raise PoseError(f"{source}: train.fine_tune_warmup_epochs = {train.fine_tune_warmup_epochs} must be 0 (off) or "
                        f"positive and shorter than the {fine_tune_epochs} fine-tuning epochs "
                        f"(train.epochs - train.frozen_epochs).")
    if not 0 < train.fine_tune_fraction <= 1:
        raise PoseError(f"{source}: train.fine_tune_fraction = {train.fine_tune_fraction} must be in (0, 1].")
    if not 0 <= train.bn_momentum < 1:
        raise PoseError(f"{source}: train.bn_momentum = {train.bn_momentum} must be in [0, 1).")
    if not 0 < train.decoder_width <= 4:
        raise PoseError(f"{source}: train.decoder_width = {train.decoder_width} must be in (0, 4].")
    augment = train.augment
    for key in ("rotation_degrees", "scale_range", "brightness", "contrast", "saturation"):
        if getattr(augment, key) < 0:
            raise PoseError(f"{source}: train.augment.{key} = {getattr(augment, key)} must be 0 (off) or positive.")
    for key in ("scale_range", "contrast", "saturation"):
        if getattr(augment, key) >= 1:
            raise PoseError(f"{source}: train.augment.{key} = {getattr(augment, key)} must be below 1 (a factor of 1 +- it).")
    if not 0 <= augment.loose_probability <= 1:
        raise PoseError(f"{source}: train.augment.loose_probability = {augment.loose_probability} must be between 0 and 1.")
    if not 1 <= augment.loose_margin_min <= augment.loose_margin_max:
        raise PoseError(
            f"{source}: train.augment.loose_margin_min = {augment.loose_margin_min} must be at least 1 and at most "
            f"train.augment.loose_margin_max = {augment.loose_margin_max}.")
    if not 0 <= augment.shift_range <= 0.5:
        raise PoseError(f"{source}: train.augment.shift_range = {augment.shift_range} must be between 0 (off) and 0.5 "
                        "(the crop's centre moved to its edge).")
    for key in ("flip_probability", "occlusion_probability", "half_body_probability"):
        if not 0 <= getattr(augment, key) <= 1:
            raise PoseError(f"{source}: train.augment.{key} = {getattr(augment, key)} must be between 0 and 1.")
    if train.early_stopping_patience < 1:
        raise PoseError(f"{source}: train.early_stopping_patience must be at least 1.")
    if geometry.output_stride not in ENCODER_STRIDES[:-1]:
        raise PoseError(
            f"{source}: geometry.output_stride = {geometry.output_stride} is not one of 2, 4, 8, 16, the "
            "strides at which the U-Net decoder can end."
        )
    for key in ("input_width", "input_height"):
        if getattr(geometry, key) % 32:
            raise PoseError(
                f"{source}: geometry.{key} = {getattr(geometry, key)} is not a multiple of 32, which the "
                "encoder's five stride-2 stages need; use e.g. 128, 160, 192 or 256."
            )
