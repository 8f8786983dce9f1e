"""The course on disk: the workspace folder nbgrader works in (source, release, submitted, autograded,
feedback), nnlab's own records beside it, and every read and write of the gradebook (``gradebook``)."""
