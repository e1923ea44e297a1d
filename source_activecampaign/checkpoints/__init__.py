"""Checkpoints of a first read: what it has read so far, kept in the stream's state while it runs, so
that a sync killed midway resumes where it stopped instead of starting over."""
