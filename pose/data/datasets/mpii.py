"""MPII Human Pose (Andriluka et al., CVPR 2014): about 25,000 photos, 40,000 annotated persons.

MPII's 16 joint ids are the project's joint order (:mod:`pose.joints` is MPII-16), so no
remapping is needed. MATLAB coordinates are 1-based; both readers subtract 1 so that (0, 0) is
the centre of the top-left pixel as everywhere else in the project.

Two annotation formats:

* the official ``mpii_human_pose_v1_u12_1.mat`` (in ``mpii_human_pose_v1_u12_2.zip``), struct
  ``RELEASE``: ``annolist(i).image.name``; ``annolist(i).annorect(r)`` with the head box
  ``x1, y1, x2, y2``, ``objpos.x/y`` (person centre, unused), ``scale`` (person height / 200 px) and
  ``annopoints.point(j)`` with ``id``, ``x``, ``y``, ``is_visible``; ``img_train(i)`` (1: training
  image; 0: test image, whose labels MPII keeps private). PCKh uses the real head boxes.
* the widely used converted JSON: a list of ``{image, center, scale, joints (16 x 2),
  joints_vis}``. It has no head boxes, so PCKh there approximates the head size by 25 x scale
  (metric key ``pckh-scale@0.5``).

Splits. MPII's test labels are private, so the test split is the standard validation list (the
converted ``valid.json`` of Tompson et al., 2,958 persons) when the folder has it: with the
``.mat``, persons in its images are test; a JSON whose file name says ``valid``/``val``/``test``
is test as a whole. Without a validation list, the training images are split in file order,
85 % train / 5 % val / 10 % test (persons follow their image). A ``train`` JSON next to a
validation list gives 95 % train / 5 % val.
"""

from pathlib import Path

import numpy as np
import scipy.io

from pose.data.datasets.images import image_size
from pose.data.datasets.records import make_table, person_box, split_by_position
from pose.data.datasets.references import SCALE_PIXELS, add_references
from pose.errors import PoseError
from pose.joints import NUM_JOINTS

IMAGES_URL = "https://datasets.d2.mpi-inf.mpg.de/andriluka14cvpr/mpii_human_pose_v1.tar.gz"
IMAGES_ARCHIVE = "mpii_human_pose_v1.tar.gz"
IMAGES_BYTES = 12_900_000_000  # about; for the free-disk check
ANNOTATIONS_URL = "https://datasets.d2.mpi-inf.mpg.de/andriluka14cvpr/mpii_human_pose_v1_u12_2.zip"
ANNOTATIONS_ARCHIVE = "mpii_human_pose_v1_u12_2.zip"
ANNOTATIONS_BYTES = 13_000_000
MAT_NAME = "mpii_human_pose_v1_u12_1.mat"
VALIDATION_WORDS = ("valid", "val", "validation", "test")  # words of a file name that mark a validation list


class _Person:
    """One annotated person before it becomes a table row (pixels, 0-based)."""

    def __init__(self, image, joints, labeled, visible, scale, head_box=None):
        self.image, self.joints, self.labeled, self.visible = image, joints, labeled, visible
        self.scale, self.head_box = scale, head_box


def _items(value):
    """A MATLAB struct array read with ``squeeze_me`` as a list: one struct, an array, or nothing."""
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return list(value.ravel())
    return [value]


def _number(struct, name):
    """A scalar field as float, or ``None`` where the field is absent or empty."""
    value = getattr(struct, name, None)
    if value is None or (isinstance(value, np.ndarray) and value.size == 0):
        return None
    try:
        return float(np.asarray(value).ravel()[0])
    except (TypeError, ValueError):
        return None


