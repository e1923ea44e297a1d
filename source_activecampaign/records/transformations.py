"""Fields copied onto a record without rendering a template for each record.

The CDK's ``AddFields`` renders each value with Jinja for every record (a context built, a template
rendered, the output literal-evaluated), and a conditional one renders the value before its
condition, so twice per field per record even when nothing is added. These do what the manifest's
``AddFields`` did with plain Python, and write the same values: what the template
``{{ record['cdate'] }}`` with ``value_type: string`` gives is the value as text, except that text
which reads as a quoted Python string loses its quotes, and a condition holds unless the value reads
as false ("0", "None", "[]", ...), as ``InterpolatedBoolean`` decides (``_rendered``).
"""

import ast
import re
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_boolean import FALSE_VALUES
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState

# Text that starts as a date and a time cannot be a Python literal: no need to try (most values).
_TIMESTAMP_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
_MISSING = object()


def _rendered(value: Any) -> tuple[str, Any]:
    """``{{ value }}`` as the CDK's Jinja interpolation gives it: the text rendered (``str``; nothing
    for a missing value) and that text literal-evaluated, or the text itself when it is no literal."""
    text = "" if value is _MISSING else str(value)
    if not text or _TIMESTAMP_START.match(text):
        return text, text
    try:
        return text, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text, text


def _as_string_value(value: Any) -> str:
    """What ``AddFields`` writes for ``{{ value }}`` with ``value_type: string``."""
    text, evaluated = _rendered(value)
    return evaluated if isinstance(evaluated, str) else text


def _holds(value: Any) -> bool:
    """Whether a condition rendering ``{{ value }}`` holds, as ``InterpolatedBoolean`` decides it."""
    text, evaluated = _rendered(value)
    if not text:
        return False
    return (text if isinstance(evaluated, complex) else evaluated) not in FALSE_VALUES


@dataclass
class CopyFields(RecordTransformation):
    """Copies record or partition values into fields of the record.

    ``record_fields`` maps a field to the record's field it is copied from, ``partition_fields`` to
    the stream partition's key. With ``only_when_empty``, a field is copied only when it is empty
    (absent, null, "", 0 or false) and its source is not: a creation time standing in for a missing
    update time. Values are written as text, as ``AddFields`` with ``value_type: string`` writes
    them; the stream's schema normalisation then types them.

    Usage::

        transformations:
          - type: CustomTransformation
            class_name: source_activecampaign.records.transformations.CopyFields
            record_fields: {mdate: cdate}
            only_when_empty: true

    ``{"cdate": "2019-05-26 12:32:01", "mdate": null}`` -> ``mdate`` is ``"2019-05-26 12:32:01"``;
    ``{"mdate": "2020-01-01 00:00:00", ...}`` is left as it is.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    record_fields: Mapping[str, str] = field(default_factory=dict)
    partition_fields: Mapping[str, str] = field(default_factory=dict)
    only_when_empty: bool = False

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._record_fields = list(self.record_fields.items())
        self._partition_fields = list(self.partition_fields.items())

    def transform(
        self,
        record: dict[str, Any],
        config: Config | None = None,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> None:
        for target, source in self._record_fields:
            if self.only_when_empty:
                source_value = record.get(source)
                if not record.get(target) and source_value and _holds(source_value):
                    record[target] = _as_string_value(source_value)
            else:
                record[target] = _as_string_value(record.get(source, _MISSING))
        for target, key in self._partition_fields:
            value = stream_slice.get(key, _MISSING) if stream_slice is not None else _MISSING
            if not self.only_when_empty or (not record.get(target) and value not in (_MISSING, None) and _holds(value)):
                record[target] = _as_string_value(value)


@dataclass
class TruncateFractionDigits(RecordTransformation):
    """Cuts the fraction of second of text timestamps to ``digits`` digits.

    Custom-object records carry nanoseconds (``2021-04-16T16:13:12.022671090Z``); Python's datetime,
    and with it the cursor, reads at most microseconds. A field that is not text, or is empty, is
    left as it is.

    Usage::

        transformations:
          - type: CustomTransformation
            class_name: source_activecampaign.records.transformations.TruncateFractionDigits
            fields: [createdTimestamp, updatedTimestamp]
            digits: 6
    """

    fields: list[str]
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    digits: int = 6

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._longer_fraction = re.compile(rf"(\.\d{{{int(self.digits)}}})\d+")

    def transform(
        self,
        record: dict[str, Any],
        config: Config | None = None,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> None:
        for name in self.fields:
            value = record.get(name)
            if type(value) is str and value:
                cut = _as_string_value(self._longer_fraction.sub(r"\1", value))
                if _holds(cut):
                    record[name] = cut
