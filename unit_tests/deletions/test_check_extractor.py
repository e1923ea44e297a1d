"""The record path's part of the check (DeletionCheckExtractor) and the lookups of vanished ids."""

import datetime
import json
from typing import Any

import pytest
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor

from source_activecampaign.deletions.check_extractor import DeletionCheckExtractor
from source_activecampaign.deletions.checks import DeletionChecks
from source_activecampaign.deletions.id_set import IdSet
from source_activecampaign.deletions.plan import DeletionPlan, StreamDeletions
from source_activecampaign.deletions.record_lookup import RecordLookup

NOW = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
PAGE = {"tags": [{"id": "3", "tag": "a"}, {"id": "8", "tag": "b"}]}


def _response(body: Any, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    return response


def _checks(sync: str, due: bool) -> DeletionChecks:
    stream = StreamDeletions("tags", "id", False, False, IdSet.of([3, 5, 8]), NOW, due)
    return DeletionChecks(DeletionPlan(sync, NOW, {"tags": stream}))


def _extractor(sync: str, **fields: Any) -> DeletionCheckExtractor:
    config = {"deletions": {"sync": sync}}
    inner = DpathExtractor(field_path=["tags"], config=config, parameters={})
    return DeletionCheckExtractor(extractor=inner, config=config, parameters={"name": "tags"}, **fields)


def test_given_the_streams_check_runs_when_a_page_is_extracted_then_records_pass_as_they_are_and_ids_are_noted() -> (
    None
):
    checks = _checks("extract-1", due=True)
    extractor = _extractor("extract-1")

    records = list(extractor.extract_records(_response(PAGE)))

    assert records == PAGE["tags"]
    check = checks.checking("tags")
    assert check is not None
    assert check.finish(True) == (
        [5],
        {"emitted_ids": IdSet.of([3, 8]).encode(), "last_deletions_check": "2024-03-01T12:00:00+00:00"},
    )


@pytest.mark.parametrize(
    "whole_collection, concludes",
    [
        pytest.param("{{ config.get('deletions') is not none }}", True, id="interpolated true"),
        pytest.param(False, False, id="a read of changed rows only: no conclusion"),
    ],
)
def test_given_whole_collection_declared_then_the_check_concludes_only_from_whole_reads(
    whole_collection: Any, concludes: bool
) -> None:
    checks = _checks(f"extract-2-{concludes}", due=True)
    list(_extractor(f"extract-2-{concludes}", whole_collection=whole_collection).extract_records(_response(PAGE)))

    check = checks.checking("tags")
    assert check is not None and (check.finish(True) is not None) is concludes


def test_given_the_streams_check_does_not_run_then_the_inner_extractors_records_are_handed_on_untouched() -> None:
    checks = _checks("extract-3", due=False)
    extractor = _extractor("extract-3")

    assert list(extractor.extract_records(_response(PAGE))) == PAGE["tags"]
    assert checks.checking("tags") is None


def test_given_the_retrievers_decoder_then_the_wrapped_extractor_decodes_with_it() -> None:
    decoder = JsonDecoder(parameters={})
    extractor = _extractor("extract-4", decoder=decoder)

    assert extractor.extractor.decoder is decoder  # type: ignore[attr-defined]


class FakeRequester:
    """Answers GET <collection>/<id> from a table of statuses; raises for an id mapped to an exception."""

    def __init__(self, statuses: dict[str, Any]) -> None:
        self.statuses = statuses
        self.asked: list[str] = []

    def send_request(self, stream_slice: Any = None, **_: Any) -> requests.Response:
        identifier = stream_slice.partition["id"]
        self.asked.append(identifier)
        answer = self.statuses[identifier]
        if isinstance(answer, Exception):
            raise answer
        return _response({}, answer)


@pytest.mark.parametrize(
    "statuses, max_lookups, expected, asked",
    [
        pytest.param(
            {"1": 200, "2": 404, "4": 200, "6": 500},
            10,
            ([2], [4], [6]),
            ["1", "2", "4", "6"],
            id="the probe answers: 404 gone, 200 alive, 500 unknown",
        ),
        pytest.param(
            {"1": 404},
            10,
            ([], [], [2, 4, 6]),
            ["1"],
            id="a row the read saw answers 404: the collection has no such URL, nothing confirmed",
        ),
        pytest.param(
            {"1": 200, "2": 404, "4": requests.ConnectionError("refused"), "6": 404},
            10,
            ([2, 6], [], [4]),
            ["1", "2", "4", "6"],
            id="a lookup that fails: unknown",
        ),
        pytest.param(
            {"1": 200, "2": 404, "4": 404, "6": 404}, 2, ([2, 4], [], [6]), ["1", "2", "4"], id="past the cap: unknown"
        ),
    ],
)
def test_given_vanished_ids_when_looked_up_then_split_by_the_answer_of_their_own_url(
    statuses: dict[str, Any], max_lookups: int, expected: tuple[list[int], ...], asked: list[str]
) -> None:
    requester = FakeRequester(statuses)
    lookup = RecordLookup(requester, max_lookups)  # type: ignore[arg-type]

    gone, alive, unknown = lookup.confirm("tags", IdSet.of([2, 4, 6]), IdSet.of([1, 3]))

    assert (gone.ids(), alive.ids(), unknown.ids()) == expected
    assert requester.asked == asked


def test_given_nothing_seen_then_nothing_can_be_confirmed() -> None:
    requester = FakeRequester({})
    gone, alive, unknown = RecordLookup(requester, 10).confirm("tags", IdSet.of([2]), IdSet())  # type: ignore[arg-type]
    assert (gone.ids(), alive.ids(), unknown.ids(), requester.asked) == ([], [], [2], [])
