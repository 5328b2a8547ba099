"""bwdc-tray: run Bitwarden Directory Connector on a schedule."""

__version__ = "0.1.0"
APP_NAME = "bwdc-tray"
# The macOS app's CFBundleIdentifier; LaunchAgents name it in AssociatedBundleIdentifiers so
# System Settings ▸ Login Items shows them as bwdc-tray's.
BUNDLE_ID = "io.github.bwdc-tray"
