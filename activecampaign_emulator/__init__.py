"""A local emulator of the ActiveCampaign API v3 for the source-activecampaign tests and benchmark.

Stdlib only. It behaves like the API's public reference (https://developers.activecampaign.com/reference)
and like recorded responses of real accounts; where public sources leave the behaviour open, the
code says in one line what the emulator chooses.

    from activecampaign_emulator import Emulator, EmulatorOptions, Fault

    with Emulator(contacts=200, seed=42, options=EmulatorOptions(rate_limit=5)) as emulator:
        requests.get(f"{emulator.url}/api/3/contacts", headers={"Api-Token": emulator.api_key})
        emulator.dataset.touch("contacts", count=3)
        emulator.faults.add(Fault("status", path_pattern=r"/deals$", status=503))

Seeded dates span 2019-01-01 .. 2025-06-30 (account time); `Emulator(data_until="now")` or
`--data-until YYYY-MM-DD|now` moves them, same span, to end there (an account synced up to today).

Time: `Emulator(clock=..., sleep=...)` drives the rate limit, latency and slow faults; tests pass a
`ManualClock` and never wait for real seconds.

Process mode: `python -m activecampaign_emulator --port 0 --contacts 100000` prints
`EMULATOR_URL=...`; admin endpoints live under /__emulator/ (see admin.py).
"""

from .clock import ManualClock
from .emulator import DEFAULT_API_KEY, Emulator
from .faults import Fault
from .options import EmulatorOptions
from .stats import RequestLogEntry

__all__ = ["Emulator", "EmulatorOptions", "Fault", "ManualClock", "RequestLogEntry", "DEFAULT_API_KEY"]
