"""RECORD messages written as lines straight from their data, in batches.

The CDK's entrypoint turns each message into a line with serpyco (a walk of the message and of the
record's data), then ``orjson``, then decodes it to a string that is printed with its newline through
the print buffer's lock: for a record, several times the cost of serialising its data. A RECORD
line is always the same frame around the data, so the frame is written once per stream and the data
with one ``orjson.dumps``; lines go out a batch at a time, and every other message (state, log,
trace, stream status) only after the records before it.
"""

from collections.abc import Callable

import orjson
from airbyte_cdk.models import AirbyteMessage, Type

# A batch is written once it holds this many lines (a page is about 100 to 700 records).
BATCH_LINES = 256


class RecordLines:
    """Turns RECORD messages into lines and writes them, ``BATCH_LINES`` at a time, with ``write``.

    A line is exactly what the CDK prints for the message: ``{"type":"RECORD","record":{"stream":
    <name>,"data":<data>,"emitted_at":<ms>}}`` (the CDK leaves out fields that are None, of the
    message and of the data's top level, and the others are these three in this order). A record
    with a namespace, meta or file reference, or whose data ``orjson`` cannot write as it is, is not
    taken (``add`` returns False): the caller writes it the CDK's way, after ``flush``.
    """

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._write = write
        self._batch: list[bytes] = []
        self._frames: dict[str, bytes] = {}

    def add(self, message: AirbyteMessage) -> bool:
        record = message.record
        if (
            message.type != Type.RECORD
            or record is None
            or record.namespace is not None
            or record.meta is not None
            or record.file_reference is not None
            or type(record.emitted_at) is not int
        ):
            return False
        frame = self._frames.get(record.stream)
        if frame is None:
            frame = self._frames[record.stream] = b'{"type":"RECORD","record":{"stream":' + orjson.dumps(record.stream)
        values = record.data
        if None in values.values():
            # The CDK's serializer leaves out the top-level fields that are null (and only those).
            values = {key: value for key, value in values.items() if value is not None}
        try:
            data = orjson.dumps(values)
        except orjson.JSONEncodeError:
            return False
        self._batch.append(b'%s,"data":%s,"emitted_at":%d}}\n' % (frame, data, record.emitted_at))
        if len(self._batch) >= BATCH_LINES:
            self.flush()
        return True

    def flush(self) -> None:
        if self._batch:
            lines = b"".join(self._batch)
            self._batch.clear()
            self._write(lines)
