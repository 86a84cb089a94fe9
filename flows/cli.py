"""The `lurewatch` command. Heavy modules are imported inside commands so errors stay fast and
`up` can set Prefect's environment before Prefect is imported."""

import sys
from pathlib import Path
from typing import Annotated

import typer

try:  # typer >= 0.20 vendors its own click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer
    from click import exceptions as click_errors

from classifier.cli import classifier_app
from classifier.errors import ClassifierError

from flows.errors import LurewatchError

app = typer.Typer(help="lurewatch: find Vietnamese recruitment lures in public posts.", no_args_is_help=True)
users_app = typer.Typer(help="Manage review UI users.", no_args_is_help=True)
sources_app = typer.Typer(help="Manage crawl sources.", no_args_is_help=True)
reviews_app = typer.Typer(help="Reviewers' decisions.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(sources_app, name="sources")
app.add_typer(reviews_app, name="reviews")
app.add_typer(classifier_app, name="classifier", help="Train, evaluate and explain the lure classifier.")

ROLES = ("admin", "reviewer", "investigator", "operator")


def _settings():
    from flows.settings import get_flow_settings

    return get_flow_settings()


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Serve and crawl the bundled demo job board.")] = True,
) -> None:
    """Start the local stack (Prefect server, review UI, schedules) and run the crawl once."""
    from flows.stack import run_stack

    try:
        run_stack(_settings(), with_demo=demo, echo=lambda line: typer.echo(line))
    except KeyboardInterrupt:
        typer.echo("stopped")


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "reviewer",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Add a user; the password is asked twice (or read from stdin) and stored as an argon2 hash."""
    if role not in ROLES:
        raise LurewatchError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    from review_ui.passwords import hash_password

    from flows.wiring import build_parts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise LurewatchError("the password must have at least 8 characters")
    try:
        build_parts().store.add_user(username, hash_password(password), role)
    except ValueError as exc:
        raise LurewatchError(str(exc)) from exc
    typer.echo(f"user {username!r} added with role {role}")


@sources_app.command("add")
def sources_add(
    name: str,
    start_url: str,
    cron: Annotated[str, typer.Option(help="Crawl schedule (cron, Asia/Ho_Chi_Minh).")] = "0 */6 * * *",
) -> None:
    """Register (or update) a classifieds/job-board source."""
    if not start_url.startswith(("http://", "https://")):
        raise LurewatchError(f"the start URL must be http(s): {start_url!r}")
    from flows.wiring import build_parts

    build_parts().store.upsert_source(name, "classifieds", start_url, schedule_cron=cron)
    typer.echo(f"source {name!r} saved")


@sources_app.command("list")
def sources_list() -> None:
    """List the sources and their schedules."""
    from flows.wiring import build_parts

    for source in build_parts().store.list_sources():
        typer.echo(f"{source.name}\t{source.schedule_cron or '-'}\t{source.start_url}")


@app.command()
def reindex() -> None:
    """Rebuild the search index from the store into a new index and switch to it (no downtime)."""
    from flows.reindex import rebuild_index
    from flows.wiring import build_parts

    parts = build_parts()
    name, count = rebuild_index(parts.store, parts.search, echo=typer.echo)
    typer.echo(f"reindexed {count} post(s) into {name}")


@reviews_app.command("export")
def reviews_export(out: Path) -> None:
    """Write every post's final lure / not-a-lure decision as JSONL for `lurewatch classifier train`."""
    from flows.exports import write_labels
    from flows.wiring import build_parts

    count = write_labels(build_parts().store.review_labels(), out)
    typer.echo(f"{count} labelled post(s) written to {out}")


@app.command()
def crawl(source: str) -> None:
    """Crawl one source now and ingest what it yields (prints the run summary)."""
    from flows.crawl import CrawlError
    from flows.pipeline import crawl_and_ingest

    try:
        crawl_and_ingest(source)
    except (CrawlError, ValueError) as exc:
        raise LurewatchError(str(exc)) from exc


@app.command()
def search(query: str, limit: Annotated[int, typer.Option(min=1, max=200)] = 20) -> None:
    """Search the index without accents ("luong cao" finds "lương cao"); filters like phone:0912345678."""
    from index.search.query import QueryError

    from flows.wiring import build_parts

    try:
        page = build_parts().search.search(query, limit=limit)
    except QueryError as exc:
        raise LurewatchError(f"bad query: {exc}") from exc
    typer.echo(f"{page.total} match(es)")
    for hit in page.hits:
        snippet = "".join(f"[{text}]" if marked else text for text, marked in hit.text)
        typer.echo(f"#{hit.post_id}\t{hit.score:.2f}\t{snippet}")


def main(argv: list[str] | None = None) -> int:
    """One line on stderr and a non-zero exit for every error a user can cause."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="lurewatch", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help())
        return 0
    except click_errors.UsageError as exc:
        typer.echo(f"error: {exc.format_message()} (see `lurewatch --help`)", err=True)
        return 2
    except click_errors.ClickException as exc:
        typer.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except (LurewatchError, ClassifierError) as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
