"""CPU profile of a connector run across all its threads (for the benchmark; not part of the tests).

``python -m cProfile`` sees only the main thread, and the concurrent CDK reads and normalises
pages in worker threads (the main thread only serialises and prints messages). This starts a
profiler in every thread, timed by that thread's own CPU clock (so waiting on the network or on
the rate budget costs nothing), and merges them into one pstats file at exit.

    python -m tools.profile_read run OUT.prof main.py read --config C --catalog K
    python -m tools.profile_read show OUT.prof [--top 25]

``show`` prints the top entries by cumulative and by own time, marking the connector's own code
(``source_activecampaign/``) with ``*``.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import functools
import io
import pstats
import runpy
import sys
import threading
import time

OWN_CODE = "source_activecampaign/"


def _profiler() -> cProfile.Profile:
    # This thread's CPU clock, read through its clock id rather than time.thread_time: frames still
    # open when the profiles are merged at exit (a daemon thread asleep) are then closed with their
    # own thread's clock, not the main thread's.
    clock = time.pthread_getcpuclockid(threading.get_ident())
    return cProfile.Profile(functools.partial(time.clock_gettime_ns, clock), 1e-9)


def run(out: str, argv: list[str]) -> None:
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()

    def first_event(*_: object) -> None:
        # threading.setprofile runs this in each new thread before its target: swap in a profiler.
        sys.setprofile(None)
        profile = _profiler()
        with lock:
            profiles.append(profile)
        profile.enable()

    def dump() -> None:
        main.disable()
        merged: pstats.Stats | None = None
        with lock:
            for profile in profiles:
                profile.create_stats()
                if not profile.stats:  # type: ignore[attr-defined]
                    continue
                if merged is None:
                    merged = pstats.Stats(profile)
                else:
                    merged.add(profile)
        if merged is not None:
            merged.dump_stats(out)

    main = _profiler()
    profiles.append(main)
    threading.setprofile(first_event)
    atexit.register(dump)
    sys.argv = argv
    main.enable()
    runpy.run_path(argv[0], run_name="__main__")


def show(path: str, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(path, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    for key in ("cumulative", "tottime"):
        out.write(f"\n== top {top} by {key} (CPU seconds, all threads; total {total:.1f} s; * = {OWN_CODE})\n")
        stats.sort_stats(key)
        width = 0
        rows = []
        for func in stats.fcn_list[:top]:  # type: ignore[attr-defined]
            cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
            filename, line, name = func
            where = f"{_short(filename)}:{line}({name})" if filename != "~" else name
            mark = "*" if OWN_CODE in filename else " "
            rows.append((mark, nc, tt, ct, where))
            width = max(width, len(str(nc)))
        out.write(f"  {'calls':>{width}} {'tottime':>8} {'cumtime':>8}  function\n")
        for mark, nc, tt, ct, where in rows:
            out.write(f"{mark} {nc:>{width}} {tt:>8.2f} {ct:>8.2f}  {where}\n")
    return out.getvalue()


def _short(filename: str) -> str:
    for marker in ("site-packages/", "lib/python3.", "/work/", "/tmp/"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "lib/python3." and "/" in tail else tail
    return filename


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["run"] and len(args) >= 3:
        run(args[1], args[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["show"])
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args(args)
    print(show(options.path, options.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
