"""Schedules: a restricted cron grammar, presets, next runs, and the OS job backends."""
