"""Benchmarks of bwdc-tray against running bwdc by hand: `python -m bench` (see bench/README.md)."""
