"""MongoDB-like value semantics: sort order, equality matching, projection.

Planhat is backed by MongoDB (docs/planhat-api.md §2.3), so list sorting follows
Mongo's BSON comparison order for the JSON types that can occur:

    missing = null < numbers < strings < objects < arrays < booleans

Numbers compare numerically (ints and doubles mixed), strings by Unicode code
point (Mongo compares UTF-8 bytes, which is the same order), booleans
false < true.  Objects compare field by field (value type, then name, then
value), arrays element by element.  Unlike MongoDB, an array is compared as a
whole value and not by its smallest/largest element (README, readings).
"""

MISSING = object()

_NULL, _NUMBER, _STRING, _OBJECT, _ARRAY, _BOOL = range(6)


def sort_key(value):
    """A Python-comparable key giving Mongo's order for a JSON value."""
    if value is None or value is MISSING:
        return (_NULL,)
    if value is True or value is False:
        return (_BOOL, value)
    t = type(value)
    if t is int or t is float:
        return (_NUMBER, value)
    if t is str:
        return (_STRING, value)
    if t is dict:
        return (_OBJECT, tuple((sort_key(v)[0], k, sort_key(v)) for k, v in value.items()))
    if t is list:
        return (_ARRAY, tuple(sort_key(v) for v in value))
    return (_STRING, str(value))


def value_matches(stored, wanted):
    """Mongo equality: the stored value equals 'wanted', or is an array
    containing it.  Array elements that are objects match on their "id" or
    "_id" (how Planhat embeds references, e.g. endusers: [{id, name}])."""
    if stored is MISSING:
        return False
    if type(stored) is list:
        for el in stored:
            if el == wanted and type(el) is type(wanted):
                return True
            if type(el) is dict and (el.get("id") == wanted or el.get("_id") == wanted):
                return True
        return False
    return stored == wanted and type(stored) is type(wanted)
