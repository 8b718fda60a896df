"""Command line `assistant`: one module per group of commands, each parsing its arguments and calling the
services of the container (`assistant.container`); none builds an index or a store itself.

    index        ingest, search, figures, thresholds, stats
    answer       ask, eval
    serve        serve
    clauses      clause, clause-types, lint-clause
    users        users add | list | revoke | token | password
    briefs       brief
    verify       verifier
    maintenance  backup, restore, reindex
    state        audit, feedback
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import answer, briefs, clauses, index, maintenance, serve, state, users, verify

app = typer.Typer(help="Alliance Assistant : indexation et recherche dans les documents de l'Alliance.",
                  no_args_is_help=True, add_completion=False)

# Registration order is the order of `assistant --help`.
app.command(name="ingest")(index.ingest)
app.command(name="search")(index.search)
app.command(name="figures")(index.figures)
app.command(name="thresholds")(index.thresholds)
app.command(name="ask")(answer.ask)
app.command(name="eval")(answer.eval_command)
app.command(name="stats")(index.stats)
app.command(name="serve")(serve.serve)
app.command(name="clause")(clauses.clause)
app.command(name="clause-types")(clauses.clause_types)
app.command(name="lint-clause")(clauses.lint_clause)
app.add_typer(users.users_app, name="users")
app.command(name="brief")(briefs.brief)
app.command(name="verifier")(verify.verify)
app.command(name="backup")(maintenance.backup_command)
app.command(name="restore")(maintenance.restore_command)
app.command(name="reindex")(maintenance.reindex_command)
app.command(name="audit")(state.audit)
app.command(name="feedback")(state.feedback)


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="assistant")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
