"""The adaptive share of the account's rate limit, on an injected clock: what each answer teaches it,
how it paces, holds and climbs back, and what it logs."""

import logging
import threading
from datetime import timedelta

import pytest
import requests
from airbyte_cdk.sources.streams.call_rate import CallRateLimitHit, MovingWindowCallRatePolicy, Rate

from activecampaign_emulator import ManualClock
from activecampaign_emulator.rate_limit import BackgroundTraffic
from source_activecampaign.http.rate_share import AccountShareCallRatePolicy, AccountShareHttpAPIBudget, Answer
from unit_tests.http.account_simulation import run_account

WINDOW = timedelta(seconds=1.03)
REQUEST = requests.Request("GET", "https://acct.api-us1.com/api/3/contacts").prepare()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def policy_on_clock(ceiling: int = 5, headroom: bool = False) -> tuple[AccountShareCallRatePolicy, Clock]:
    """Without the call kept free for bursts to show, unless asked: most tests look at what the
    answers teach, which the headroom would hide in their first seconds."""
    clock = Clock()
    return AccountShareCallRatePolicy(ceiling=ceiling, window=WINDOW, clock=clock, headroom=headroom), clock


def ceiling_policy(clock: ManualClock) -> AccountShareCallRatePolicy:
    """The policy as the manifest configures it: 5 calls per 1.03 s, the call kept free for bursts included."""
    return AccountShareCallRatePolicy(ceiling=5, window=WINDOW, clock=clock)


def wait_for_request(policy: AccountShareCallRatePolicy) -> float:
    """0 when the request may leave now (and it is counted as sent), else the seconds to wait."""
    try:
        policy.try_acquire(REQUEST, weight=1)
    except CallRateLimitHit as hit:
        return hit.time_to_wait.total_seconds()
    return 0.0


def wait_in_another_thread(policy: AccountShareCallRatePolicy) -> float:
    waits: list[float] = []
    worker = threading.Thread(target=lambda: waits.append(wait_for_request(policy)))
    worker.start()
    worker.join()
    return waits[0]


def send(policy: AccountShareCallRatePolicy, answer: Answer) -> None:
    assert wait_for_request(policy) == 0.0
    policy.observe(answer)


def acquire_when_allowed(policy: AccountShareCallRatePolicy, clock: Clock) -> None:
    """Waits as the budget would: the clock moves by each wait until the request may leave."""
    while wait := wait_for_request(policy):
        clock.now += wait


def waits_between_requests(policy: AccountShareCallRatePolicy, clock: Clock, count: int = 4) -> list[float]:
    """The waits before each of ``count`` requests sent as soon as the policy lets them leave, to 4 places."""
    waits = []
    for _ in range(count):
        wait = wait_for_request(policy)
        waits.append(round(wait, 4))
        clock.now += wait
        assert wait_for_request(policy) == 0.0
    return waits


def send_when_allowed(policy: AccountShareCallRatePolicy, clock: Clock, answer: Answer) -> None:
    acquire_when_allowed(policy, clock)
    policy.observe(answer)


def response(status: int, headers: dict[str, str]) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer.headers.update(headers)
    return answer


# --- what the answers teach ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ceiling, answers, share",
    [
        pytest.param(5, [], 1, id="before any answer: one request at a time"),
        pytest.param(5, [Answer(remaining=4, limit=5)], 5, id="alone on the account: the ceiling"),
        pytest.param(5, [Answer(remaining=2, limit=5)], 3, id="2 calls of others in the window leave 3"),
        pytest.param(5, [Answer(remaining=0, limit=5)], 1, id="RateLimit-Remaining 0: the others use 4"),
        pytest.param(5, [Answer(rate_limited=True, retry_after_s=1)], 1, id="429: others filled it, one call left"),
        pytest.param(5, [Answer()], 5, id="an answer without RateLimit headers teaches nothing: the ceiling"),
        pytest.param(3, [Answer(remaining=4, limit=5)], 3, id="requests_per_second stays the upper bound"),
        pytest.param(5, [Answer(remaining=1, limit=2)], 2, id="a lower RateLimit-Limit bounds the share"),
        pytest.param(
            5,
            [Answer(remaining=4, limit=5), Answer(remaining=3, limit=5), Answer(remaining=2, limit=5)],
            5,
            id="our own requests in the window are not counted as others'",
        ),
        pytest.param(
            5,
            [Answer(remaining=4, limit=5), Answer(remaining=2, limit=5)],
            4,
            id="a second request finding 3 used: one of them is someone else's",
        ),
        pytest.param(5, [Answer(remaining=9, limit=5)], 5, id="a RateLimit-Remaining above the limit counts no one"),
    ],
)
def test_share_learnt_from_answers(ceiling: int, answers: list[Answer], share: int) -> None:
    policy, clock = policy_on_clock(ceiling)
    for answer in answers:
        send(policy, answer)
        clock.now += 0.25

    assert policy.share == share


