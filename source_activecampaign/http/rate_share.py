"""The connector's share of the account's rate limit, learnt from the API's answers.

ActiveCampaign allows 5 requests per second per account, shared by every key and integration of the
account; an answer carries ``RateLimit-Limit`` and ``RateLimit-Remaining`` (what the account's
one-second window has left after this request), and past the limit the API answers 429 with a
``Retry-After`` (https://developers.activecampaign.com/reference/rate-limits). The CDK's budget
(``MovingWindowCallRatePolicy``) keeps the connector to a fixed rate and only pauses when
``RateLimit-Remaining`` reaches 0, so with another integration spending part of the window the
connector keeps running into the limit, and each 429 costs the account's callers their
``Retry-After``. This policy takes the manifest's rate as an upper bound and, inside it, the share
the other clients leave:

* Every answer says how many of the window's calls are someone else's: ``limit - remaining``
  minus the connector's own requests sent in the window before this one (this policy sent them,
  so it counts them). A 429 says the window was full without this request. At the ceiling one of
  our own arriving a few milliseconds late explains a 429 as well, but it is still taken for
  another client: the window is then always full of ours, another client's calls are lost without
  a sign, and the 429 is the only one.
* Those counts give the other clients' use: the largest of them, each held for 5 s and then fading
  by one call every half second. A use that comes and goes (a batch job's bursts) is held for twice
  the longest time it was seen gone between two answers that saw it, up to 8 s, so a burst that
  comes back every 4 s finds its room kept even when one answer missed it. The connector's share is
  ``min(ceiling, limit - others)`` calls per window: a client spending 2 of 5 leaves 3. When it
  stops, its calls leave the window and fade from the estimate, and the share is back at the
  ceiling within about eight seconds.
* A burst that meets a window full of our requests is lost without a sign: nothing of it reaches
  the window. So one call of the window is left free for the first 5 s, for 5 s of every 30 and for
  6 s after others were last seen: a burst then gets a call in, and shows. More of the others than
  seen so far in a full window is taken for the visible part of a bigger burst: room is kept for
  all but one of our calls until answers with room show how many they are.
* A 429 that one request of ours arriving late would explain (a busy machine delays requests
  between leaving the budget and reaching the server) widens the window by 0.05 s, up to 0.2 s,
  fading by 0.05 s a minute; it may also be a burst's first call, so room is kept for two. While
  the connector starts up (streams built, connections opened on a busy CPU) the window is 0.1 s
  wider.
* Where successes carry no ``RateLimit-Remaining`` (proxies and gateways strip it; the API
  documents it on 429s) only 429s show the others: a share that met one is not tried again for
  45 s, twice as long each time it meets one again, and the others it showed are held as long, then
  fade by one call every 2 s, so that each call more meets a burst or two before the next. Paced at
  its share, each request of ours leaves as one of ours leaves the account's window: a burst that
  took the room left is never met by a request, so it costs its calls without a 429. While one
  may hide (the first seconds, 5 s of every 30, 12 s after a 429, while a share is tried again) the
  window is 0.3 s longer: a request then often leaves before one of ours left, and meets the burst.
* Calls are spaced at least half the even spacing apart, so requests reach the server in the order
  they left and the own count matches the server's. While others fill the rest of the account's
  window the window is 0.04 s longer, so a request of ours that arrives late does not meet a full one.
* A 429 holds every worker for ``Retry-After``, doubled for each further 429 in a row (up to 8 s,
  so that the connector sees soon after the others stop), and the share never drops below one call
  per window: when others use the whole limit the connector waits its turn, one request after each
  hold, instead of failing or spinning.
* Before the first answer the connector sends one request at a time: it does not yet know what the
  account has left.

    >>> policy = AccountShareCallRatePolicy(ceiling=5, window=timedelta(seconds=1.03), clock=clock)
    >>> policy.try_acquire(request, weight=1); policy.observe(Answer(remaining=2, limit=5))
    >>> policy.share      # 5 - 2 left = 3 used, 1 of them ours: others use 2, 3 are left to us
    3

It logs, at most once a minute, "the account's rate limit is shared with other clients; syncing at
N requests per second" while its share is below the ceiling, and that the limit is used up by other
clients after 429s in a row.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.call_rate import (
    BaseCallRatePolicy,
    CallRateLimitHit,
    HttpAPIBudget,
    RequestMatcher,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_activecampaign.http.answers_in_a_row import USED_UP_BY_OTHERS

logger = logging.getLogger("airbyte")

ACCOUNT_LIMIT = 5  # requests per second per account, when the answer carries no RateLimit-Limit
RATELIMIT_LIMIT_HEADER = "RateLimit-Limit"
RETRY_AFTER_HEADER = "Retry-After"


@dataclass(frozen=True)
class Answer:
    """What one answer of the API says about the account's window.

    ``remaining`` and ``limit`` are its RateLimit headers (None when absent or unreadable);
    ``rate_limited`` is a 429, ``retry_after_s`` its Retry-After in seconds.
    """

    remaining: int | None = None
    limit: int | None = None
    rate_limited: bool = False
    retry_after_s: float | None = None
    success: bool = True  # a 2xx: whether it carries RateLimit-Remaining says what the API sends

    @classmethod
    def from_response(
        cls, response: requests.Response, remaining_header: str, rate_limit_codes: Sequence[int]
    ) -> Answer:
        """Headers that are missing or not numbers are left out, never an error."""
        return cls(
            remaining=_header_int(response, remaining_header),
            limit=_header_int(response, RATELIMIT_LIMIT_HEADER),
            rate_limited=response.status_code in rate_limit_codes,
            retry_after_s=_header_float(response, RETRY_AFTER_HEADER),
            success=200 <= response.status_code < 300,
        )


def _header_float(response: requests.Response, name: str) -> float | None:
    try:
        value = float(response.headers.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _header_int(response: requests.Response, name: str) -> int | None:
    value = _header_float(response, name)
    return int(value) if value is not None else None


@dataclass
class _Sample:
    """Calls of other clients in the account's window when one of our requests reached it."""

    sent_at: float
    others: int
    guessed: bool = False  # room kept for what a full window may have hidden, not calls seen
    unseen_between: bool = False  # shown by a 429 where successes say nothing of the others: held longer


