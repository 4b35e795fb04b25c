"""Several datasets in one pipeline: how their tables and folders sit together, and how they are mixed.

With one dataset (``data.dataset: lspet``) nothing here changes anything: ``data/raw`` holds that
dataset's folder and the annotation table its reader's rows. With several (``data.dataset:
[lspet, coco]``):

* ``data/raw/<name>/`` holds each dataset's folder;
* the annotation table stacks their tables, each ``image`` prefixed with ``<name>/`` (so it
  stays a path below ``data/raw``) and a ``dataset`` column naming the source; reference columns
  one dataset has and another lacks (MPII's head boxes, COCO's ``box_size``) are empty in the
  other's rows;
* training samples keep that prefix in their ``image`` array, which is how training tells the
  datasets apart (:func:`sample_sources`); test sets are written per dataset with the prefix
  removed, so a dataset's test set is the same whether trained alone or in a mix.

Mixing (:func:`training_shares`): each epoch holds as many samples as there are training
persons in all, a share ``w_d`` of them from dataset ``d``; the default share is the dataset's
share of the training persons, i.e. every person once an epoch.
"""

import numpy as np
import pandas as pd

from pose.errors import PoseError

DATASET_COLUMN = "dataset"


def is_mixture(names):
    return len(names) > 1


def dataset_folder(raw, names, name):
    """Where dataset ``name``'s files are below the pipeline's ``raw`` folder."""
    return raw / name if is_mixture(names) else raw


def stack_tables(tables):
    """One annotation table from ``{name: table}`` of several datasets (prefixed images, a ``dataset`` column)."""
    parts = []
    for name, table in tables.items():
        table = table.copy()
        table["image"] = name + "/" + table["image"].astype(str)
        table.insert(0, DATASET_COLUMN, name)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def dataset_rows(table, names, name):
    """Dataset ``name``'s rows of the pipeline's annotation table, as its own reader wrote them.

    With several datasets: the prefix is removed from ``image`` and the columns empty for every
    one of its rows (other datasets' reference boxes) are dropped.
    """
    if not is_mixture(names):
        return table
    if DATASET_COLUMN not in table.columns:
        raise PoseError(f"data.dataset lists {', '.join(names)} but the annotation table has no "
                        f"{DATASET_COLUMN} column; re-run the download stage (`dvc repro download`).")
    rows = table[table[DATASET_COLUMN] == name].drop(columns=DATASET_COLUMN).reset_index(drop=True)
    rows["image"] = rows["image"].str.slice(len(name) + 1)
    return rows.dropna(axis=1, how="all")


def sample_sources(images, names):
    """Index into ``names`` of each sample's dataset, (N,) int, from its ``image`` path ``<name>/...``."""
    if not is_mixture(names):
        return np.zeros(len(images), dtype=int)
    prefixes = np.asarray([str(image).split("/", 1)[0] for image in images])
    unknown = sorted(set(prefixes) - set(names))
    if unknown:
        raise PoseError(f"training samples come from {', '.join(unknown)}, which data.dataset does not list "
                        f"({', '.join(names)}); re-run `dvc repro crops` after changing data.dataset.")
    index = {name: position for position, name in enumerate(names)}
    return np.asarray([index[prefix] for prefix in prefixes], dtype=int)


def training_shares(sources, names, weights):
    """Share of each epoch's samples drawn from each dataset, (len(names),) summing to 1.

    Args:
        sources: (N,) dataset index of each training sample (:func:`sample_sources`).
        weights: ``data.weights``: name -> positive relative weight, or empty for "in proportion
            to size". A dataset with no training samples cannot be drawn from.
    """
    counts = np.bincount(sources, minlength=len(names)).astype(float)
    empty = [name for name, count in zip(names, counts) if count == 0]
    if empty:
        raise PoseError(f"data.dataset lists {', '.join(empty)} but the training samples hold none of it; "
                        "re-run `dvc repro crops`.")
    raw = counts if not weights else np.asarray([float(weights[name]) for name in names])
    return raw / raw.sum()


def epoch_quotas(shares, total):
    """Samples of each dataset in one epoch of ``total``: ``shares * total`` rounded, summing to ``total``.

    Largest remainders get the leftover samples, so proportional shares give every dataset exactly
    its number of training persons.
    """
    exact = np.asarray(shares, dtype=float) * total
    quotas = np.floor(exact).astype(int)
    leftover = total - quotas.sum()
    quotas[np.argsort(-(exact - quotas), kind="stable")[:leftover]] += 1
    return quotas


def epoch_order(sources, shares, seed, epoch):
    """Sample indices of one training epoch, (N,) int: each dataset's quota, drawn without repeats.

    Dataset ``d`` contributes :func:`epoch_quotas` samples; they are the next ones of an endless
    sequence of seeded permutations of its samples (cut where epoch ``epoch`` starts), so every
    sample is seen once before any is seen twice, across epochs too. The datasets' samples are
    then interleaved in a seeded random order. The same (seed, epoch) gives the same order.
    """
    sources = np.asarray(sources)
    quotas = epoch_quotas(shares, len(sources))
    picked = []
    for dataset, quota in enumerate(quotas):
        members = np.flatnonzero(sources == dataset)
        start = epoch * quota  # this epoch's place in the dataset's endless sequence
        positions = np.arange(start, start + quota)
        cycles = positions // len(members)
        for cycle in np.unique(cycles):
            permutation = np.random.default_rng((seed, dataset, int(cycle))).permutation(members)
            picked.append(permutation[positions[cycles == cycle] % len(members)])
    order = np.concatenate(picked) if picked else np.zeros(0, dtype=int)
    return np.random.default_rng((seed, len(shares), epoch)).permutation(order)
