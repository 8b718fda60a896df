"""`assistant users add|list|revoke|token|password`: accounts of the web app and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.table import Table

from assistant.auth.roles import ROLES
from assistant.services.users import UserError, UserStore, check_name, check_role
from assistant.cli.common import console, container, fail

T = TypeVar("T")
users_app = typer.Typer(help="Comptes : jetons d'API et mots de passe de connexion web.", no_args_is_help=True)


def _with_store(action: Callable[[UserStore], T]) -> T:
    """Run `action` on the data dir's account store; a UserError becomes a French error (exit code 2)."""
    services = container()
    store = services.users
    try:
        return action(store)
    except UserError as exc:
        fail(str(exc), 2)
    finally:
        services.close()


def _ask_password() -> str:
    return typer.prompt("Mot de passe (connexion web)", hide_input=True, confirmation_prompt="Confirmez le mot de passe")


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="Nom d'utilisateur (lettres, chiffres, . _ - @)."),
    role: str = typer.Option("member", "--role", help=f"Rôle : {', '.join(ROLES)}."),
    password: bool = typer.Option(False, "--password", help="Demander un mot de passe pour la connexion web "
                                                            "(saisie masquée)."),
) -> None:
    """Créer un compte ; son jeton d'API est affiché une seule fois."""
    try:  # a bad name or role is reported before asking for a password
        check_name(name), check_role(role)
    except UserError as exc:
        fail(str(exc), 2)
    secret = _ask_password() if password else None
    user, token = _with_store(lambda store: store.add(name, role, password=secret))
    console.print(f"Compte « {user.name} » créé (rôle : {user.role_label}).", highlight=False)
    console.print("Jeton d'API (affiché une seule fois, conservez-le) :")
    print(token)  # plain print: no wrapping or markup, so that it can be copied or piped


@users_app.command("list")
def list_users(json_output: bool = typer.Option(False, "--json", help="Sortie JSON.")) -> None:
    """Lister les comptes (jamais les jetons ni les mots de passe)."""
    users = _with_store(lambda store: store.list())
    if json_output:
        print(json.dumps([{"name": u.name, "role": u.role, "created_at": u.created_at, "revoked_at": u.revoked_at,
                           "web_login": u.has_password, "active_tokens": u.active_tokens} for u in users],
                         ensure_ascii=False, indent=2))
        return
    if not users:
        console.print("Aucun compte. Créez-en un : assistant users add NOM --role member")
        return
    table = Table(title="Comptes")
    for column in ("Nom", "Rôle", "Créé le", "Connexion web", "Jetons actifs", "État"):
        table.add_column(column)
    for u in users:
        state = f"[red]révoqué le {u.revoked_at[:10]}[/]" if u.revoked_at else "[green]actif[/]"
        table.add_row(u.name, u.role_label, u.created_at[:10], "oui" if u.has_password else "non",
                      str(u.active_tokens), state)
    console.print(table)


@users_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="Nom d'utilisateur.")) -> None:
    """Révoquer un compte : ses jetons et ses sessions cessent aussitôt de fonctionner."""
    user = _with_store(lambda store: store.revoke(name))
    console.print(f"Compte « {user.name} » révoqué : ses jetons et ses sessions ne sont plus acceptés.", highlight=False)


@users_app.command("token")
def token(name: str = typer.Argument(..., help="Nom d'utilisateur.")) -> None:
    """Délivrer un jeton d'API supplémentaire (affiché une seule fois)."""
    secret = _with_store(lambda store: store.new_token(name))
    console.print(f"Nouveau jeton pour « {name} » (affiché une seule fois) :", highlight=False)
    print(secret)


@users_app.command("password")
def password(name: str = typer.Argument(..., help="Nom d'utilisateur.")) -> None:
    """Définir ou changer le mot de passe de connexion web (les sessions ouvertes sont fermées)."""
    secret = _ask_password()
    _with_store(lambda store: store.set_password(name, secret))
    console.print(f"Mot de passe de « {name} » enregistré.", highlight=False)