def _person_from_annorect(image, rect):
    """A :class:`_Person` from one ``annorect``, or a reason string why it cannot be used."""
    points = _items(getattr(getattr(rect, "annopoints", None), "point", None))
    if not points:
        return "no annotated joints"
    scale = _number(rect, "scale")
    if scale is None or scale <= 0:
        return "no person scale"
    joints = np.zeros((NUM_JOINTS, 2))
    labeled = np.zeros(NUM_JOINTS, bool)
    visible = np.zeros(NUM_JOINTS, bool)
    for point in points:
        joint, x, y = _number(point, "id"), _number(point, "x"), _number(point, "y")
        if joint is None or x is None or y is None or not 0 <= joint < NUM_JOINTS:
            continue
        joint = int(joint)
        joints[joint] = (x - 1, y - 1)
        labeled[joint] = True
        # is_visible is 0/1, '0'/'1' or empty in the release; empty means not recorded, not hidden.
        flag = getattr(point, "is_visible", None)
        visible[joint] = str(np.asarray(flag).ravel()[0]) != "0" if np.asarray(flag).size else True
    if not labeled.any():
        return "no annotated joints"
    head = [_number(rect, key) for key in ("x1", "y1", "x2", "y2")]
    head_box = np.asarray(head) - 1 if None not in head else None
    return _Person(image, joints, labeled, visible, scale, head_box)


def read_mat(path):
    """Persons of the official ``.mat``.

    Returns:
        (persons in training images, list of :class:`_Person`; skipped, list of ``(image, reason)``).
        Test images (``img_train`` 0) carry no labels and are counted as skipped once each.
    """
    path = Path(path)
    try:
        mat = scipy.io.loadmat(path, struct_as_record=False, squeeze_me=True)
    except (ValueError, OSError, TypeError, NotImplementedError) as error:
        raise PoseError(f"{path} is not a readable MATLAB file ({error}); download the MPII annotations again.") from None
    release = mat.get("RELEASE")
    if release is None or not hasattr(release, "annolist") or not hasattr(release, "img_train"):
        raise PoseError(f"{path} has no struct RELEASE with annolist and img_train; is it {MAT_NAME}?")
    annolist = _items(release.annolist)
    training = np.atleast_1d(np.asarray(release.img_train)).ravel()
    if len(training) != len(annolist):
        raise PoseError(f"{path}: img_train has {len(training)} entries for {len(annolist)} images; the file is damaged.")
    persons, skipped = [], []
    for entry, is_train in zip(annolist, training):
        name = str(getattr(getattr(entry, "image", None), "name", ""))
        if not is_train:
            skipped.append((name, "MPII test image (labels are not public)"))
            continue
        rects = _items(getattr(entry, "annorect", None))
        if not rects:
            skipped.append((name, "no person annotated"))
        for index, rect in enumerate(rects):
            person = _person_from_annorect(name, rect)
            if isinstance(person, str):
                skipped.append((f"{name} person {index + 1}", person))
            else:
                persons.append(person)
    return persons, skipped


def read_json(path):
    """Persons of a converted JSON file (1-based coordinates); ``(persons, skipped)``."""
    import json

    path = Path(path)
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PoseError(f"{path} is not readable JSON ({error}); replace the file.") from None
    if not isinstance(entries, list):
        raise PoseError(f"{path} holds a {type(entries).__name__}, not the list of persons of the converted MPII format.")
    if entries and not any(isinstance(entry, dict) and "joints" in entry for entry in entries):
        # The converted test.json (MPII's private test set) carries image, center and scale only.
        return [], [(path.name, f"{len(entries)} persons without joint annotations (MPII's test set); file not used")]
    persons, skipped = [], []
    for number, entry in enumerate(entries):
        missing = [key for key in ("image", "center", "scale", "joints", "joints_vis") if key not in entry]
        if missing:
            raise PoseError(f"{path}: person {number} has no {missing[0]!r}; is this the converted MPII JSON format?")
        joints = np.asarray(entry["joints"], dtype=float)
        if joints.shape != (NUM_JOINTS, 2):
            raise PoseError(f"{path}: person {number} has joints of shape {joints.shape}, expected (16, 2).")
        labeled = (np.asarray(entry["joints_vis"], dtype=float) > 0) & (joints >= 0).all(axis=1)
        if not labeled.any() or float(entry["scale"]) <= 0:
            skipped.append((f"{entry['image']} person {number}", "no annotated joints or no scale"))
            continue
        persons.append(_Person(str(entry["image"]), joints - 1, labeled, labeled.copy(), float(entry["scale"])))
    return persons, skipped


