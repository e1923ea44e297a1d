# The CDK's standard test suite (integration_tests/test_standard_suite.py) needs its pytest hooks
# registered from the root conftest; the emulator fixtures serve the integration and emulator suites.
pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks", "testing.emulator_fixtures"]
