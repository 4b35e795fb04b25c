"""Figures a person wants to look at: skeletons over photos, per-joint bars, PCK curves."""

import matplotlib

matplotlib.use("Agg")  # files only: stages run without a screen
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from pose.joints import JOINT_NAMES, SKELETON_EDGES  # noqa: E402

TRUTH_COLOUR = "#33dd33"
PREDICTION_COLOUR = "#ff3355"


def draw_skeleton(axis, keypoints, shown, colour, label=None, width=2.0):
    """Bones and joints of one person on a matplotlib axis; ``shown`` (K,) picks the joints drawn."""
    for first, second in SKELETON_EDGES:
        if shown[first] and shown[second]:
            axis.plot(keypoints[[first, second], 0], keypoints[[first, second], 1], color=colour, linewidth=width)
    axis.scatter(keypoints[shown, 0], keypoints[shown, 1], s=10, color=colour, label=label, zorder=3)


def example_grid(images, predicted, truth, labeled, row_titles, captions, path, columns=4):
    """A grid of crops, one row per group (e.g. best, median, worst), prediction over truth.

    Args:
        images: (R * columns, H, W, 3) uint8 crops. predicted, truth: (R * columns, K, 2) crop pixels.
        labeled: (R * columns, K) bool. row_titles: R strings. captions: one per image.
    """
    rows = len(row_titles)
    figure, axes = plt.subplots(rows, columns, figsize=(3 * columns, 3.2 * rows), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= len(images):
            continue
        axis.imshow(images[index])
        draw_skeleton(axis, truth[index], labeled[index], TRUTH_COLOUR, "truth", width=1.5)
        draw_skeleton(axis, predicted[index], np.ones(len(predicted[index]), bool), PREDICTION_COLOUR, "prediction")
        axis.set_title(captions[index], fontsize=8)
        if index % columns == 0:
            axis.text(-0.08, 0.5, row_titles[index // columns], transform=axis.transAxes, rotation=90,
                      va="center", ha="right", fontsize=11, weight="bold")
    axes.flat[0].legend(loc="lower left", fontsize=7, framealpha=0.7)
    figure.suptitle("Prediction (red) over ground truth (green)", fontsize=12)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def per_joint_bars(values, title, path):
    """Horizontal bars, one per joint, in MPII order; ``values`` maps joint name -> 0..1 (NaN or absent: no label)."""
    figure, axis = plt.subplots(figsize=(6, 5))
    names = list(JOINT_NAMES)[::-1]
    scores = [values.get(name, np.nan) for name in names]
    bars = axis.barh(names, [0 if np.isnan(s) else s for s in scores], color="#4477aa")
    for bar, value in zip(bars, scores):
        text = "no labels" if np.isnan(value) else f"{value:.2f}"
        axis.text(bar.get_width() + 0.01, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    axis.set_xlim(0, 1.1)
    axis.set_xlabel("PCK@0.2 (torso)")
    axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def pck_curves(curves, path):
    """PCK against threshold; ``curves`` maps a label -> (alphas, pck values)."""
    figure, axis = plt.subplots(figsize=(6, 4))
    for label, (alphas, values) in curves.items():
        axis.plot(alphas, values, label=label, linewidth=2)
    axis.set_xlabel("threshold alpha (fraction of torso size)")
    axis.set_ylabel("PCK")
    axis.set_ylim(0, 1)
    axis.grid(alpha=0.3)
    axis.axvline(0.2, color="grey", linestyle=":", linewidth=1)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


PERSON_COLOURS = ("#ff3355", "#33aaff", "#ffcc00", "#33dd33", "#cc66ff", "#ff8800")


def multi_person_grid(photos, people, captions, path):
    """Photos with every detected skeleton in its own colour.

    Args:
        photos: list of (H, W, 3) uint8. people: per photo, (P, K, 3) x, y photo pixels, score (NaN: not found).
    """
    figure, axes = plt.subplots(1, len(photos), figsize=(4.5 * len(photos), 4.8), squeeze=False)
    for axis, photo, found, caption in zip(axes[0], photos, people, captions):
        axis.imshow(photo)
        axis.axis("off")
        for index, person in enumerate(found):
            shown = ~np.isnan(person[:, 0])
            draw_skeleton(axis, person[:, :2], shown, PERSON_COLOURS[index % len(PERSON_COLOURS)])
        axis.set_title(f"{caption}: {len(found)} found", fontsize=9)
    figure.suptitle("Every person found in the whole photo: search, black out who was found, search again")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
