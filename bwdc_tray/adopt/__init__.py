"""Adopt existing setups: the hand-made recipe (cron, launchd, Task Scheduler) and the desktop app.

`model` (Finding), `recipe` (reading a job's command line or script: what it finds is in `calls`,
the reading in `walker`, with `shell_sh` and `shell_windows` for each dialect's commands on a
shared `reader_base`, and `shell_lexer` and `shell_expand` for their words), `discover` (finding
jobs on this machine, through `sources`, one module per mechanism, sharing `context`), `apply`
(importing one as an instance, replacing its old job when asked).
"""
