"""The platform-neutral core: incoming messages in, neutral replies out. No platform SDKs here."""
