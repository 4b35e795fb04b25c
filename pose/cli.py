"""Shared plumbing of the stage scripts: user errors become one line on stderr and exit code 1."""

import functools
import sys

from pose.errors import PoseError


def user_errors_exit(main):
    """Decorate a stage's ``main`` so a :class:`PoseError` prints its sentence instead of a traceback."""

    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        try:
            return main(*args, **kwargs)
        except PoseError as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(1)

    return wrapper


def report_skipped(skipped, what, limit=20):
    """Print how many items were skipped and name them (the first ``limit`` on screen)."""
    if not skipped:
        return
    print(f"skipped {len(skipped)} {what}:")
    for name, reason in skipped[:limit]:
        print(f"  {name}: {reason}")
    if len(skipped) > limit:
        print(f"  ... and {len(skipped) - limit} more (all listed in the stage report)")