def test_share_climbs_back_to_the_ceiling_within_seconds_once_the_others_stop() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=2, limit=5))  # others use 2
    shares = []
    for _ in range(8):
        shares.append(policy.share)
        clock.now += 1.0
        send(policy, Answer(remaining=4, limit=5))  # the window holds only our request now

    assert shares == [3, 3, 3, 3, 3, 3, 5, 5]  # their use held 5 s (a burst may come back), then fading
    # by one call every half second


def test_the_largest_recent_use_counts_until_it_fades() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    send(policy, Answer(remaining=0, limit=5))  # a burst: others use 4
    assert policy.share == 1

    send_when_allowed(policy, clock, Answer(remaining=3, limit=5))  # a window later 1 of theirs is left
    assert (round(clock.now - started, 2), policy.share) == (1.07, 1)  # room kept for the burst

    shares = []
    for seconds in (5.5, 6.0, 6.5, 7.0):
        clock.now = started + seconds
        shares.append(policy.share)
    assert shares == [2, 3, 4, 5]  # held 5 s, then one call every half second; the later 1 until 6.07 s


def test_our_request_arriving_late_is_not_taken_for_another_clients() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    for remaining in (4, 3, 2, 1):  # alone, 0.3 s apart
        send(policy, Answer(remaining=remaining, limit=5))
        clock.now += 0.3
    clock.now = started + 1.02
    send(policy, Answer(remaining=0, limit=5))  # the first, 1.02 s before, arrived late: 5 of ours

    assert policy.share == 5


def send_alone_for(policy: AccountShareCallRatePolicy, clock: Clock, seconds: float) -> None:
    """Requests as fast as the policy lets them leave, each answer counting only our own in the last second."""
    started = clock.now
    sent_at: list[float] = []
    while clock.now < started + seconds:
        acquire_when_allowed(policy, clock)
        sent_at.append(clock.now)
        own = sum(1 for t in sent_at if t > clock.now - 1.0)
        policy.observe(Answer(remaining=max(0, 5 - own), limit=5))


@pytest.mark.parametrize(
    "ceiling, shares",
    [
        # A late request of ours would explain it, or a burst whose first call got in: room for 2.
        pytest.param(5, [3, 4, 5], id="at the limit: room for 2 of another client's"),
        # Ours alone could not fill the window: a burst may have lost the rest to ours, room for all but one.
        pytest.param(3, [1, 2, 3], id="below the limit: room for all but one of ours"),
    ],
)
def test_a_429_after_seconds_alone_is_taken_for_the_part_of_a_burst_that_got_in(
    ceiling: int, shares: list[int]
) -> None:
    # A burst that meets a window full of ours is lost unseen but for what got in: room is kept for
    # it (held 5 s, then fading) until answers with room show how many they are.
    policy, clock = policy_on_clock(ceiling)
    send_alone_for(policy, clock, 3.0)
    started = clock.now

    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))

    assert wait_in_another_thread(policy) == pytest.approx(1.0)  # Retry-After holds every worker
    measured = []
    for seconds in (1.0, 6.0, 7.5):  # held 5 s, then fading
        clock.now = started + seconds
        measured.append(policy.share)
    assert measured == shares


def test_a_429_a_late_request_of_ours_would_explain_widens_the_window_for_a_while() -> None:
    policy, clock = policy_on_clock()
    send_alone_for(policy, clock, 3.0)
    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))  # 4 of ours in the window
    widened = clock.now

    clock.now = widened + 20.0  # the room for 2 faded; the window still wider
    send(policy, Answer(remaining=4, limit=5))
    assert (
        waits_between_requests(policy, clock) == [0.1063] * 4
    )  # half the even spacing of 1.03 + 0.05 - 20 / 60 * 0.05 s

    clock.now = widened + 80.0  # the 0.05 s faded in a minute
    send(policy, Answer(remaining=4, limit=5))
    assert round(wait_for_request(policy), 4) == 0.103


