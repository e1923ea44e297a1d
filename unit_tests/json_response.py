"""A 200 response with a JSON body, for components that read one."""

import io
import json
from typing import Any

import requests


def json_response(body: dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.raw = io.BytesIO(json.dumps(body).encode())
    return response
