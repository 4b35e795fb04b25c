"""The one exception type for mistakes a user can fix (bad params, missing or corrupt data)."""


class PoseError(Exception):
    """A problem the user can fix; its message is one sentence naming the file or key and what to do.

    Stage scripts catch it and print only the message, without a traceback, then exit with 1.
    """