def test_429s_from_a_client_using_the_whole_limit_neither_widen_the_window_nor_hold_its_use_longer() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 1.5
    for _ in range(4):  # every request meets a full window of theirs: holds of 1, 2, 4 and 8 s
        send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))
    last_429 = clock.now

    clock.now = last_429 + 7.6  # held 5 s, not twice the 8 s between the 429s; faded by 7.5 s
    assert policy.share == 5
    clock.now = last_429 + 2.0  # the error handler waited Retry-After + 1 s; they stopped meanwhile
    send_when_allowed(policy, clock, Answer(remaining=4, limit=5))
    assert clock.now == pytest.approx(last_429 + 8.0)
    assert waits_between_requests(policy, clock) == [0.103] * 4  # the window as it was: no late request widened it


def test_a_429_a_late_request_of_ours_would_explain_beside_others_seen_keeps_the_share_they_leave() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=1, limit=5))  # another client's 3 calls in the window
    send_when_allowed(policy, clock, Answer(remaining=0, limit=5))
    assert policy.share == 2

    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))  # 1 of ours + 3 of theirs

    assert policy.share == 2  # room for the 3 seen, not all but one of ours


def test_room_guessed_for_a_burst_is_not_taken_for_calls_seen() -> None:
    policy, clock = policy_on_clock()
    send_alone_for(policy, clock, 3.0)
    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))  # room for 2 guessed
    assert policy.share == 3

    clock.now += 1.5
    send(policy, Answer(remaining=0, limit=5))  # 2 of theirs in a full window: more than seen so far

    assert policy.share == 1  # room for all but one of ours: the burst may be bigger still


def test_the_cdk_update_reports_remaining_calls() -> None:
    policy, _ = policy_on_clock()
    assert wait_for_request(policy) == 0.0

    policy.update(available_calls=1, call_reset_ts=None)  # the answer's RateLimit-Limit unknown: 5

    assert policy.share == 2


def test_an_answer_long_after_its_request_teaches_nothing() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 0.5
    assert wait_for_request(policy) == 0.0
    clock.now += 30  # a deep page that took 30 s: the window it describes is long gone

    policy.observe(Answer(remaining=0, limit=5))

    assert policy.share == 5


# --- bursts: the call kept free, and a burst's visible part ------------------------------------------------


def test_one_call_is_kept_free_for_5_s_of_every_30_from_the_first_answer_on() -> None:
    policy, clock = policy_on_clock(headroom=True)
    started = clock.now
    shares = {}
    for seconds in (0.0, 4.9, 5.1, 29.9, 30.1, 34.9, 35.1, 60.5):
        clock.now = started + seconds
        send(policy, Answer(remaining=4, limit=5))  # alone: only our request in the window
        shares[seconds] = policy.share

    # A burst that meets a window full of ours is lost unseen; with a call free, part of it gets in and shows.
    assert shares == {0.0: 4, 4.9: 4, 5.1: 5, 29.9: 5, 30.1: 4, 34.9: 4, 35.1: 5, 60.5: 4}


def test_while_starting_up_the_window_is_01_s_wider() -> None:
    # Streams and partitions are built on a busy CPU and connections opened: requests reach the
    # server later after leaving the budget than they do afterwards.
    policy, clock = policy_on_clock(headroom=True)
    send(policy, Answer(remaining=4, limit=5))
    # 4 calls per 1.03 + 0.04 + 0.1 s (one call kept free, as while others fill the rest), half that spacing
    assert waits_between_requests(policy, clock, count=3) == [0.1463] * 3

    clock.now += 5.0
    send(policy, Answer(remaining=4, limit=5))
    assert waits_between_requests(policy, clock, count=4) == [0.103] * 4


