"""JSON the way Planhat's Node.js backend reads and writes it.

- Output is compact UTF-8 with non-ASCII characters literal (JSON.stringify).
- A JavaScript number has no int/float distinction: 100.0 is written "100".
  Integral floats are therefore turned into ints when a request is parsed and
  when the generator computes a value (num()).
- NaN and Infinity are not JSON: requests containing them are rejected.
"""

import json

_SAFE = 2 ** 53


def num(x):
    """A float that JavaScript would print without a fraction -> int."""
    if type(x) is float and x.is_integer() and -_SAFE < x < _SAFE:
        return int(x)
    return x


def _parse_float(s):
    return num(float(s))


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % name)


def loads(raw):
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8")
    return json.loads(raw, parse_float=_parse_float, parse_constant=_reject_constant)


_UTF8 = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def dump_bytes(value):
    try:
        return _UTF8.encode(value).encode("utf-8")
    except UnicodeEncodeError:          # lone surrogates: escape them (as JSON.stringify does)
        return _ASCII.encode(value).encode("ascii")


def canonical(value):
    """Sorted keys, compact, UTF-8 text: phctl's deterministic output."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
