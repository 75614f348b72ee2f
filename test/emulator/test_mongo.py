"""Mongo sort order and matching (docs/planhat-api.md §2.3; README readings)."""

import unittest

from emutest import EmulatorCase  # noqa: F401  (sets sys.path)
from mongo import MISSING, sort_key, value_matches


class SortKeyTest(unittest.TestCase):
    def order(self, values):
        return sorted(values, key=sort_key)

    def test_type_order(self):
        values = [True, [1], {"a": 1}, "a", 1.5, None, False, 0, MISSING]
        got = self.order(values)
        self.assertEqual(got[:2], [None, MISSING])          # stable: null before missing as given
        self.assertEqual(got[2:], [0, 1.5, "a", {"a": 1}, [1], False, True])

    def test_missing_equals_null(self):
        self.assertEqual(sort_key(None), sort_key(MISSING))

    def test_numbers_mixed_int_float(self):
        self.assertEqual(self.order([3, 2.5, -1, 10, 2]), [-1, 2, 2.5, 3, 10])

    def test_strings_by_code_point(self):
        words = ["b", "a", "B", "A", "é", "e", "Z", "z", "東京", "😀", "Ä", "10", "9"]
        self.assertEqual(self.order(words), sorted(words, key=lambda s: [ord(c) for c in s]))
        self.assertEqual(self.order(["a", "B"]), ["B", "a"])     # upper case first
        self.assertEqual(self.order(["é", "f"]), ["f", "é"])     # no collation

    def test_booleans_after_everything(self):
        self.assertEqual(self.order([True, "z", False, 99]), [99, "z", False, True])

    def test_objects_and_arrays(self):
        self.assertLess(sort_key({"a": 1}), sort_key({"a": 2}))
        self.assertLess(sort_key({"a": 1}), sort_key({"b": 0}))
        self.assertLess(sort_key({"a": 5}), sort_key([0]))
        self.assertLess(sort_key([1, 2]), sort_key([1, 3]))
        self.assertLess(sort_key([1]), sort_key([1, 0]))


class MatchTest(unittest.TestCase):
    def test_scalars(self):
        self.assertTrue(value_matches("a", "a"))
        self.assertFalse(value_matches("a", "b"))
        self.assertFalse(value_matches(MISSING, "a"))
        self.assertFalse(value_matches(1, "1"))

    def test_arrays(self):
        self.assertTrue(value_matches(["x", "y"], "y"))
        self.assertTrue(value_matches([{"id": "y", "name": "n"}], "y"))
        self.assertTrue(value_matches([{"_id": "y"}], "y"))
        self.assertFalse(value_matches([], "y"))


if __name__ == "__main__":
    unittest.main()
