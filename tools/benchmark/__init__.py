"""How fast the connector reads, against the bundled emulator: not part of the test run.

Each scenario starts the emulator as a process (a given size, rate limit and latency), runs the
connector through its real entrypoint (``python main.py read --config C --catalog K [--state S]``,
a subprocess) and measures, from the emulator's request log and the connector process's own
rusage (``os.wait4`` on its pid: the emulator is not mixed in):

    records, requests, read wall (first to last request), process wall, effective requests per
    second (requests / read wall), share of the rate ceiling, 429s, records per second (records /
    read wall), peak RSS and CPU seconds (user + sys) of the connector process.

Scenarios (``--scenario NAME``, repeatable; default all, in this order; the old numbers 1 to 10 still
select them, and 11 the three of issue 19):
  contacts_ceiling               contacts only, 20,000 contacts, 5 rps, 200 ms: the rate ceiling
  whole_account_first_sync       every stream, full refresh, 20,000 contacts, 5 rps, 200 ms
  contacts_cpu_per_record        contacts only, 100,000 contacts, no limit, no latency: CPU per record
  cpu_per_record_against_the_floor  contacts and its five child streams, 20,000 contacts, no limit, no
                                 latency: CPU per record beside a minimal reader's of the same pages
  whole_account_at_scale         every stream's first sync at 10,000, 20,000 and 100,000 contacts, 5 rps,
                                 200 ms, RateLimit headers: the ceiling, 429s, CPU, peak RSS
  second_sync_requests           every stream incremental (2,000 contacts, data up to now): the first
                                 and the second sync's requests per stream
  incremental_after_one_percent  contacts and deals (data up to now), a second read after 1% of each
                                 changed: its requests per stream against ceil(changed / 100) + 5
  peak_memory                    peak RSS at 10,000 and 100,000 contacts (no limit, no latency)
  small_accounts                 contacts only at 2,000 and 6,000 contacts, 5 rps, 200 ms
  deals_windows                  deals only, 5,000 deals (a 20,000-contact account), 5 rps, 200 ms
  killed_and_resumed             a first read of contacts (5,000) and of deals (5,000) killed once 90% of
                                 its records are out, and resumed from its last state
  shared_account                 another client on the account at 1, 2 and 3 rps, steady and in bursts,
                                 stopping after 20 s, and with RateLimit-Remaining only on 429s (6,000
                                 contacts, about 200 requests)
  contact_children_peak_memory   contacts and its five child streams: peak RSS at 10,000 and 100,000
  contact_children_incremental   the same streams incremental after 1% of contacts changed, the option
                                 contact_children_from_changed_contacts off and on
  contact_children_on_pages      every stream with whole sideloads, and with the emulator capping them
                                 (every row still exact, the same records)

    scripts/benchmark [--scenario NAME ...] [--quick] [--contacts N] [--verbose] [--write docs/performance.md]

``--quick`` runs every scenario at a tenth of its size (a few minutes); ``--contacts N`` sets the
size of every scenario (the peak-memory ones compare N / 10 with N). Limited scenarios put
``requests_per_second: 5`` (the connector's default) in the config; the others leave it out, so
the connector still keeps to its default budget of 5 per second: "no limit" means only that the
emulator does not limit. ``--ratelimit-headers`` makes the limited emulator send
RateLimit-Remaining on every answer; ``--profile`` profiles the measured reads (profile_read.py).

The package:
  reading.py      the measurement: one ``main.py read`` against an emulator process (``read`` -> ``Read``)
  accounts.py     the emulator process of a scenario, its config and catalogs (``Workspace``), and a
                  full refresh as a row (``full_refresh_row``, which reuses a read made earlier in the run)
  streams.py      requests and records by stream, the contact child streams' requests, records compared
  bench.py        what a scenario is handed (``Bench``: the run's settings) and hands back (``Row``)
  report.py       the tables and the markdown report
  scenarios/      one function per scenario, and the registry (``scenarios/__init__.py``)
  cli.py          ``scripts/benchmark``

Adding a scenario: write a function ``def my_scenario(bench: Bench, contacts: int = 20_000) -> list[Row]``
in a module of ``scenarios/`` (its sizes as parameters with their full-size defaults, each read through
``bench.size(...)`` so that --quick and --contacts apply; its rows named ``"my_scenario"``; its docstring
says what it measures, and the report prints it), and add one line to ``_ALL`` in
``scenarios/__init__.py``: ``Scenario(my_scenario, tiny={"contacts": 100})``, with the sizes the quick
test (``benchmark_tests/``) runs it at. ``full_refresh_row`` is the one-read case; ``Workspace``,
``emulator_process`` and ``read`` compose anything else.
"""
