"""Developer tools run from scripts/: the demo, the benchmark, the profiler, the expected-records writer."""
