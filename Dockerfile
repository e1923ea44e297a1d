# The connector image: `docker build -t airbyte/source-activecampaign:dev .`, then
# `docker run --rm airbyte/source-activecampaign:dev spec`.
#
# Both stages use metadata.yaml's connectorBuildOptions.baseImage (unit_tests/test_platform.py
# keeps them equal). The builder installs the package from this checkout: its wheel carries
# manifest.yaml and schemas/ inside the package. requirements.lock is used as constraints, so the
# runtime dependencies get the locked versions and the dev tools it also pins are left out.

FROM docker.io/airbyte/python-connector-base:4.1.0@sha256:1d1aa21d34e851df4e8a87b391c27724c06e2597608e7161f4d167be853bd7b6 AS builder

WORKDIR /airbyte/integration_code
COPY pyproject.toml requirements.lock README.md LICENSE manifest.yaml ./
COPY schemas ./schemas
COPY source_activecampaign ./source_activecampaign
RUN pip install --no-cache-dir --constraint requirements.lock .

FROM docker.io/airbyte/python-connector-base:4.1.0@sha256:1d1aa21d34e851df4e8a87b391c27724c06e2597608e7161f4d167be853bd7b6

WORKDIR /airbyte/integration_code
COPY --from=builder /usr/local /usr/local

USER airbyte

# The platform starts the connector through AIRBYTE_ENTRYPOINT; `docker run` through ENTRYPOINT.
ENV AIRBYTE_ENTRYPOINT="source-activecampaign"
ENTRYPOINT ["source-activecampaign"]