def test_one_call_is_kept_free_for_6_s_after_others_were_last_seen() -> None:
    policy, clock = policy_on_clock(headroom=True)
    started = clock.now
    send(policy, Answer(remaining=4, limit=5))
    clock.now = started + 10.0
    send(policy, Answer(remaining=3, limit=5))  # one call of another client's in the window, and room
    shares = []
    for seconds in (14.9, 15.6, 15.9, 16.1):
        clock.now = started + seconds
        shares.append(policy.share)

    assert shares == [4, 4, 4, 5]  # its use held 5 s and faded by 15.5 s; the free call kept until 16 s


def test_more_others_than_expected_in_a_full_window_keep_room_for_all_but_one_call_until_answers_with_room() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    send_alone_for(policy, clock, 2.0)
    assert policy.share == 5

    clock.now = started + 3.0
    send(policy, Answer(remaining=0, limit=5))  # one of another client's in a window full of ours
    assert policy.share == 1  # it may be what got in of a burst of 4

    send_when_allowed(policy, clock, Answer(remaining=3, limit=5))  # with room: theirs is 1 call
    clock.now = started + 3.0 + 6.5  # the first sample held 5 s and faded, the second one still held
    assert policy.share == 4


def test_a_use_that_comes_and_goes_is_held_twice_its_gap_up_to_8_s() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    for burst_at in (0.0, 4.0):  # a burst of 4 every 4 s, seen each time; answers in between see none
        clock.now = started + burst_at
        send_when_allowed(policy, clock, Answer(remaining=0, limit=5))
        clock.now = started + burst_at + 2.0
        send_when_allowed(policy, clock, Answer(remaining=4, limit=5))
    last_seen = started + 4.0
    shares = []
    for seconds in (5.4, 7.9, 8.6):
        clock.now = last_seen + seconds
        shares.append(policy.share)

    assert shares == [1, 1, 2]  # 5 s would have let 2 more calls of ours meet the next burst


# --- without RateLimit-Remaining on successes -------------------------------------------------------------


def send_then_429_without_headers(policy: AccountShareCallRatePolicy, clock: Clock, own: int) -> None:
    """``own`` requests answered without RateLimit-Remaining, then a 429: the others showed 5 - own calls."""
    for _ in range(own):
        send_when_allowed(policy, clock, Answer())
    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1, success=False))


def test_without_ratelimit_headers_on_successes_a_share_that_met_a_429_is_tried_again_after_45_s_then_90() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer())  # a success without RateLimit-Remaining: only 429s will tell
    clock.now += 2.0
    send_then_429_without_headers(policy, clock, own=4)  # at 5: the others showed 1 call
    first = clock.now
    shares = []
    for seconds in (10.0, 44.9, 47.1):  # what the 429 showed is held as long, then fades a call every 2 s
        clock.now = first + seconds
        shares.append(policy.share)
    assert shares == [4, 4, 5]

    send_then_429_without_headers(policy, clock, own=4)  # 5 again: still too much
    second = clock.now
    shares = []
    for seconds in (10.0, 89.9, 92.1):
        clock.now = second + seconds
        shares.append(policy.share)
    assert shares == [4, 4, 5]


def test_without_ratelimit_headers_on_successes_a_429_below_the_share_tried_lowers_it_and_keeps_the_wait() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer())
    clock.now += 2.0
    send_then_429_without_headers(policy, clock, own=4)  # at 5: 4 allowed
    clock.now += 10.0
    send_then_429_without_headers(policy, clock, own=3)  # at 4: 3 allowed
    lowered = clock.now
    shares = []
    for seconds in (10.0, 44.9, 47.1, 90.1):
        clock.now = lowered + seconds
        shares.append(policy.share)

    assert shares == [3, 3, 4, 5]  # one call more every 45 s (and the 2 others shown faded by one)


def test_without_ratelimit_headers_on_successes_what_a_429_showed_is_held_until_its_share_is_tried_again() -> None:
    # Successes cannot show the others gone, nor a burst that comes back while our requests fill the window:
    # what a 429 showed is held as long as the share that met it, then fades a call every 2 s (not 0.5 s),
    # so that each call more meets a burst or two of theirs before the next.
    policy, clock = policy_on_clock()
    send(policy, Answer())
    clock.now += 2.0
    send_then_429_without_headers(policy, clock, own=1)  # at 5: the others showed 4 calls
    shown = clock.now
    shares = []
    for seconds in (10.0, 44.9, 46.1, 48.1, 50.1, 51.9):
        clock.now = shown + seconds
        shares.append(policy.share)

    assert shares == [1, 1, 1, 2, 3, 4]  # 4 allowed by then: one call less than met the 429


