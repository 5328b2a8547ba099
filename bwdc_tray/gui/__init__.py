"""The tray app: a thin PySide6 layer over the engine (overview, runner, schedules)."""
