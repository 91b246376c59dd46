"""`python -m factcheck`, and the `factcheck` command itself.

The command's script imports this small module rather than the CLI: a spawned `--jobs`
worker runs that script's imports again, and needs none of the CLI's.
"""


def main() -> None:
    """Run the command line (`factcheck.cli.app`)."""
    from .cli.app import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
