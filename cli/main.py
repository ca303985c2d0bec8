"""`flywheel`: the command line. Each command group lives in its own module and is registered here."""

import typer

from cli import deadletter, demo, importer, scoring, workspaces

app = typer.Typer(name="flywheel", help="Flywheel operator commands.", no_args_is_help=True)
app.add_typer(workspaces.workspace_app, name="workspace")
app.add_typer(workspaces.key_app, name="key")
app.add_typer(importer.app, name="import")
app.add_typer(demo.app, name="demo")
app.add_typer(scoring.app, name="scoring")
app.add_typer(deadletter.app, name="deadletter")
