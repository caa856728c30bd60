"""Microsoft Teams adapter on the Microsoft 365 Agents SDK (microsoft-agents-hosting-core).

Modules: activity (convert), agent (turn handler), auth (JWT in, tokens out), hosting (Starlette
route for POST /api/messages, mounted by bot.bootstrap), sender (proactive sends for the
scheduler's outbox), package (the Teams app zip).
"""
