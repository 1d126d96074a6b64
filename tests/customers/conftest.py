from tests.customers.fixtures import *  # noqa: F403  (alpha's team, shared with tests/academy)
