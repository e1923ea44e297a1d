"""Every benchmark scenario at a tiny size, so that a change to the connector or to the benchmark
that breaks one shows here and not an hour into ``scripts/benchmark``.

Each scenario runs as registered, at the sizes its registry line gives for this test (``tiny``), with
the emulator answering after 10 ms instead of 200: every read, kill, resume and comparison of it is
made, against emulator processes, through ``main.py``. The figures are checked for sense (records,
requests, CPU and memory of each read), and the benchmark's own verdicts where they do not depend on
time (rows exact, the same records, requests within their bound). No timing is asserted.
"""

import re
from pathlib import Path
from typing import Any

import pytest

from testing.connector_runner import REPO_ROOT
from tools.benchmark.bench import Bench, Row
from tools.benchmark.cli import NUMBERS, main, selected
from tools.benchmark.report import report
from tools.benchmark.scenarios import SCENARIOS

# What each scenario's tiny run must say besides its figures: (row index, a phrase of its notes or
# details). No row of any scenario may say OVER (requests over their bound).
VERDICTS = {
    "incremental_after_one_percent": [(1, "within"), (1, "contacts "), (1, "deals ")],
    "contact_children_incremental": [(2, ": within)")],
    "contact_children_on_pages": [(0, "every row exact"), (1, "every row exact"), (1, "each once")],
    "killed_and_resumed": [(0, "the resumed sync took")],
    "deletion_check": [(2, "deletions exact")],
}


def _checked(name: str, rows: list[Row]) -> None:
    assert rows, f"{name} made no rows"
    for row in rows:
        assert row.scenario == name, f"{name} made a row of {row.scenario!r}"
        read = row.result
        assert read.total_records > 0, row.label
        assert read.requests > 0, row.label
        assert read.answered > 0, row.label
        assert read.process_wall > 0 and read.cpu_seconds > 0 and read.maxrss_kb > 0, row.label
        assert read.read_wall >= 0, row.label


# What discover returned, shared by the scenarios this worker runs, as a whole benchmark run shares it.
_CATALOGS: dict[str, dict[str, Any]] = {}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_at_a_tiny_size_makes_its_rows_with_sane_figures(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    rows = scenario(Bench(out=tmp_path, latency_ms=10, catalogs=_CATALOGS), **scenario.tiny)

    _checked(name, rows)
    said = ["; ".join(row.notes + row.details) for row in rows]
    for index, phrase in VERDICTS.get(name, []):
        assert phrase in said[index], (rows[index].label, said[index])
    assert not [text for text in said if "OVER" in text]
    written = report(rows, "scripts/benchmark", True, [], {name: scenario.measures})
    assert all(row.label in written for row in rows if row.background is None)
    assert f"**`{name}`.** {scenario.measures}" in written


def test_every_scenario_says_what_it_measures_and_its_number_still_selects_it() -> None:
    for name, scenario in SCENARIOS.items():
        assert len(scenario.measures) > 100, f"{name}: its docstring is what the report says it measures"
    assert sorted(name for names in NUMBERS.values() for name in names) == sorted(SCENARIOS)
    assert selected(["10", "contacts_ceiling"]) == [
        "contacts_ceiling",
        "contact_children_peak_memory",
        "contact_children_incremental",
        "contact_children_on_pages",
    ]
    assert selected(None) == list(SCENARIOS)
    with pytest.raises(SystemExit, match="unknown scenario contacts_ceilng; the scenarios are: contacts_ceiling"):
        selected(["contacts_ceilng"])


def test_the_readme_lists_every_scenario_and_the_performance_page_says_what_each_measures() -> None:
    readme = (REPO_ROOT / "README.md").read_text().split("## Benchmark", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", readme, re.M)
    assert listed == list(SCENARIOS)
    performance = (REPO_ROOT / "docs" / "performance.md").read_text()
    assert [
        name for name, scenario in SCENARIOS.items() if f"**`{name}`.** {scenario.measures}" not in performance
    ] == []


def test_the_command_writes_the_report_and_reuses_a_read_made_earlier_in_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = tmp_path / "performance.md"
    # At 20 contacts peak_memory's two sizes are 20 and 20: both are contacts_cpu_per_record's read.
    arguments = ["--scenario", "3", "--scenario", "peak_memory", "--contacts", "20", "--verbose"]

    assert main([*arguments, "--out", str(tmp_path / "out"), "--write", str(written)]) == 0

    text = written.read_text()
    assert "| contacts_cpu_per_record: contacts, no limit, no latency | 20 | 20 |" in text
    assert text.count("| peak_memory: contacts, peak RSS | 20 | 20 |") == 2
    assert text.count("the read of contacts_cpu_per_record") == 2
    assert "RSS x1.00 for x1 records" in text
    assert "**`peak_memory`.** Peak resident memory" in text
    assert f"wrote {written}" in capsys.readouterr().out
