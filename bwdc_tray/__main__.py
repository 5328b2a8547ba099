"""`python -m bwdc_tray`: the CLI, as every OS job starts it (schedule.jobs.runner_command)."""

import atexit
import contextlib
import os
import sys

from bwdc_tray.cli import _command_word, main

code = main()
if _command_word(sys.argv[1:]) == "run":
    # A scheduled run ends here: skip tearing the interpreter down. Unloading the ~300 modules
    # a run imports (keyring's dependencies, mostly) takes ~20 ms, a sixth of bwdc-tray's own
    # time per run. Everything the run wrote is closed by now (log, status, lock, holder);
    # what a normal exit still does is done here: flush stdout and stderr, run atexit handlers.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
sys.exit(code)
