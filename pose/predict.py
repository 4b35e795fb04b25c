"""Run a TFLite pose model on any photo or video and write the skeleton overlay: the desktop twin of the app.

The whole frame is letterboxed into the model input (longer side fitted, padded right/bottom),
keypoints are decoded with the decoder named in the model's metadata JSON and mapped back to
frame pixels; joints below the confidence threshold are not drawn.
"""

from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

from pose.decode import decode
from pose.errors import PoseError
from pose.evaluation import unzoom
from pose.export import LiteModel
from pose.heatmaps import heatmap_to_crop

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm"}
BONE_COLOUR = (60, 220, 60)  # BGR
JOINT_COLOUR = (40, 40, 255)


def letterbox(frame_rgb, width, height):
    """Fit a frame into (height, width): (input uint8, zoom: input pixels per frame pixel)."""
    zoom = min(width / frame_rgb.shape[1], height / frame_rgb.shape[0])
    resized = cv2.resize(frame_rgb, (max(1, round(frame_rgb.shape[1] * zoom)), max(1, round(frame_rgb.shape[0] * zoom))),
                         interpolation=cv2.INTER_AREA)
    canvas = np.zeros((height, width, 3), np.uint8)
    canvas[:resized.shape[0], :resized.shape[1]] = resized
    return canvas, zoom


def keypoints_in_frame(model, frame_rgb):
    """((K, 2) frame pixels, (K,) confidence) for one RGB frame."""
    meta = model.metadata
    image, zoom = letterbox(frame_rgb, meta["input"]["width"], meta["input"]["height"])
    keypoints, confidence = decode(model(image[None]), meta["decoder"])
    return unzoom(heatmap_to_crop(keypoints[0], meta["output"]["stride"]), zoom), confidence[0]


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


def predict_file(source, model_path, out=None, threshold=0.3, threads=2):
    """Overlay the skeleton on a photo or a video; returns the output path."""
    source = Path(source)
    if not source.is_file():
        raise PoseError(f"{source} does not exist; pass a photo or video file.")
    model = LiteModel(model_path, threads=threads)
    edges = model.metadata["skeleton_edges"]
    is_video = source.suffix.lower() in VIDEO_SUFFIXES
    out = Path(out) if out else source.with_name(f"{source.stem}.pose{'.mp4' if is_video else source.suffix}")
    if not is_video:
        frame = cv2.imread(str(source), cv2.IMREAD_COLOR)
        if frame is None:
            raise PoseError(f"{source} could not be decoded as an image; pass a JPEG/PNG photo or a video.")
        keypoints, confidence = keypoints_in_frame(model, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        if not cv2.imwrite(str(out), draw(frame, keypoints, confidence, edges, threshold)):
            raise PoseError(f"could not write {out}; check the folder and the file extension.")
        return out
    capture = cv2.VideoCapture(str(source))
    if not capture.isOpened():
        raise PoseError(f"{source} could not be opened as a video.")
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) or None
    with tqdm(total=total, unit="frame", desc=source.name) as bar:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            keypoints, confidence = keypoints_in_frame(model, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            writer.write(draw(frame, keypoints, confidence, edges, threshold))
            bar.update(1)
    capture.release()
    writer.release()
    return out
