"""The registry: every scenario by name, in the order a whole run makes them.

A scenario is a function ``(bench, **sizes) -> list[Row]`` whose docstring says what it measures (the
report prints it). ``tiny`` is what the quick test (``benchmark_tests/``) passes it: sizes small enough
to run in seconds, every part of it still made.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tools.benchmark.bench import Bench, Row
from tools.benchmark.scenarios.contact_children import (
    CONTACTS_AND_CHILDREN,
    contact_children_incremental,
    contact_children_on_pages,
    contact_children_peak_memory,
)
from tools.benchmark.scenarios.contacts import contacts_ceiling, contacts_cpu_per_record, peak_memory, small_accounts
from tools.benchmark.scenarios.deals import deals_windows
from tools.benchmark.scenarios.deletions import deletion_check
from tools.benchmark.scenarios.incremental import incremental_after_one_percent
from tools.benchmark.scenarios.record_path import (
    cpu_per_record_against_the_floor,
    second_sync_requests,
    whole_account_at_scale,
)
from tools.benchmark.scenarios.resume import killed_and_resumed
from tools.benchmark.scenarios.shared_account import shared_account
from tools.benchmark.scenarios.whole_account import whole_account_first_sync


@dataclass(frozen=True)
class Scenario:
    run: Callable[..., list[Row]]
    tiny: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.run.__name__

    @property
    def measures(self) -> str:
        """The scenario's docstring as one paragraph."""
        return " ".join((inspect.getdoc(self.run) or "").split())

    def __call__(self, bench: Bench, **sizes: Any) -> list[Row]:
        return self.run(bench, **sizes)


_ALL = (
    Scenario(contacts_ceiling, tiny={"contacts": 250}),
    Scenario(whole_account_first_sync, tiny={"contacts": 20}),
    Scenario(contacts_cpu_per_record, tiny={"contacts": 250}),
    Scenario(cpu_per_record_against_the_floor, tiny={"contacts": 250}),
    Scenario(whole_account_at_scale, tiny={"sizes": (20, 200)}),
    Scenario(second_sync_requests, tiny={"contacts": 100}),
    Scenario(incremental_after_one_percent, tiny={"contacts": 400}),
    # After contacts_cpu_per_record, whose read of the same size it reuses.
    Scenario(peak_memory, tiny={"contacts": 250}),
    Scenario(small_accounts, tiny={"sizes": (20, 120)}),
    Scenario(deals_windows, tiny={"contacts": 400}),
    # Killed half way, a page or more of contacts and of deals is still to come.
    Scenario(killed_and_resumed, tiny={"accounts": ((1_600, (0.5,)),)}),
    Scenario(
        shared_account,
        tiny={
            "contacts": 60,
            "check_contacts": None,
            "other_client_rps": (3,),
            "stopping_rps": (5,),
            "stop_after_s": 2,
            "headers_only_on_429": ((3, 4),),
        },
    ),
    Scenario(contact_children_peak_memory, tiny={"contacts": 250}),
    Scenario(contact_children_incremental, tiny={"contacts": 100}),
    Scenario(deletion_check, tiny={"contacts": 400}),
    # Last: it holds every record's id of two whole-account reads in this process (see its docstring).
    Scenario(contact_children_on_pages, tiny={"contacts": 20, "streams": CONTACTS_AND_CHILDREN}),
)
SCENARIOS: dict[str, Scenario] = {scenario.name: scenario for scenario in _ALL}
