"""CLI: python -m activecampaign_emulator [--port 0] [--contacts N] [mode flags...]

Prints one line `EMULATOR_URL=http://host:port` once serving, then runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from .emulator import DEFAULT_API_KEY, Emulator
from .options import DEALS_ACCESS_MODES, FORBIDDEN_BODIES, ODD_BODIES, EmulatorOptions
from .seeding import SeedClock


def _data_until(value: str) -> str:
    try:
        SeedClock.until(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m activecampaign_emulator", description="Local emulator of the ActiveCampaign API v3."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--data-until",
        type=_data_until,
        default=None,
        metavar="YYYY-MM-DD|now",
        help="seeded dates end here (same span as the default 2019-01-01..2025-06-30)",
    )
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per second per account")
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--ratelimit-headers", action="store_true")
    parser.add_argument(
        "--background-rps", type=float, default=0.0, help="another client of the account, calls per second"
    )
    parser.add_argument(
        "--background-burst", type=int, default=1, help="its calls come this many at once (1: evenly spaced)"
    )
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument(
        "--forbidden-rate", type=float, default=0.0, help="share of requests refusing the good key (403)"
    )
    parser.add_argument(
        "--odd-body-rate", type=float, default=0.0, help="share of 200 answers with an HTML, empty or cut body"
    )
    parser.add_argument("--odd-bodies", default=",".join(ODD_BODIES), help=f"some of {','.join(ODD_BODIES)}")
    parser.add_argument("--deals-access", choices=DEALS_ACCESS_MODES, default="full")
    parser.add_argument("--mutate-every", type=int, default=0)
    parser.add_argument("--forbidden-body", choices=FORBIDDEN_BODIES, default="json")
    parser.add_argument("--forbidden-resources", default="", help="comma-separated collections, e.g. lists,forms")
    parser.add_argument(
        "--missing-resources", default="", help="comma-separated collections the account lacks (404), e.g. sms,goals"
    )
    parser.add_argument("--activities-require-contact", action="store_true")
    parser.add_argument("--payment-required", action="store_true")
    parser.add_argument("--account-redirect", default=None, metavar="URL")
    parser.add_argument(
        "--sideload-cap",
        type=int,
        default=None,
        metavar="N",
        help="at most N rows in each include= array of a page; the id lists on the records stay whole",
    )
    parser.add_argument(
        "--rows-dropped-from-pages",
        default="",
        help="comma-separated collections whose every list page leaves out its last row (meta.total still counts it)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = EmulatorOptions(
        rate_limit=args.rate_limit,
        retry_after=args.retry_after,
        ratelimit_headers=args.ratelimit_headers,
        background_rps=args.background_rps,
        background_burst=args.background_burst,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        forbidden_rate=args.forbidden_rate,
        odd_body_rate=args.odd_body_rate,
        odd_bodies=args.odd_bodies,
        deals_access=args.deals_access,
        mutate_every=args.mutate_every,
        forbidden_body=args.forbidden_body,
        forbidden_resources=frozenset(
            resource.strip() for resource in args.forbidden_resources.split(",") if resource.strip()
        ),
        missing_resources=args.missing_resources,
        activities_require_contact=args.activities_require_contact,
        payment_required=args.payment_required,
        account_redirect=args.account_redirect,
        sideload_cap=args.sideload_cap,
        rows_dropped_from_pages=args.rows_dropped_from_pages,
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    emulator = Emulator(
        contacts=args.contacts,
        seed=args.seed,
        api_key=args.api_key,
        options=options,
        host=args.host,
        port=args.port,
        data_until=args.data_until,
    ).start()
    sys.stdout.write(f"EMULATOR_URL={emulator.url}\n")
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
