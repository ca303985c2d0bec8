"""The `flywheel` command line: workspaces and API keys, imports."""
