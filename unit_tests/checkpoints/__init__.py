"""The first reads' checkpoints: what was read, the cursor that keeps it, the pager that reports it."""
