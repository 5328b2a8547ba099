from bwdc_tray.cli import run

run()
