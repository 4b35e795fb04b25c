"""Run a TFLite pose model on photos, a folder of photos or a video: skeleton overlays and JSON, the desktop twin of the app.

Each photo goes through :func:`pose.inference.person.find_person` (the whole frame, then a crop
around what it found; nothing from labels), each video frame through
:func:`pose.inference.person.track_person` (a crop around the previous frame's person, a whole
frame search when it is lost) and a one-euro filter. A frame where nobody is found gets no
skeleton. ``--json`` writes the people found for programs: per photo or frame, each person's
score and, per joint name, x, y (frame pixels) and confidence.
"""

import dataclasses
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

from pose.deploy.export import LiteModel
from pose.errors import PoseError
from pose.fileio import atomic_path, write_json
from pose.inference.person import find_people, find_person, track_person
from pose.inference.smoothing import OneEuroFilter

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
BONE_COLOUR = (60, 220, 60)  # BGR
JOINT_COLOUR = (40, 40, 255)


def draw(frame_bgr, keypoints, confidence, edges, threshold):
    """Draw bones and joints whose confidence reaches ``threshold`` onto a BGR frame, in place."""
    shown = confidence >= threshold
    thickness = max(2, round(max(frame_bgr.shape[:2]) / 300))
    for first, second in edges:
        if shown[first] and shown[second]:
            cv2.line(frame_bgr, tuple(np.round(keypoints[first]).astype(int)), tuple(np.round(keypoints[second]).astype(int)),
                     BONE_COLOUR, thickness, cv2.LINE_AA)
    for point in keypoints[shown]:
        cv2.circle(frame_bgr, tuple(np.round(point).astype(int)), thickness + 1, JOINT_COLOUR, -1, cv2.LINE_AA)
    return frame_bgr


def person_record(person, joint_names):
    """A found person as JSON: score and {joint: [x, y, confidence]} in frame pixels (rounded to 0.01 px)."""
    return {"score": round(person.score, 4),
            "keypoints": {name: [round(float(x), 2), round(float(y), 2), round(float(c), 4)]
                          for name, (x, y), c in zip(joint_names, person.keypoints, person.confidence)}}


def _overlay(frame_bgr, people, edges, threshold):
    for person in people:
        if person.found:
            draw(frame_bgr, person.keypoints, person.confidence, edges, threshold)
    return frame_bgr


def _write_image(path, image):
    with atomic_path(path) as temporary:
        if not cv2.imwrite(str(temporary), image):
            raise PoseError(f"could not write {path}; check the folder and the file extension.")


def predict_photos(photos, model, overlay_path, threshold, progress=True, everyone=False):
    """Overlays of ``photos`` (paths), each written to ``overlay_path(photo)``.

    ``everyone``: every person in each photo (:func:`pose.inference.person.find_people`), not only
    the most prominent one (:func:`pose.inference.person.find_person`).

    Returns:
        (records: one dict per readable photo, skipped: (path, reason) for the others)
    """
    meta = model.metadata
    records, skipped = [], []
    for path in tqdm(photos, unit="photo", disable=not progress or len(photos) < 2):
        frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if frame is None:
            skipped.append((str(path), "could not be decoded as an image"))
            continue
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        if everyone:
            people = find_people(model, rgb)
        else:
            person = find_person(model, rgb)
            people = [person] if person.found else []
        target = overlay_path(path)
        _write_image(target, _overlay(frame, people, meta["skeleton_edges"], threshold))
        records.append({"source": str(path), "overlay": str(target), "width": frame.shape[1], "height": frame.shape[0],
                        "people": [person_record(person, meta["joint_names"]) for person in people]})
    return records, skipped


def predict_video(source, model, out, threshold, smoothing=True):
    """Overlay a video frame by frame, tracking the person; returns one record per frame."""
    capture = cv2.VideoCapture(str(source))
    if not capture.isOpened():
        raise PoseError(f"{source} could not be opened as a video.")
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    with atomic_path(out) as temporary:
        records = _overlay_frames(capture, cv2.VideoWriter(str(temporary), cv2.VideoWriter_fourcc(*"mp4v"), fps, size),
                                  fps, model, threshold, smoothing, Path(source).name)
    return records


def _overlay_frames(capture, writer, fps, model, threshold, smoothing, name):
    """Track, smooth and draw every frame of ``capture`` into ``writer``: one JSON record per frame."""
    meta = model.metadata
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) or None
    smoother, person, records = OneEuroFilter(), None, []
    with tqdm(total=total, unit="frame", desc=name) as bar:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            seconds = len(records) / fps
            person = track_person(model, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), person)
            shown = person
            if person.found and smoothing:
                shown = dataclasses.replace(person, keypoints=smoother(person.keypoints, person.confidence, seconds))
            else:
                smoother.reset()
            writer.write(_overlay(frame, [shown], meta["skeleton_edges"], threshold))
            records.append({"frame": len(records), "time_s": round(seconds, 4),
                            "people": [person_record(shown, meta["joint_names"])] if shown.found else []})
            bar.update(1)
    capture.release()
    writer.release()
    return records


def predict_file(source, model_path, out=None, threshold=0.3, threads=2, json_path=None, everyone=False):
    """Overlay the skeleton on a photo, every photo of a folder, or a video; returns the output path.

    Args:
        out: the overlay file (photo, video) or folder (a folder of photos); default beside the source.
        json_path: also write the people found, per photo or frame, as JSON there.
        everyone: photos: every person found, not only the most prominent (videos track one person).
    """
    source = Path(source)
    if not source.exists():
        raise PoseError(f"{source} does not exist; pass a photo, a folder of photos or a video file.")
    model = LiteModel(model_path, threads=threads)
    meta = model.metadata
    report = {"model": str(model_path), "joint_names": meta["joint_names"], "pixels": "frame pixels, (0, 0) the "
              "centre of the top-left pixel; keypoints: joint -> [x, y, confidence]"}
    if source.is_dir():
        photos = sorted(path for path in source.iterdir() if path.suffix.lower() in PHOTO_SUFFIXES
                        and not path.stem.endswith(".pose"))
        if not photos:
            raise PoseError(f"{source} holds no photos ({', '.join(sorted(PHOTO_SUFFIXES))}); pass a folder of photos.")
        out = Path(out) if out else source.with_name(f"{source.name}.pose")
        out.mkdir(parents=True, exist_ok=True)
        report["photos"], skipped = predict_photos(photos, model, lambda photo: out / photo.name, threshold,
                                                    everyone=everyone)
        report["skipped_count"] = len(skipped)
        report["skipped"] = [{"source": path, "reason": reason} for path, reason in skipped]
        for path, reason in skipped:
            print(f"skipped {path}: {reason}")
    elif source.suffix.lower() in VIDEO_SUFFIXES:
        out = Path(out) if out else source.with_name(f"{source.stem}.pose.mp4")
        report["frames"] = predict_video(source, model, out, threshold)
    else:
        out = Path(out) if out else source.with_name(f"{source.stem}.pose{source.suffix}")
        report["photos"], skipped = predict_photos([source], model, lambda photo: out, threshold, progress=False,
                                                    everyone=everyone)
        if skipped:
            raise PoseError(f"{source} could not be decoded as an image; pass a JPEG/PNG photo, a folder or a video.")
    if json_path:
        write_json(json_path, report)
    return out
