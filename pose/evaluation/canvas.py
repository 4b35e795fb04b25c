"""The zoomed-out protocol: each test photo placed at a seeded position in a canvas 2x or 3x its size.

The rest of the canvas is a mosaic of small patches cut from the other test photos at random and
shuffled: it has the colours and edges of real photos but no person (a patch is a fraction of a
body at most), so the person cannot be found by looking for the only textured region, and the
mosaic holds no second whole person to be found instead. Everything is seeded: evaluation,
quantize and the MediaPipe comparison see the same canvases.
"""

import numpy as np

PATCH = 16  # mosaic patch side, photo pixels
POOL = 4096  # patches in the pool the mosaic draws from


def patch_pool(photos, seed, patch=PATCH, count=POOL):
    """(count, patch, patch, 3) uint8 patches cut at random from ``photos`` (a list of (H, W, 3) uint8)."""
    rng = np.random.default_rng([seed, 1])
    usable = [photo for photo in photos if photo.shape[0] >= patch and photo.shape[1] >= patch]
    picks = rng.integers(0, len(usable), count)
    pool = np.empty((count, patch, patch, 3), np.uint8)
    for index, pick in enumerate(picks):
        photo = usable[pick]
        y = rng.integers(0, photo.shape[0] - patch + 1)
        x = rng.integers(0, photo.shape[1] - patch + 1)
        pool[index] = photo[y:y + patch, x:x + patch]
    return pool


def _layout(height, width, factor, pool_size, patch, seed, index):
    """The seeded draws of one canvas: mosaic tile indices (rows * columns,), rows, columns, photo offset (x, y)."""
    rng = np.random.default_rng([seed, 2, factor, index])
    rows, columns = -(-factor * height // patch), -(-factor * width // patch)
    tiles = rng.integers(0, pool_size, rows * columns)
    x = int(rng.integers(0, factor * width - width + 1))
    y = int(rng.integers(0, factor * height - height + 1))
    return tiles, rows, columns, (x, y)


def zoomed_out(photo, factor, pool, seed, index):
    """The photo inside a mosaic canvas ``factor`` times its size.

    Args:
        photo: (H, W, 3) uint8. factor: canvas side / photo side (2, 3). pool: from :func:`patch_pool`.
        seed, index: the canvas's seed (the pipeline's ``seed`` and the photo's position in its test set).
    Returns:
        (canvas (factor*H, factor*W, 3) uint8, (x, y) offset of the photo's top-left pixel in the canvas)
    """
    height, width = photo.shape[:2]
    patch = pool.shape[1]
    tiles, rows, columns, (x, y) = _layout(height, width, factor, len(pool), patch, seed, index)
    mosaic = pool[tiles].reshape(rows, columns, patch, patch, 3).transpose(0, 2, 1, 3, 4)
    canvas = np.ascontiguousarray(mosaic.reshape(rows * patch, columns * patch, 3)[:factor * height, :factor * width])
    canvas[y:y + height, x:x + width] = photo
    return canvas, (x, y)


def shifted(arrays, offsets):
    """A test set's arrays with every person moved by its photo's canvas offset (N, 2), for scoring on canvases."""
    moved = dict(arrays)
    moved["crop_to_image"] = arrays["crop_to_image"].copy()
    moved["crop_to_image"][:, :, 2] += offsets
    if "head_boxes" in arrays:
        moved["head_boxes"] = arrays["head_boxes"] + np.tile(offsets, 2)
    return moved


class ZoomedOutPhotos:
    """Canvases for one test set, made on demand (a 3x canvas of every LSPET test photo would take 2 GB).

    Args:
        photos: image name -> (H, W, 3) uint8 (a function). names: the test set's unique image names, in order.
    """

    def __init__(self, photos, names, factor, seed):
        self.photos, self.factor, self.seed = photos, factor, seed
        self.index = {name: position for position, name in enumerate(names)}
        self.pool = patch_pool([photos(name) for name in names], seed)

    def __call__(self, name):
        return zoomed_out(self.photos(name), self.factor, self.pool, self.seed, self.index[name])[0]

    def offsets(self, images):
        """(N, 2) canvas offset of each person's photo, for :func:`shifted`."""
        where = {name: _layout(*self.photos(name).shape[:2], self.factor, len(self.pool), self.pool.shape[1],
                               self.seed, self.index[name])[3]
                 for name in dict.fromkeys(images.tolist())}  # the draws only: no canvas is built
        return np.array([where[name] for name in images], np.float64)
