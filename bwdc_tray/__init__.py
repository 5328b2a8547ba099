"""bwdc-tray: run Bitwarden Directory Connector on a schedule."""

__version__ = "0.1.0"
APP_NAME = "bwdc-tray"
