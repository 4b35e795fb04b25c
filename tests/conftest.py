"""Fixtures: a miniature LSPET archive in the upstream layout, and a local HTTP server."""

import http.server
import io
import os
import threading
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest
import scipy.io

REPO = Path(__file__).resolve().parents[1]
SHARED_MIRROR = REPO.parent / "shared" / "mirror"  # tests may name it; the product never does


def without_packages(*names):
    """Python source that makes the packages ``names`` look absent in the process that runs it first.

    It wraps the path finder so that ``importlib.util.find_spec`` gives None for them and their
    submodules and importing them fails with ModuleNotFoundError, as on a machine without them
    (torch's own start-up probes packages with find_spec, so raising instead would break it).
    """
    return f"""
import importlib.machinery as _machinery
import sys as _sys


class _PathFinderWithout:
    def __init__(self, finder):
        self.finder = finder

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {names!r}:
            return None
        return self.finder.find_spec(name, path, target)

    def __getattr__(self, attribute):  # invalidate_caches, find_distributions: the path finder's own
        return getattr(self.finder, attribute)


_sys.meta_path[:] = [_PathFinderWithout(finder) if finder is _machinery.PathFinder else finder
                     for finder in _sys.meta_path]
"""


def make_lspet_zip(path, count=20, seed=0, corrupt_images=(), missing_images=(), joints_shape=None):
    """Write a miniature LSPET zip: README.txt, joints.mat (14, 3, count), images/imNNNNN.jpg.

    Images are non-square (96 x 64) noise with the joints inside; one joint per image is
    unannotated (flag 0, junk coordinates) as in the real file. Returns the joints array.
    """
    rng = np.random.default_rng(seed)
    width, height = 96, 64
    joints = np.zeros((14, 3, count))
    joints[:, 0, :] = rng.uniform(10, width - 10, (14, count))
    joints[:, 1, :] = rng.uniform(8, height - 8, (14, count))
    joints[:, 2, :] = 1
    for i in range(count):
        joints[i % 14, :, i] = (0.0, -26.1, 0.0)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "Leeds Sports Pose Extended Training Dataset (miniature test copy)\n")
        mat = io.BytesIO()
        scipy.io.savemat(mat, {"joints": joints if joints_shape is None else np.zeros(joints_shape)})
        archive.writestr("joints.mat", mat.getvalue())
        archive.writestr("images/", "")
        for i in range(count):
            name = f"images/im{i + 1:05d}.jpg"
            if i in missing_images:
                continue
            if i in corrupt_images:
                archive.writestr(name, b"\xff\xd8 this is not a jpeg")
                continue
            image = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            archive.writestr(name, cv2.imencode(".jpg", image)[1].tobytes())
    return joints


@pytest.fixture
def lspet_zip(tmp_path):
    path = tmp_path / "mirror" / "lspet" / "lspet_dataset.zip"
    path.parent.mkdir(parents=True)
    make_lspet_zip(path)
    return path


class FileServer:
    """Serves ``files`` (URL path -> bytes) on 127.0.0.1 with HTTP Range support.

    ``cut_first`` makes the first N responses stop after ``cut_at`` bytes (a dropped
    connection); ``ignore_range`` makes it answer every request with the whole file (200).
    ``requests`` records (path, Range header) of every request.
    """

    def __init__(self):
        self.files, self.requests = {}, []
        self.cut_first, self.cut_at, self.ignore_range = 0, 0, False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Range")))
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                header = self.headers.get("Range")
                if header and not server.ignore_range:
                    start = int(header.split("=")[1].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                payload = body[start:]
                if server.cut_first > 0:
                    server.cut_first -= 1
                    payload = payload[: server.cut_at]
                    self.wfile.write(payload)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(payload)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def file_server():
    server = FileServer()
    yield server
    server.close()


@pytest.fixture
def no_mirror(monkeypatch):
    monkeypatch.delenv("POSE_MIRROR", raising=False)
    return os.environ


@pytest.fixture(scope="session")
def tiny_int8(tmp_path_factory):
    """A tiny random 64x64 int8 TFLite model with its metadata JSON beside it: (path, metadata)."""
    import json

    import keras

    from pose.deploy import export
    from pose.joints import NUM_JOINTS
    from pose.params import params_from_dict
    from pose.train.model import build_unet

    keras.utils.set_random_seed(0)
    model = build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)
    folder = tmp_path_factory.mktemp("model")
    images = np.random.default_rng(0).integers(0, 255, (4, 64, 64, 3), dtype=np.uint8)
    blob = export.convert(model, "int8", images)
    (folder / "m.tflite").write_bytes(blob)
    meta = export.metadata(blob, "int8", params_from_dict({}), "m.keras")
    (folder / "m.json").write_text(json.dumps(meta))
    return folder / "m.tflite", meta
