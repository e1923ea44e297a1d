"""The shared-account table's figures from a read's log: what the other client left, 429s a minute."""

from collections import Counter
from pathlib import Path
from typing import Any

from tools.benchmark.bench import Background, Bench, Row
from tools.benchmark.reading import Read
from tools.benchmark.report import left_to_the_connector, shared_table
from tools.benchmark.scenarios.shared_account import SharedRun


def _read(answers: list[tuple[float, int]], background_log: list[tuple[float, bool]]) -> Read:
    """A read whose requests started at the given times (each answered 0.2 s later) with these statuses."""
    log: list[dict[str, Any]] = [
        {"started_at": at, "finished_at": at + 0.2, "status": status, "path": "/api/3/contacts"}
        for at, status in answers
    ]
    return Read(
        Counter({"contacts": 1}), {}, 1.0, 1, 0, 1.0, log, sum(1 for _, s in answers if s == 429), 1, background_log
    )


def test_what_the_other_client_leaves_is_5_less_its_rate_while_it_runs_and_5_after() -> None:
    read = _read([(100.0, 200), (139.8, 200)], [])  # a read of 40 s
    stopping = Row("shared_account", "t", 10, True, read, background=Background(3), stop_after_s=20, stopped_at=110.0)
    steady = Row("shared_account", "t", 10, True, read, background=Background(2))

    assert left_to_the_connector(stopping) == 5 - 3 * 10 / 40
    assert left_to_the_connector(steady) == 3


def test_the_table_says_429s_a_minute_the_share_of_what_is_left_and_the_calls_through() -> None:
    answers = [(100.0 + 0.5 * i, 429 if i in (3, 50) else 200) for i in range(120)]  # 60 s, 2 answered 429
    background = [(100.0 + i, i % 10 != 0) for i in range(60)]  # 60 calls, 6 lost
    row = Row(
        "shared_account",
        "t",
        10,
        True,
        _read(answers, background),
        background=Background(1, 4),
        headers_on_every_answer=False,
    )

    cells = [cell.strip() for cell in shared_table([row]).splitlines()[2].strip("|").split("|")]

    # 120 requests, 2 answered 429 (2.0 a minute), 59.7 s, 118 answered: 1.98 a second, 49% of the 4 left;
    # 60 calls of the other client between the connector's first and last request, 6 lost: 90% through.
    assert cells == [
        "1 rps in bursts of 4",
        "10",
        "on",
        "429s only",
        "120",
        "2",
        "2.0",
        "59.7",
        "1.98",
        "4",
        "49%",
        "60",
        "6",
        "90%",
        "",
    ]


def test_row_asks_for_the_reads_whose_title_holds_it() -> None:
    bursts_without_headers = SharedRun(10, Background(1, 4), headers_on_every_answer=False)
    bursts = SharedRun(10, Background(1, 4))
    only = Bench(out=Path("out"), rows=("1 rps in bursts of 4, RateLimit-Remaining only on 429s",))

    assert bursts_without_headers.title == "another client 1 rps in bursts of 4, RateLimit-Remaining only on 429s"
    assert [only.wants(run.title) for run in (bursts_without_headers, bursts)] == [True, False]
    assert Bench(out=Path("out")).wants(bursts.title)  # no --row: every read
