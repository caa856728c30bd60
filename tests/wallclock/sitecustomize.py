"""Moves the wall clock of every Python process started with this folder on PYTHONPATH.

The test suite (tests/conftest.py) and `.ci/run` set BROKER_BOT_WALL_CLOCK (an ISO 8601 moment,
e.g. 2027-12-24T08:30:00+00:00) and put this folder on PYTHONPATH, so the test runner and every
server or CLI process it starts believe it is that moment. The clock keeps ticking from there;
monotonic clocks and timed waits stay real (time-machine leaves them alone), so socket and
scheduler waits behave as they do in production.
This proves the suite passes whatever day CI happens to run on.
"""

import os

_moment = os.environ.get("BROKER_BOT_WALL_CLOCK")
if _moment:
    import time_machine

    time_machine.travel(_moment, tick=True).start()
