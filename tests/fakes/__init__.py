"""Test doubles for external services that run as real servers on loopback."""
