"""Optional per-person reference boxes that some datasets provide, carried for their metrics.

Columns added to the annotation table (pixels, (0, 0) the centre of the top-left pixel):

* ``head_x1, head_y1, head_x2, head_y2``: MPII's head box (official ``.mat`` only); PCKh uses
  0.6 x its diagonal as the head size.
* ``box_size``: the dataset's person box side, 200 x ``scale`` (MPII, Human3.6M); H3.6M's PCK is
  relative to it, and MPII's converted JSON (no head boxes) approximates the head size by
  ``box_size / 8`` (= 25 x scale).

LSPET has neither, and its table has no such columns.
"""

import numpy as np

HEAD_BOX_COLUMNS = ("head_x1", "head_y1", "head_x2", "head_y2")
BOX_SIZE_COLUMN = "box_size"
SCALE_PIXELS = 200.0  # MPII and H3.6M give ``scale`` as the person box side / 200 px


def add_references(table, head_boxes=None, box_sizes=None):
    """``table`` with the reference columns that are given: head_boxes (N, 4), box_sizes (N,)."""
    table = table.copy()
    if head_boxes is not None:
        for k, column in enumerate(HEAD_BOX_COLUMNS):
            table[column] = np.asarray(head_boxes, dtype=float)[:, k]
    if box_sizes is not None:
        table[BOX_SIZE_COLUMN] = np.asarray(box_sizes, dtype=float)
    return table


def reference_arrays(table):
    """The reference columns present in ``table``: ``{"head_boxes": (N, 4), "box_size": (N,)}``, each optional."""
    references = {}
    if all(column in table.columns for column in HEAD_BOX_COLUMNS):
        references["head_boxes"] = table[list(HEAD_BOX_COLUMNS)].to_numpy(dtype=np.float64)
    if BOX_SIZE_COLUMN in table.columns:
        references["box_size"] = table[BOX_SIZE_COLUMN].to_numpy(dtype=np.float64)
    return references
