"""The scheduler: digests and deadline reminders that are never lost and never doubled.

    APScheduler cron job -> jobs.decide(services, now)       (pure: what is due at `now`)
                         -> services.scheduling.outbox        (insert-if-absent, one transaction)
    interval job         -> delivery.Deliverer.deliver(now)   (claim, send, mark sent; retries)

`python -m bot tick` runs one pass of both and exits.
"""