def test_without_ratelimit_headers_on_successes_the_window_is_03_s_longer_while_a_burst_may_hide() -> None:
    # Paced at its share, each request of ours leaves as one of ours leaves the account's window: a burst
    # that took the room left is never met, and it shows only to a request sent while none of ours left.
    policy, clock = policy_on_clock(headroom=True)
    send(policy, Answer())  # the first seconds: one call kept free, and no answer will show a burst
    # 4 calls per 1.03 + 0.04 + 0.1 + 0.3 s, at half the spacing of 1.17 s
    # the 4th 1.47 s after the 1st
    assert waits_between_requests(policy, clock, count=4) == [0.1463, 0.1463, 0.1463, 1.0312]

    clock.now += 6.0  # alone, nothing shown: the ceiling's pacing
    send(policy, Answer())
    assert waits_between_requests(policy, clock, count=4) == [0.103] * 4

    clock.now += 2.0
    send_then_429_without_headers(policy, clock, own=3)  # the others showed 2: 3 left to us
    clock.now += 11.0  # 12 s after: still longer
    send(policy, Answer())
    assert waits_between_requests(policy, clock, count=3) == [0.1783, 0.1783, 1.0133]  # the 3rd: 1.37 s after the 1st

    clock.now += 2.0  # 13 s after
    send(policy, Answer())
    assert waits_between_requests(policy, clock, count=3) == [0.1783, 0.1783, 0.7133]  # the 3rd: 1.07 s after the 1st


@pytest.mark.parametrize(
    "other_client, delivery_s",
    [
        pytest.param(BackgroundTraffic(rps=1, burst=4), (0.0,), id="1 rps in bursts of 4"),
        pytest.param(BackgroundTraffic(rps=1, burst=4), (0.01, 0.03, 0.0, 0.05, 0.02), id="1 rps in bursts of 4, late"),
        pytest.param(BackgroundTraffic(rps=2, burst=4), (0.0,), id="2 rps in bursts of 4"),
        pytest.param(BackgroundTraffic(rps=2, burst=4), (0.01, 0.03, 0.0, 0.05, 0.02), id="2 rps in bursts of 4, late"),
    ],
)
def test_without_ratelimit_headers_on_successes_a_bursty_client_gets_95_percent_of_its_calls_through(
    other_client: BackgroundTraffic, delivery_s: tuple[float, ...]
) -> None:
    run = run_account(
        ceiling_policy, seconds=180.0, other_client=other_client, headers_on_successes=False, delivery_s=delivery_s
    )

    assert run.other_calls_through() >= 0.95
    assert len(run.rate_limited) <= 2 * 3  # at most 2 a minute


def test_many_requests_offered_at_once_at_start_none_reaches_a_full_window() -> None:
    # The sync's streams start together: 12 workers offer a request at once, and while the connector
    # starts up (streams built, connections opened on a busy CPU) requests reach the account up to 0.1 s
    # after they left the budget: here the 2nd to the 5th, and the next ones on time.
    delivery_s = (0.0, 0.1, 0.1, 0.1, 0.1) + (0.0,) * 20
    run = run_account(ceiling_policy, seconds=5.0, workers=12, delivery_s=delivery_s)

    assert run.rate_limited == []
    # One call of the window kept free while starting up; without the 0.1 s start-up margin the 6th would
    # meet the four late ones in one window, and its answer (none left) would read as another client's.
    assert run.most_in_a_window() == 4
    assert len(run.arrivals) == 18  # one request until the first answer, then 4 per 1.17 s


def test_an_error_answer_without_ratelimit_headers_says_nothing_of_what_successes_carry() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 2.0
    send(policy, Answer(success=False))  # a 503 from a gateway
    clock.now += 2.0
    send(policy, Answer(rate_limited=True, retry_after_s=1, success=False))
    clock.now += 20.0

    assert policy.share == 5  # its sample faded: no share held back as without headers on successes


# --- pacing ------------------------------------------------------------------------------------------------


