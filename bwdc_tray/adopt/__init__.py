"""Adopt existing setups: the hand-made recipe (cron, launchd, Task Scheduler) and the desktop app.

`model` (Finding), `recipe` (reading a job's command line or script), `discover` (finding jobs on
this machine, through `sources`, one module per mechanism, sharing `context`), `apply` (importing
one as an instance, replacing its old job when asked).
"""
