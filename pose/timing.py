"""Wall-clock timing shared by the quantize stage, evaluation and the benchmarks, and how timings are keyed."""

import time

import numpy as np


def interleaved_ms(functions, rounds, warmup=0):
    """Milliseconds per call of each function, the functions taking turns, one call each per round.

    Taking turns means a change in the machine's load hits every function alike, so ratios
    between them stay fair. The first ``warmup`` rounds (thread pools, caches) are not kept.

    Args:
        functions: {name: f(round_index)}; round indices run 0 .. warmup + rounds - 1.
    Returns:
        {name: (rounds,) float64 milliseconds}
    """
    times = {name: np.empty(rounds) for name in functions}
    for round_index in range(warmup + rounds):
        for name, function in functions.items():
            started = time.perf_counter()
            function(round_index)
            if round_index >= warmup:
                times[name][round_index - warmup] = (time.perf_counter() - started) * 1000
    return times


def median_ms(function, rounds, warmup=0):
    """Median milliseconds of ``function(round_index)`` over ``rounds`` calls after ``warmup`` calls."""
    return float(np.median(interleaved_ms({"only": function}, rounds, warmup)["only"]))


def threads_key(threads):
    """The suffix naming a timing by its thread count in every report: ``1_thread``, ``2_threads``."""
    return f"{threads}_thread{'s' if threads != 1 else ''}"
