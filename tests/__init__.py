import pytest

# the sentence-case checks live in a helper module: rewrite its asserts as pytest does a test's
pytest.register_assert_rewrite("tests.coding_helpers")
