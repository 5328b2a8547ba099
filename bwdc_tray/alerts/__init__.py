"""Alerts beyond the tray: webhooks, health-check pings, the system log and metrics.

model.py holds the shared types (the run event, the settings, a delivery); each channel is one
module (webhook, healthcheck, system_log, metrics); settings.py stores them (URLs in the
keyring); dispatch.py decides which fire after a run and bounds the time they take.
"""
