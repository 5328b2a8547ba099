"""Test doubles: a fake bwdc, a file-backed keyring, readers for the bwdc captures."""
