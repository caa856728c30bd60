"""Pure domain rules: no storage, no platform. Each rule cites the seed it comes from."""
