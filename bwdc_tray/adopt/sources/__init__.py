"""Where discovery looks, one module per mechanism: `cron`, `launchd`, `taskscheduler`,
`desktop_app`; each offers one `discover_*(ctx, ...)` returning Findings."""
