"""`python -m bwdc_tray`: the CLI, as every OS job starts it (schedule.jobs.runner_command)."""

from bwdc_tray.cli import run_program

run_program()
