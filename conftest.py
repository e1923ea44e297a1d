# The CDK's standard test suite (integration_tests/test_standard_suite.py) needs its pytest hooks
# registered from the root conftest.
pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]
