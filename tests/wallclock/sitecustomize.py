"""Moves the wall clock of every Python process started with this folder on PYTHONPATH.

Two variables say where the clock stands:
- BROKER_BOT_WALL_CLOCK, an ISO 8601 moment (e.g. 2027-12-24T08:30:00+00:00), set by
  `make test-any-day`: the first process to see it starts there and turns it into
- BROKER_BOT_WALL_CLOCK_SHIFT, seconds to add to the real clock, which every process it starts
  inherits. A shift, not a moment, so a server started ten minutes into a test run agrees with the
  test that started it (signed requests carry timestamps that both sides check).

The clock keeps ticking; monotonic clocks and timed waits stay real (time-machine leaves them
alone), so socket and scheduler waits behave as they do in production. tests/conftest.py sets the
shift for the suite's own fixed clock.
"""

import os
from datetime import datetime

_moment = os.environ.pop("BROKER_BOT_WALL_CLOCK", "")
if _moment:
    import time

    os.environ["BROKER_BOT_WALL_CLOCK_SHIFT"] = str(datetime.fromisoformat(_moment).timestamp() - time.time())

_shift = os.environ.get("BROKER_BOT_WALL_CLOCK_SHIFT", "")
if _shift:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_shift), tick=True).start()
