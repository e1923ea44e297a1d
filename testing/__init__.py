"""What the tests, the demo and the benchmark share: the connector run through `main.py`, and the
bundled emulator as a pytest fixture."""
