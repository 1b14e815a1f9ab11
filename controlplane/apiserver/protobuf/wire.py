"""Protocol Buffers' wire format: a message as (field number, wire type, value) triples.

https://protobuf.dev/programming-guides/encoding/ : a varint key `number << 3 | wire type`,
then a varint (0), 8 little-endian bytes (1), a length-prefixed run of bytes (2) or 4 bytes
(5). Groups (3, 4) are not used by Kubernetes' generated.proto files and are refused.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5


class WireError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    """The unsigned varint at `at`, and where the next field starts."""
    value = shift = 0
    while True:
        if at >= len(data):
            raise WireError("unexpected EOF")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift >= 70:
            raise WireError("integer overflow")


def signed(value: int) -> int:
    """int32 and int64 are sent as two's complement 64-bit varints."""
    return value - (1 << 64) if value >= 1 << 63 else value


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Each field of a message, in wire order; WireError on malformed input."""
    at = 0
    while at < len(data):
        key, at = read_varint(data, at)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise WireError("illegal tag 0")
        value: int | bytes
        if wire_type == VARINT:
            value, at = read_varint(data, at)
        elif wire_type == FIXED64:
            value, at = data[at : at + 8], at + 8
        elif wire_type == FIXED32:
            value, at = data[at : at + 4], at + 4
        elif wire_type == LENGTH_DELIMITED:
            length, at = read_varint(data, at)
            value, at = data[at : at + length], at + length
        else:
            raise WireError(f"illegal wireType {wire_type} for field {number}")
        if at > len(data):
            raise WireError("unexpected EOF")
        yield number, wire_type, value


def packed_varints(data: bytes) -> Iterator[int]:
    """The values of a packed repeated scalar field."""
    at = 0
    while at < len(data):
        value, at = read_varint(data, at)
        yield value


def double(value: bytes) -> float:
    result: float = struct.unpack("<d", value)[0]
    return result


def varint(value: int) -> bytes:
    """An unsigned varint; a negative int64 as its two's complement, in ten bytes."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if not value:
            out.append(low)
            return bytes(out)
        out.append(low | 0x80)


def field(number: int, value: bytes | str | bool | int | float) -> bytes:
    """One field: bytes and strings length-delimited, bools and ints as varints, floats as
    doubles."""
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return varint(number << 3 | LENGTH_DELIMITED) + varint(len(value)) + value
    if isinstance(value, float):
        return varint(number << 3 | FIXED64) + struct.pack("<d", value)
    return varint(number << 3 | VARINT) + varint(int(value))