def test_at_the_ceiling_requests_are_spaced_and_at_most_ceiling_per_window() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))

    assert waits_between_requests(policy, clock) == [0.103] * 4  # half the even spacing of 1.03 s / 5
    assert round(wait_for_request(policy), 3) == round(1.03 - 4 * 0.103, 3)  # the first one leaves the window


def test_a_share_of_3_sends_3_per_window() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    sent_at = []
    for _ in range(7):  # another client's 2 calls always in the window
        acquire_when_allowed(policy, clock)
        sent_at.append(round(clock.now - started, 3))
        own = sum(1 for t in sent_at if t > sent_at[-1] - 1.0)
        policy.observe(Answer(remaining=5 - 2 - own, limit=5))  # the answer to the request just sent

    # 3 per 1.07 s: the window is 1.03 s plus 0.04 s while others fill the rest of the account's
    assert sent_at == [0.0, 0.178, 0.357, 1.07, 1.248, 1.427, 2.14]


def test_when_others_use_the_whole_limit_one_request_follows_each_hold_never_a_zero_wait() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 1.5
    waits = []
    for _ in range(4):  # every request meets a full window
        send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))
        waits.append(round(wait_in_another_thread(policy), 2))

    assert policy.share == 1
    assert waits == [1, 2, 4, 8]


# --- 429: holds -------------------------------------------------------------------------------------------


def test_a_429_holds_every_other_worker_for_retry_after() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 0.5
    send(policy, Answer(rate_limited=True, retry_after_s=3))

    assert wait_in_another_thread(policy) == pytest.approx(3.0)
    clock.now += 2.5
    assert wait_in_another_thread(policy) == pytest.approx(0.5)


def test_the_worker_that_got_the_429_is_held_only_for_what_its_error_handler_does_not_wait() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 0.5
    send(policy, Answer(rate_limited=True, retry_after_s=3))
    clock.now += 3.0
    send(policy, Answer(rate_limited=True, retry_after_s=3))  # a second 429 in a row: a 6 s hold
    clock.now += 4.0  # its error handler waited Retry-After + 1 s

    assert wait_for_request(policy) == pytest.approx(6 - 4)
    assert wait_in_another_thread(policy) == pytest.approx(6 - 4)


@pytest.mark.parametrize(
    "retry_after, holds",
    [
        # Up to 8 s: after another client used the whole limit the connector tries again soon after it stops.
        pytest.param(1, [1, 2, 4, 8, 8, 8], id="doubled for each 429 in a row, up to 8 s"),
        pytest.param(None, [1.03, 2.06, 4.12, 8], id="without Retry-After: a window, doubled"),
        pytest.param(20, [20, 20], id="never shorter than Retry-After"),
    ],
)
def test_429s_in_a_row_hold_longer_each_time(retry_after: float | None, holds: list[float]) -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    measured = []
    for _ in holds:
        clock.now += 40  # past any hold, and the others' use faded
        send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=retry_after))
        measured.append(round(wait_in_another_thread(policy), 2))

    assert measured == holds


def test_an_answer_between_429s_starts_the_doubling_again() -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 1
    send(policy, Answer(rate_limited=True, retry_after_s=2))
    clock.now += 10
    send(policy, Answer(remaining=4, limit=5))
    clock.now += 10
    send(policy, Answer(rate_limited=True, retry_after_s=2))

    assert wait_in_another_thread(policy) == pytest.approx(2.0)


def test_a_rejected_request_does_not_count_as_ours_in_the_window() -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    for _ in range(3):  # successes without RateLimit-Remaining: only 429s will say anything
        send(policy, Answer())
        clock.now += 0.25
    send(policy, Answer(rate_limited=True, retry_after_s=0.1, success=False))  # full: another client took 2
    assert policy.share == 3

    clock.now = started + 1.3  # ours at 0.25 and 0.5 in the window, the rejected one at 0.75 not
    assert wait_for_request(policy) == 0.0


# --- logs -------------------------------------------------------------------------------------------------


@pytest.fixture
def airbyte_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="airbyte")
    return caplog


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "airbyte"]