def _says_validation(path):
    words = Path(path).stem.lower().replace("-", "_").split("_")
    return any(word in words for word in VALIDATION_WORDS)


def find_annotations(root):
    """``(mat path or None, JSON paths)`` under ``root``; raises :class:`PoseError` when there is neither."""
    root = Path(root)
    mats = sorted(root.glob(MAT_NAME)) + sorted(root.glob(f"*/{MAT_NAME}"))
    jsons = sorted(root.glob("*.json")) + sorted(root.glob("annot/*.json"))
    if not mats and not jsons:
        raise PoseError(
            f"{root} holds neither {MAT_NAME} (official) nor converted *.json / annot/*.json annotations; "
            "point data.folders.mpii at the extracted MPII folder."
        )
    return (mats[0] if mats else None), jsons


def _splits_by_image(images, fractions):
    """Split names for persons, deciding per image in file order (persons follow their image)."""
    order = list(dict.fromkeys(images))
    by_image = dict(zip(order, split_by_position(len(order), fractions)))
    return [by_image[name] for name in images]


def read_annotations(root):
    """Read an MPII folder (official ``.mat`` preferred, else converted JSON) into the common table.

    Images are looked up under ``root/images/`` (the archive's layout) or ``root`` itself.

    Returns:
        (table, skipped) as every dataset reader.
    """
    root = Path(root)
    mat, jsons = find_annotations(root)
    from_json = {path: read_json(path) for path in jsons}
    # A validation list is a validation-named file with labeled persons (test.json has none).
    validation_files = [path for path in jsons if _says_validation(path) and from_json[path][0]]
    if mat is not None:
        persons, skipped = read_mat(mat)
        validation_images = set()
        for path in validation_files:
            validation_images |= {person.image for person in from_json[path][0]}
        images = [person.image for person in persons]
        if validation_images:
            splits = ["test" if name in validation_images else "train" for name in images]
            val = iter(_splits_by_image([n for n in images if n not in validation_images], (0.95, 0.05, 0.0)))
            splits = [split if split == "test" else next(val) for split in splits]
        else:
            splits = _splits_by_image(images, (0.85, 0.05, 0.10))
    else:
        persons, skipped, splits = [], [], []
        for path in jsons:
            found, left_out = from_json[path]
            persons += found
            skipped += left_out
            if _says_validation(path):
                splits += ["test"] * len(found)
            else:
                splits += _splits_by_image([p.image for p in found], (0.95, 0.05, 0.0) if validation_files else (0.85, 0.05, 0.10))
    prefix = "images/" if (root / "images").is_dir() else ""
    kept, sizes, kept_splits, size_of = [], [], [], {}
    for person, split in zip(persons, splits):
        if person.image not in size_of:  # one header read per photo, however many persons it shows
            size_of[person.image] = image_size(root / f"{prefix}{person.image}")
        size = size_of[person.image]
        if isinstance(size, str):
            skipped.append((f"{prefix}{person.image}", size))
            continue
        kept.append(person)
        sizes.append(size)
        kept_splits.append(split)
    box_sizes = np.asarray([SCALE_PIXELS * p.scale for p in kept])
    joints = np.asarray([p.joints for p in kept]).reshape(-1, NUM_JOINTS, 2)
    labeled = np.asarray([p.labeled for p in kept]).reshape(-1, NUM_JOINTS)
    # Cropped like every dataset, around the labeled joints (see README "Cross-dataset evaluation");
    # MPII's own box (objpos, 200 x scale) is kept as the reference of its metrics.
    centers, person_sizes = person_box(joints, labeled)
    table = make_table(
        images=[f"{prefix}{p.image}" for p in kept],
        sizes=np.asarray(sizes).reshape(-1, 2),
        splits=kept_splits,
        joints=joints,
        labeled=labeled,
        visible=np.asarray([p.visible for p in kept]).reshape(-1, NUM_JOINTS),
        centers=centers,
        person_sizes=person_sizes,
    )
    head_boxes = None
    if mat is not None:
        head_boxes = np.asarray([p.head_box if p.head_box is not None else np.full(4, np.nan) for p in kept]).reshape(-1, 4)
    return add_references(table, head_boxes=head_boxes, box_sizes=box_sizes), skipped
