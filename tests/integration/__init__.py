"""Integration tests against real OS facilities (Task Scheduler, launchd, Credential Manager,
Keychain); each module skips, naming the system it needs, everywhere else."""
