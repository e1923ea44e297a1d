"""A local emulator of the ActiveCampaign API v3 for the source-activecampaign tests and benchmark.

Stdlib only. It follows the project's API behaviour reference (activecampaign-api.md, sections
cited as "reference §N"); where the reference leaves a choice open the code says "INF".

    from activecampaign_emulator import Emulator, EmulatorOptions, Fault

    with Emulator(contacts=200, seed=42, options=EmulatorOptions(rate_limit=5)) as emu:
        requests.get(f"{emu.url}/api/3/contacts", headers={"Api-Token": emu.api_key})
        emu.dataset.touch("contacts", count=3)
        emu.faults.add(Fault("status", path_pattern=r"/deals$", status=503))

Seeded dates span 2019-01-01 .. 2025-06-30 (account time); `Emulator(data_until="now")` or
`--data-until YYYY-MM-DD|now` moves them, same span, to end there (an account synced up to today).

Process mode: `python -m activecampaign_emulator --port 0 --contacts 100000` prints
`EMULATOR_URL=...`; admin endpoints live under /__emulator/ (see admin.py).
"""

from .emulator import DEFAULT_API_KEY, Emulator
from .faults import Fault
from .options import EmulatorOptions
from .stats import RequestLogEntry

__all__ = ["Emulator", "EmulatorOptions", "Fault", "RequestLogEntry", "DEFAULT_API_KEY"]
