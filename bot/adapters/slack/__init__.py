"""The Slack adapter: a Bolt app whose listeners turn Slack payloads into Messages for the router
and render Replies as Block Kit. `client.make_web_client` and `blocks.message_payload` are shared
with the scheduler, which posts to Slack outside a request."""
