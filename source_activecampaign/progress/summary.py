"""The end-of-sync summary: a line per stream and one for the sync, and the warning of a read that came
out short of the API's own count.

A user reads the platform's log when a sync is slow or looks short. Each line answers the first
questions: how many records, how many requests it took, whether the API pushed back (429s, retries),
how long, and how much of the rate the connector may use it used. Beside the records of a read of a
whole collection stands ActiveCampaign's own count (``meta.total``), with the rows the connector read
and left out on purpose named apart: rows older than the start date or the saved state, which the
client-side cursor drops, and restricted deals, which are synced with three fields.
"""

from dataclasses import dataclass


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class StreamSummary:
    name: str
    records: int
    rows_read: int
    counted_by_api: int | None
    restricted: int
    requests: int
    rate_limited: int
    retried: int
    seconds: float
    ceiling: float
    complete: bool
    whole_collection: bool
    # Records of rows gone from ActiveCampaign (`_ab_cdc_deleted_at`), not among ``records``.
    deletions: int = 0

    @property
    def left_out(self) -> int:
        """Rows read and not emitted: the client-side cursor's, older than its start."""
        return max(self.rows_read - self.records, 0)

    @property
    def missing(self) -> int:
        """Rows the API counts that the read never got (a whole collection read to its end only)."""
        if not (self.complete and self.whole_collection) or self.counted_by_api is None:
            return 0
        return max(self.counted_by_api - self.rows_read, 0)

    def ceiling_share(self) -> float | None:
        """Requests per second while the stream ran (the gaps between its first and last answer), as a
        share of the ceiling; None for a stream that ran less than a second."""
        if self.seconds < 1 or self.ceiling <= 0 or self.requests < 2:
            return None
        return (self.requests - 1) / self.seconds / self.ceiling

    def line(self) -> str:
        """``tags: 7 records (ActiveCampaign counts 7); 1 request, 0 answered 429, 0 retried; 0.2 s.``, with
        ``and 2 deletions`` after the records when a deletion check found rows gone."""
        records = _plural(self.records, "record") + _and_deletions(self.deletions)
        details = []
        if self.restricted:
            details.append(f"{self.restricted:,} of them restricted deals with id, title and isDisabled only")
        if self.left_out:
            details.append(f"{self.left_out:,} more read and left out as older than the start date or the saved state")
        if self.counted_by_api is not None:
            details.append(f"ActiveCampaign counts {self.counted_by_api:,}")
        counted = f" ({'; '.join(details)})" if details else ""
        share = self.ceiling_share()
        rate = f" at {share:.0%} of the {self.ceiling:g} requests/second ceiling" if share is not None else ""
        return (
            f"Sync summary, stream {self.name}: {records}{counted}; {_plural(self.requests, 'request')}, "
            f"{self.rate_limited:,} answered 429, {self.retried:,} retried; {self.seconds:.1f} s{rate}."
        )

    def completeness_warning(self) -> str | None:
        if not self.missing:
            return None
        return (
            f"Stream '{self.name}' read its whole collection and got {self.rows_read:,} rows where ActiveCampaign "
            f"counts {self.counted_by_api:,} (meta.total): {_plural(self.missing, 'row')} not synced. Rows deleted "
            "while the sync ran explain a gap like this; if the next sync comes out short again, ActiveCampaign is "
            "leaving rows out of its pages: report it to ActiveCampaign's support with the stream's name."
        )


@dataclass(frozen=True)
class SyncSummary:
    streams: int
    records: int
    requests: int
    rate_limited: int
    retried: int
    seconds: float
    ceiling: float
    deletions: int = 0

    def line(self) -> str:
        share = self.requests / self.seconds / self.ceiling if self.seconds > 0 and self.ceiling > 0 else 0.0
        return (
            f"Sync summary: {_plural(self.streams, 'stream')}, {_plural(self.records, 'record')}"
            f"{_and_deletions(self.deletions)}, "
            f"{_plural(self.requests, 'request')}, {self.rate_limited:,} answered 429, {self.retried:,} retried; "
            f"{self.seconds:.1f} s at {share:.0%} of the {self.ceiling:g} requests/second ceiling."
        )


def _and_deletions(deletions: int) -> str:
    return f" and {_plural(deletions, 'deletion')}" if deletions else ""
