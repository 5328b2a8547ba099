"""Tests of bwdc_tray.demo."""