def _faded(sample: _Sample, now: float, hold_s: float, fade_s: float) -> int:
    """The sample's calls, held in full for ``hold_s``, then one less every ``fade_s``."""
    return sample.others - math.floor(max(0.0, now - sample.sent_at - hold_s) / fade_s)


@dataclass(frozen=True)
class _TriedShare:
    """Without RateLimit-Remaining on successes: a share that met a 429, and when it may be tried again.

    Below it the share is free; it is allowed again ``retry_after_s`` after the 429, and one call
    more each ``retry_after_s`` after that. A 429 at a share tried again doubles the wait (up to
    3 minutes): the others are still there, and each try costs them a call or two."""

    share: int
    at: float
    retry_after_s: float

    def allowed(self, now: float) -> int:
        return self.share - 1 + int((now - self.at) // self.retry_after_s)

    @classmethod
    def after_429(
        cls, previous: _TriedShare | None, share: int, now: float, first_wait_s: float, longest_wait_s: float
    ) -> _TriedShare:
        if previous is None:
            wait = first_wait_s
        elif share >= previous.share:  # tried again, and the others are still there
            wait = min(longest_wait_s, previous.retry_after_s * 2)
        else:
            wait = previous.retry_after_s
        return cls(share, now, wait)


class AccountShareCallRatePolicy(BaseCallRatePolicy):
    """At most ``ceiling`` calls per ``window``, less what the account's other clients use.

    Shaped like the CDK's ``MovingWindowCallRatePolicy``: the budget calls ``try_acquire`` before
    each request (sleeping the ``time_to_wait`` of a ``CallRateLimitHit`` and trying again) and
    reports each answer back (``observe``, or the CDK's ``update``). ``clock`` is a monotonic clock
    in seconds, injected so that tests can move time.
    """

    # A sample of the others' use counts in full for HOLD_S, or twice the longest gap between the
    # samples that saw them up to LONGEST_HOLD_S, then loses one call per FADE_S.
    HOLD_S = 5.0
    LONGEST_HOLD_S = 8.0
    FADE_S = 0.5
    # One call of the window is left free for HEADROOM_S of every HEADROOM_EVERY_S from the first
    # answer on, and for RECENT_S after others were last seen.
    HEADROOM_S = 5.0
    HEADROOM_EVERY_S = 30.0
    RECENT_S = 6.0
    # Without RateLimit-Remaining on successes, a share that met a 429 is tried again after this
    # long, twice as long (up to the longest) after each time it met one again.
    RETRY_SHARE_AFTER_S = 45.0
    LONGEST_RETRY_SHARE_AFTER_S = 180.0
    MAX_HOLD_S = 8.0  # the longest pause after 429s in a row
    SHARED_MARGIN_S = 0.04  # added to the window while other clients use the rest of the account's
    # After a 429 that a late request of ours would explain, the window is this much wider, up to
    # the most, losing a step every LATE_FADE_S; room is kept for that many others' calls.
    LATE_STEP_S = 0.05
    LATE_MOST_S = 0.2
    LATE_FADE_S = 60.0
    LATE_EXPLAINED_OTHERS = 2
    STARTUP_MARGIN_S = 0.1  # added to the window until HEADROOM_S after the first answer
    LATE_ANSWER_S = 5.0  # an answer this long after its request describes a window long gone
    # Without RateLimit-Remaining on successes: the window is PROBE_MARGIN_S longer while a burst may
    # hide behind our requests (the headroom's times, PROBE_RECENT_S after others were shown, and while
    # a share is tried again); what a 429 showed fades by one call per UNSEEN_FADE_S after its hold.
    PROBE_MARGIN_S = 0.3
    PROBE_RECENT_S = 12.0
    UNSEEN_FADE_S = 2.0
    MEMORY_S = 20.0  # own requests and samples older than this no longer matter
    LOG_EVERY_S = 60.0

    def __init__(
        self,
        ceiling: int,
        window: timedelta,
        matchers: list[RequestMatcher] | None = None,
        clock: Callable[[], float] = time.monotonic,
        headroom: bool = True,
    ) -> None:
        if ceiling < 1:
            raise ValueError(f"ceiling must be at least 1 request per window, got {ceiling}")
        super().__init__(matchers=matchers or [])
        self._ceiling = ceiling
        self._window_s = window.total_seconds()
        self._clock = clock
        # The room left for what the policy cannot see yet: the call kept free and the start-up
        # margin. Off only where a test looks at something else.
        self._headroom = headroom
        self._lock = threading.Lock()
        self._local = threading.local()  # the send time of the request this thread is making
        self._sent: list[float] = []  # own requests' send times, ascending
        self._samples: list[_Sample] = []
        self._limit = ACCOUNT_LIMIT
        self._first_answer_at: float | None = None
        self._others_seen_at = -math.inf
        self._remaining_on_success: bool | None = None  # None until the first success
        self._late_margin_s = 0.0  # see _late_margin
        self._late_widened_at = -math.inf
        self._tried_share: _TriedShare | None = None  # without RateLimit-Remaining: what met a 429
        self._held_until = -math.inf  # every worker waits until then after a 429 ...
        self._hold_owner: int | None = None  # ... but the one whose request got it (see _hold)
        self._rate_limited_in_a_row = 0
        self._reported_share = ceiling  # what the last log line said (0: used up by others)
        self._reported_at = -math.inf

    @property
    def share(self) -> int:
        """Calls per window the connector may make now."""
        with self._lock:
            return self._share(self._clock())

    def try_acquire(self, request: Any, weight: int) -> None:
        with self._lock:
            now = self._clock()
            wait = self._wait(now, weight)
            if wait > 0:
                raise CallRateLimitHit(
                    error=f"the account's rate limit: {self._share(now)} calls per {self._window_s} s now",
                    item=request,
                    weight=weight,
                    rate=f"{self._share(now)} per {self._window_s} s",
                    # Whole microseconds, rounded up: a wait is never 0, so the budget never spins.
                    time_to_wait=timedelta(microseconds=math.ceil(wait * 1e6)),
                )
            self._sent.extend([now] * weight)
            self._local.sent_at = now

    def update(self, available_calls: int | None, call_reset_ts: datetime | None) -> None:
        """The CDK's budget reports only RateLimit-Remaining (0 on a 429 without one)."""
        self.observe(Answer(remaining=available_calls))

    def observe(self, answer: Answer, sent_at: float | None = None) -> None:
        """Learns from the answer to the request this thread made last, or to the one that left the
        budget at ``sent_at`` (a clock reading of ``try_acquire``'s) where one thread makes many."""
        if sent_at is None:
            sent_at = getattr(self._local, "sent_at", None)
        self._local.sent_at = None
        with self._lock:
            now = self._clock()
            if self._first_answer_at is None:
                self._first_answer_at = now
            if answer.limit is not None and answer.limit > 0:
                self._limit = answer.limit
            if answer.success and not answer.rate_limited:
                self._remaining_on_success = answer.remaining is not None
            if answer.rate_limited:
                if self._remaining_on_success is False:
                    self._tried_share = _TriedShare.after_429(
                        self._tried_share,
                        self._share(now),
                        now,
                        self.RETRY_SHARE_AFTER_S,
                        self.LONGEST_RETRY_SHARE_AFTER_S,
                    )
                self._hold(now, answer.retry_after_s)
                if sent_at is not None:
                    self._forget_sent(sent_at)  # a rejected request does not count in the window
            else:
                self._rate_limited_in_a_row = 0
            if sent_at is not None and now - sent_at < self.LATE_ANSWER_S:
                sample = self._sample(answer, sent_at, now)
                if sample is not None:
                    self._samples.append(sample)
                    if sample.others > 0:
                        self._others_seen_at = max(self._others_seen_at, sample.sent_at)
            self._report(now)

    # --- inside the lock ------------------------------------------------------------------------------

    def _wait(self, now: float, weight: int) -> float:
        """Seconds until a request of this weight may leave (0: now)."""
        self._forget_before(now - self.MEMORY_S)
        held_until = self._held_until
        if threading.get_ident() == self._hold_owner:
            rest_of_hold: float | None = getattr(self._local, "rest_of_hold_s", None)
            if rest_of_hold is not None:  # back from its error handler's wait
                self._local.rest_of_hold_s = None
                self._local.held_until = now + rest_of_hold
            held_until = getattr(self._local, "held_until", held_until)
        if now < held_until:
            return held_until - now
        share = self._share(now)
        window = self._pacing_window(share, now)
        spacing = window / share / 2
        if self._probing(now, share):
            window += self.PROBE_MARGIN_S
        in_window = self._sent[bisect.bisect_right(self._sent, now - window) :]
        excess = len(in_window) + min(weight, share) - share
        wait = in_window[excess - 1] + window - now if excess > 0 else 0.0
        if self._sent:
            wait = max(wait, self._sent[-1] + spacing - now)
        return wait

    def _sample(self, answer: Answer, sent_at: float, now: float) -> _Sample | None:
        """The other clients' calls in the window this answer describes; None when it does not say."""
        own = self._own_in_window(sent_at, now)
        if answer.rate_limited:
            others, full = self._limit - own, True  # full without this request
        elif answer.remaining is not None:
            others, full = self._limit - answer.remaining - own, answer.remaining <= 0
        else:
            return None
        others = min(self._limit, max(0, others))
        seen = self._others(now, guesses=False)
        # A 429 that one request of ours arriving late would explain (a busy machine delays them):
        # the window is widened a little for a while.
        late_would_explain = answer.rate_limited and own > 0 and own + seen == self._limit - 1
        if late_would_explain:
            self._widen_for_late_requests(now)
        if full and others > seen and self._remaining_on_success is not False:
            # More of them than seen so far in a full window: what got in of a burst whose rest
            # was lost to our requests, maybe. Room for all but one of ours until answers with room
            # show how many they are; where a late request of ours would explain it, room for as
            # many as seen and at least two (a burst then gets in far enough to show).
            if late_would_explain:
                return _Sample(sent_at, max(seen, self.LATE_EXPLAINED_OTHERS), guessed=True)
            return _Sample(sent_at, max(others, self._limit - 1), guessed=others < self._limit - 1)
        return _Sample(sent_at, others, unseen_between=answer.rate_limited and self._remaining_on_success is False)

    def _share(self, now: float) -> int:
        """What the others leave, less the call kept free when it is due."""
        share = self._learnt_share(now)
        if self._headroom_due(now):
            share = min(share, max(1, self._limit - 1))
        return share

    def _learnt_share(self, now: float) -> int:
        """At least one call per window: when even that meets 429s, the holds space it out."""
        if self._first_answer_at is None:
            return 1
        share = self._limit - self._others(now)
        if self._tried_share is not None and self._remaining_on_success is False:
            share = min(share, self._tried_share.allowed(now))
        return max(1, min(self._ceiling, share))

    def _probing(self, now: float, share: int) -> bool:
        """Whether a burst may be hiding behind our requests, where only 429s can show it."""
        if self._remaining_on_success is not False or not self._headroom:
            return False
        retried = self._tried_share is not None and share >= self._tried_share.share
        return retried or self._headroom_due(now) or now < self._others_seen_at + self.PROBE_RECENT_S

    def _headroom_due(self, now: float) -> bool:
        if not self._headroom or self._first_answer_at is None:
            return False
        periodic = (now - self._first_answer_at) % self.HEADROOM_EVERY_S < self.HEADROOM_S
        return periodic or now < self._others_seen_at + self.RECENT_S

    def _others(self, now: float, guesses: bool = True) -> int:
        """The other clients' calls in a window: the largest sample, each faded by its age; without
        ``guesses``, only calls seen."""
        hold = self._hold_s()
        # What a 429 showed where successes cannot show it gone: held while its share waits to be tried.
        unseen_hold = max(hold, self._tried_share.retry_after_s) if self._tried_share is not None else hold
        faded = (
            _faded(sample, now, unseen_hold, self.UNSEEN_FADE_S)
            if sample.unseen_between
            else _faded(sample, now, hold, self.FADE_S)
            for sample in self._samples
            if guesses or not sample.guessed
        )
        return max(0, max(faded, default=0))

    def _hold_s(self) -> float:
        """How long a sample counts in full: HOLD_S, or twice the longest time the others were seen
        gone between two samples that saw them, so that a use that comes and goes finds its room
        kept when it comes back. (Samples 429s in a row leave far apart, with none between, do not
        make a use that comes and goes.)"""
        gap, last_seen, gone = 0.0, None, False
        for sample in sorted(self._samples, key=lambda sample: sample.sent_at):
            if sample.others == 0:
                gone = True
                continue
            if last_seen is not None and gone:
                gap = max(gap, sample.sent_at - last_seen)
            last_seen, gone = sample.sent_at, False
        return min(self.LONGEST_HOLD_S, max(self.HOLD_S, 2 * gap))

    def _pacing_window(self, share: int, now: float) -> float:
        late = self._late_margin(now)
        if self._headroom and (self._first_answer_at is None or now < self._first_answer_at + self.HEADROOM_S):
            # Starting up: streams and partitions are built on a busy CPU, connections opened, and
            # requests reach the server later after leaving the budget than they do afterwards.
            late = max(late, self.STARTUP_MARGIN_S)
        if share < min(self._ceiling, self._limit):
            # Others fill the rest of the account's window: a request of ours arriving late would
            # meet a full one, so leave it more room than the ceiling's margin.
            return self._window_s + self.SHARED_MARGIN_S + late
        return self._window_s + late

    def _late_margin(self, now: float) -> float:
        """Seconds added to the window after 429s that a late request of ours would explain: LATE_STEP_S
        each, up to LATE_MOST_S, losing LATE_STEP_S every LATE_FADE_S."""
        faded = (now - self._late_widened_at) * self.LATE_STEP_S / self.LATE_FADE_S
        return max(0.0, self._late_margin_s - faded)

    def _widen_for_late_requests(self, now: float) -> None:
        self._late_margin_s = min(self.LATE_MOST_S, self._late_margin(now) + self.LATE_STEP_S)
        self._late_widened_at = now

    def _own_in_window(self, sent_at: float, now: float) -> int:
        """Our requests the server's one-second window may hold: those sent within the pacing window
        before this one, since one that left up to that long before may have arrived late. Paced at
        the share, the one before them all left a full window earlier, so none is counted too many."""
        span = self._pacing_window(self._share(now), now)
        return bisect.bisect_right(self._sent, sent_at) - bisect.bisect_right(self._sent, sent_at - span)

    def _hold(self, now: float, retry_after_s: float | None) -> None:
        self._rate_limited_in_a_row += 1
        retry_after = retry_after_s if retry_after_s else self._window_s
        # Never shorter than Retry-After; doubled up to MAX_HOLD_S, so that after another client
        # used the whole limit the connector tries again soon after it stops.
        hold = max(retry_after, min(self.MAX_HOLD_S, retry_after * 2 ** (self._rate_limited_in_a_row - 1)))
        self._held_until = max(self._held_until, now + hold)
        # This thread's error handler already waits Retry-After + 1 s (WaitTimeFromHeader) before
        # the request is tried again; from its return it is held only for the rest of the hold.
        self._hold_owner = threading.get_ident()
        self._local.rest_of_hold_s = max(0.0, hold - (retry_after + 1))

    def _forget_sent(self, sent_at: float) -> None:
        index = bisect.bisect_left(self._sent, sent_at)
        if index < len(self._sent) and self._sent[index] == sent_at:
            del self._sent[index]

    def _forget_before(self, oldest: float) -> None:
        del self._sent[: bisect.bisect_right(self._sent, oldest)]
        # What a 429 showed without RateLimit-Remaining on successes may be held up to the longest wait.
        unseen_oldest = oldest + self.MEMORY_S - self.LONGEST_RETRY_SHARE_AFTER_S - self.LONGEST_HOLD_S
        self._samples = [s for s in self._samples if s.sent_at > (unseen_oldest if s.unseen_between else oldest)]

    def _report(self, now: float) -> None:
        """One log line when the share changed, at most once a minute."""
        full = min(self._ceiling, self._limit)
        # 0 stands for 429s in a row: the account's limit used up by others, the connector held.
        # The call kept free for a burst to show is not a share given to others: not said.
        share = 0 if self._rate_limited_in_a_row >= 2 else min(self._learnt_share(now), full)
        if share == self._reported_share or now - self._reported_at < self.LOG_EVERY_S:
            return
        if share >= full:
            logger.info(f"The account's rate limit is free again; syncing at {full} requests per second.")
        elif share == 0:
            logger.info(
                "The account's rate limit is used up by other clients; waiting for a free slot, "
                f"{self._held_until - now:.0f} s before the next request."
            )
        else:
            logger.info(
                f"The account's rate limit is shared with other clients; syncing at {share} "
                f"request{'s' if share > 1 else ''} per second."
            )
        self._reported_share = share
        self._reported_at = now

    def __str__(self) -> str:
        return f"AccountShareCallRatePolicy(ceiling={self._ceiling} per {self._window_s} s, limit={self._limit})"


class AccountShareHttpAPIBudget(HttpAPIBudget):
    """The CDK's ``HttpAPIBudget``, handing its ``AccountShareCallRatePolicy`` whole answers.

    The CDK's budget passes a policy only ``RateLimit-Remaining``; this one also passes
    ``RateLimit-Limit``, whether the answer is a 429 and its ``Retry-After``. It keeps the
    constructor's headers and codes itself, for the CDK keeps them in private attributes. A request
    that waited for a call until the CDK's budget gave up fails saying that the account's limit is
    used up by its other clients and what to do, not as an unexpected ``CallRateLimitHit``.
    """

    def __init__(
        self,
        ratelimit_remaining_header: str = "ratelimit-remaining",
        status_codes_for_ratelimit_hit: Sequence[int] = (429,),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            ratelimit_remaining_header=ratelimit_remaining_header,
            status_codes_for_ratelimit_hit=list(status_codes_for_ratelimit_hit),
            **kwargs,
        )
        self.remaining_header = ratelimit_remaining_header
        self.rate_limit_codes = tuple(status_codes_for_ratelimit_hit)

    def acquire_call(self, request: Any, block: bool = True, timeout: float | None = None) -> None:
        try:
            super().acquire_call(request, block=block, timeout=timeout)
        except CallRateLimitHit as hit:
            if not block:
                raise
            raise AirbyteTracedException(
                message=f"No call was free for this request after many waits: {USED_UP_BY_OTHERS}",
                internal_message=str(hit),
                failure_type=FailureType.transient_error,
            ) from hit

    def update_from_response(self, request: Any, response: Any) -> None:
        policy = self.get_matching_policy(request)
        if isinstance(policy, AccountShareCallRatePolicy) and isinstance(response, requests.Response):
            policy.observe(Answer.from_response(response, self.remaining_header, self.rate_limit_codes))
        else:
            super().update_from_response(request, response)