def test_a_reduced_share_is_logged_once_not_per_request(airbyte_logs: pytest.LogCaptureFixture) -> None:
    policy, clock = policy_on_clock()
    started = clock.now
    sent_at: list[float] = []
    shares = set()
    for others in [3] * 25 + [1] * 50 + [3] * 25:  # for 40 s other clients use 3, then 1, then 3 again
        acquire_when_allowed(policy, clock)
        sent_at.append(clock.now)
        own = sum(1 for t in sent_at if t > clock.now - 1.0)
        policy.observe(Answer(remaining=5 - others - own, limit=5))
        shares.add(policy.share)
        clock.now = max(clock.now, started + 0.4 * len(sent_at))

    # 1: their use growing back to 3 in a full window is taken for a burst until answers with room show 3.
    assert shares == {1, 2, 3, 4}
    assert messages(airbyte_logs) == [
        "The account's rate limit is shared with other clients; syncing at 2 requests per second."
    ]


def test_after_a_minute_the_current_share_is_logged_again(airbyte_logs: pytest.LogCaptureFixture) -> None:
    policy, clock = policy_on_clock()
    send(policy, Answer(remaining=0, limit=5))
    clock.now += 61
    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))
    send_when_allowed(policy, clock, Answer(rate_limited=True, retry_after_s=1))  # 429s in a row: a 2 s hold
    clock.now += 61
    send(policy, Answer(remaining=4, limit=5))

    assert messages(airbyte_logs) == [
        "The account's rate limit is shared with other clients; syncing at 1 request per second.",
        "The account's rate limit is used up by other clients; waiting for a free slot, 2 s before the next request.",
        "The account's rate limit is free again; syncing at 5 requests per second.",
    ]


def test_alone_on_the_account_nothing_is_logged(airbyte_logs: pytest.LogCaptureFixture) -> None:
    policy, clock = policy_on_clock(headroom=True)  # the call kept free at the start is not a shared limit
    for _ in range(20):
        clock.now += 0.3
        send(policy, Answer(remaining=4, limit=5))

    assert messages(airbyte_logs) == []


# --- the budget -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, status, answer",
    [
        pytest.param(
            {"RateLimit-Limit": "5", "RateLimit-Remaining": "3"}, 200, Answer(remaining=3, limit=5), id="success"
        ),
        pytest.param(
            {"Retry-After": "30", "RateLimit-Limit": "5", "RateLimit-Remaining": "0"},
            429,
            Answer(remaining=0, limit=5, rate_limited=True, retry_after_s=30, success=False),
            id="429 as documented",
        ),
        pytest.param({}, 200, Answer(), id="no headers"),
        pytest.param(
            {"RateLimit-Remaining": "many", "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
            429,
            Answer(rate_limited=True, success=False),
            id="unreadable headers left out",
        ),
        pytest.param({"ratelimit-remaining": "2"}, 200, Answer(remaining=2), id="header names in any case"),
    ],
)
def test_answer_read_from_a_response(headers: dict[str, str], status: int, answer: Answer) -> None:
    assert Answer.from_response(response(status, headers), "RateLimit-Remaining", [429]) == answer


def test_the_budget_hands_the_policy_whole_answers() -> None:
    clock = Clock()
    policy = AccountShareCallRatePolicy(ceiling=5, window=WINDOW, clock=clock)
    budget = AccountShareHttpAPIBudget(
        policies=[policy], ratelimit_remaining_header="RateLimit-Remaining", status_codes_for_ratelimit_hit=[429]
    )
    budget.acquire_call(REQUEST)
    budget.update_from_response(REQUEST, response(200, {"RateLimit-Limit": "5", "RateLimit-Remaining": "4"}))
    clock.now += 0.5
    budget.acquire_call(REQUEST)

    budget.update_from_response(REQUEST, response(429, {"Retry-After": "7", "RateLimit-Remaining": "0"}))

    assert wait_in_another_thread(policy) == pytest.approx(7.0)


def test_the_budget_still_updates_the_cdk_policies() -> None:
    moving_window = MovingWindowCallRatePolicy(rates=[Rate(2, timedelta(seconds=1))], matchers=[])
    budget = AccountShareHttpAPIBudget(policies=[moving_window])
    budget.acquire_call(REQUEST, block=False)

    budget.update_from_response(REQUEST, response(200, {"ratelimit-remaining": "0"}))

    with pytest.raises(CallRateLimitHit):
        budget.acquire_call(REQUEST, block=False)


def test_a_ceiling_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="ceiling must be at least 1"):
        AccountShareCallRatePolicy(ceiling=0, window=WINDOW)
