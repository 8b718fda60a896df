"""`python -m assistant.cli`, as the `assistant` command."""

from assistant.cli import main

main()
