"""``watchfloor serve`` and ``watchfloor users``: the service face and who may use it."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.output import console, print_json, print_table
from watchfloor.service.app import LOCAL, Watchfloor
from watchfloor.service.users import add_user, disable_user, list_users, parse_role, rotate_key

users_app = typer.Typer(help="Users of the service and their API keys.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    watch: Annotated[
        bool, typer.Option("--watch", help="Also run the watch (jobs, streams) in this process.")
    ] = False,
) -> None:
    """Run the REST API, yente-compatible /match, TAXII 2.1 and the dashboard on the store."""
    # lazy: Uvicorn and the FastAPI app cost seconds to import; every other command skips them
    import uvicorn

    from watchfloor.api.app import create_app

    service = Watchfloor.open()
    app = create_app(service.settings, service)
    runner = None
    if watch:
        # lazy: the watch (feeds, streams, delivery) is imported only with --watch
        from watchfloor.service.watch import Watch
        from watchfloor.watch.log import install

        install()
        runner = Watch(service)
        app.state.watch = runner
        thread = runner.start_background()
    console.print(f"watchfloor serving {service.store.display_url} on http://{host}:{port} (docs at /docs)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        if runner is not None:
            runner.stop()
            thread.join(60)
        service.close()


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name, as the audit log will show it.")],
    role: Annotated[str, typer.Option("--role", help="viewer, analyst or admin.")] = "viewer",
    json_out: JsonOption = False,
) -> None:
    """Create a user and print their API key (shown this once; only its hash is stored)."""
    service = Watchfloor.open()
    given = parse_role(role)
    with service.audited(LOCAL, "users.add", name, {"role": given.value}), service.session() as session:
        user, key = add_user(session, name, given, created_by=service.settings.analyst)
    service.close()
    if json_out:
        print_json({**user.to_dict(), "key": key})
        return
    console.print(f"user {user.name} ({user.role.value}) created. API key, shown once:")
    console.print(key, highlight=False, markup=False)


@users_app.command("list")
def users_list(json_out: JsonOption = False) -> None:
    """List the users, their roles and key prefixes (never the keys)."""
    service = Watchfloor.open()
    with service.session() as session:
        users = list_users(session)
    service.close()
    if json_out:
        print_json([u.to_dict() for u in users])
        return
    print_table(
        f"{len(users)} users",
        ["name", "role", "key starts", "created", "by", "disabled"],
        [
            (u.name, u.role.value, u.key_prefix, f"{u.created_at:%Y-%m-%d}", u.created_by, u.disabled)
            for u in users
        ],
    )


@users_app.command("rotate")
def users_rotate(name: Annotated[str, typer.Argument()], json_out: JsonOption = False) -> None:
    """Give a user a new key; the old one stops working at once."""
    service = Watchfloor.open()
    with service.audited(LOCAL, "users.rotate", name), service.session() as session:
        user, key = rotate_key(session, name)
    service.close()
    if json_out:
        print_json({**user.to_dict(), "key": key})
        return
    console.print(f"new API key for {user.name}, shown once:")
    console.print(key, highlight=False, markup=False)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument()]) -> None:
    """Stop a user's key from working (their audit trail stays)."""
    service = Watchfloor.open()
    with service.audited(LOCAL, "users.disable", name), service.session() as session:
        disable_user(session, name)
    service.close()
    console.print(f"user {name} disabled")
