"""The frozen programs' entry point: bwdc-tray, bwdc-tray-gui and bwdc-tray-runner all start here
(bwdc_tray.bundle picks the role from the program's name)."""

from bwdc_tray.bundle import main

main()
