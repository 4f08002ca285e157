"""Real servers for the tests, started on loopback (no mocks)."""
