"""The `lurewatch` command. Heavy modules are imported inside commands so errors stay fast and
`up` can set Prefect's environment before Prefect is imported."""

import sys
from contextlib import contextmanager
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
evidence_app = typer.Typer(help="Stored evidence: bodies and WARC files.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")
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


ActorOpt = Annotated[str | None, typer.Option(
    "--actor", help="Who does this, for the audit log (default: os:<your login>); your OS login is recorded too.")]
PasswordStdinOpt = Annotated[bool, typer.Option(help="Read the password from standard input.")]


def _account_admin():
    """The same account service as the admin pages, on this installation's store and settings."""
    from index.models import utcnow
    from review_ui.account_admin import AccountAdmin
    from review_ui.passwords import Argon2Params, Passwords

    from flows.app_factory import ui_settings
    from flows.wiring import build_parts

    parts = build_parts()
    settings = ui_settings(parts)
    return AccountAdmin(parts.store, Passwords(Argon2Params.from_settings(settings)), settings, utcnow)


def _os_user() -> str:
    import getpass
    import os

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry
        return f"uid:{os.getuid()}"


def _actor(name: str | None):
    """--actor, else "os:<login>"; the OS login goes into the audit detail either way."""
    from index.accounts import Actor

    os_user = _os_user()
    if name is not None and (not name.strip() or len(name) > 200 or any(ord(c) < 32 for c in name)):
        raise LurewatchError("--actor must be 1 to 200 printable characters")
    return Actor(name or f"os:{os_user}", "cli", {"os_user": os_user})


@contextmanager
def _account_errors():
    """Refusals of the account service (and unknown names) become one `error:` line."""
    from review_ui.account_admin import AccountError

    try:
        yield
    except AccountError as exc:
        raise LurewatchError(str(exc)) from exc


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise LurewatchError("no password on standard input")
        return password
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "-"


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "reviewer",
    password_stdin: PasswordStdinOpt = False,
    actor: ActorOpt = None,
) -> None:
    """Add a user; the password is asked twice (or read from stdin) and stored as an argon2 hash."""
    from index.accounts import USERNAME_RULE, valid_username

    if role not in ROLES:
        raise LurewatchError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not valid_username(username):
        raise LurewatchError(f"invalid username {username[:80]!r}: {USERNAME_RULE}")
    who = _actor(actor)
    password = _read_password(password_stdin)
    with _account_errors():
        _account_admin().add_user(who, username, password, role)
    typer.echo(f"user {username!r} added with role {role}")


@users_app.command("list")
def users_list() -> None:
    """Every user: role, active or disabled, second factor, live sessions, login lock."""
    with _account_errors():
        rows = _account_admin().overview()
    for row in rows:
        user = row.user
        typer.echo("\t".join([
            user.username, user.role, "active" if user.active else "disabled",
            f"totp:{'on' if user.totp_enabled else 'off'}", f"sessions:{row.sessions}",
            f"locked-until:{_when(row.locked_until)}",
        ]))


@users_app.command("disable")
def users_disable(username: str, actor: ActorOpt = None) -> None:
    """Disable a user: their sessions end at once and they cannot log in."""
    with _account_errors():
        _account_admin().set_active(_actor(actor), username, False)
    typer.echo(f"user {username!r} disabled; their sessions ended")


@users_app.command("enable")
def users_enable(username: str, actor: ActorOpt = None) -> None:
    """Enable a disabled user again."""
    with _account_errors():
        _account_admin().set_active(_actor(actor), username, True)
    typer.echo(f"user {username!r} enabled")


@users_app.command("set-role")
def users_set_role(username: str, role: str, actor: ActorOpt = None) -> None:
    """Change a user's role (their sessions end: the new role applies from their next login)."""
    with _account_errors():
        _account_admin().set_role(_actor(actor), username, role)
    typer.echo(f"user {username!r} now has role {role}; their sessions ended")


@users_app.command("reset-password")
def users_reset_password(username: str, password_stdin: PasswordStdinOpt = False, actor: ActorOpt = None) -> None:
    """Set a new password (asked twice, or from stdin); all the user's sessions end."""
    who = _actor(actor)
    with _account_errors():
        admin = _account_admin()
        admin.user(username)  # before asking for a password
        ended = admin.reset_password(who, username, _read_password(password_stdin))
    typer.echo(f"password of {username!r} reset; {ended} session(s) ended")


@users_app.command("reset-totp")
def users_reset_totp(username: str, actor: ActorOpt = None) -> None:
    """Remove a user's second factor (a lost phone); all their sessions end."""
    with _account_errors():
        ended = _account_admin().reset_totp(_actor(actor), username)
    typer.echo(f"second factor of {username!r} removed; {ended} session(s) ended")


@users_app.command("sessions")
def users_sessions(username: Annotated[str | None, typer.Argument(help="Only this user's sessions.")] = None) -> None:
    """Live sessions: id, user, role, started, last active (UTC), address, browser."""
    with _account_errors():
        admin = _account_admin()
        if username is not None:
            admin.user(username)
        rows = admin.sessions(username)
    for row in rows:
        typer.echo("\t".join([str(row.id), row.username, row.role, _when(row.created_at),
                              _when(row.last_seen), row.ip or "-", row.user_agent or "-"]))


@users_app.command("revoke")
def users_revoke(
    session_id: Annotated[int | None, typer.Argument(help="A session id from `lurewatch users sessions`.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Revoke every session of this user instead.")] = None,
    actor: ActorOpt = None,
) -> None:
    """End one session (by id) or all sessions of a user (--user)."""
    if (session_id is None) == (user is None):
        raise LurewatchError("give either a session id or --user NAME")
    with _account_errors():
        admin = _account_admin()
        if user is not None:
            ended = admin.revoke_user_sessions(_actor(actor), user)
            typer.echo(f"{ended} session(s) of {user!r} ended")
        else:
            row = admin.revoke_session(_actor(actor), session_id)
            typer.echo(f"session {row.id} of {row.username!r} ended")


@users_app.command("unlock")
def users_unlock(
    username: Annotated[str | None, typer.Argument(help="The account name to unlock.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Unlock a client address instead.")] = None,
    actor: ActorOpt = None,
) -> None:
    """Lift a temporary login lock (and forget the failures) of an account name or an address."""
    if (username is None) == (address is None):
        raise LurewatchError("give either an account name or --address IP")
    with _account_errors():
        admin = _account_admin()
        if address is not None:
            was = admin.unlock_address(_actor(actor), address)
            what = f"address {address}"
        else:
            was = admin.unlock_account(_actor(actor), username)
            what = f"account {username!r}"
    typer.echo(f"{what} unlocked" if was else f"{what} had no failed logins to forget")


KINDS_HELP = "classifieds, telegram, feed, forum or import"


@sources_app.command("add")
def sources_add(
    name: str,
    start_url: Annotated[list[str] | None, typer.Argument(help="Start URL(s); none for --kind import.")] = None,
    kind: Annotated[str, typer.Option(help=f"Source kind: {KINDS_HELP}.")] = "classifieds",
    cron: Annotated[str, typer.Option(help="Crawl schedule (cron, Asia/Ho_Chi_Minh).")] = "0 */6 * * *",
    allowed_domain: Annotated[list[str] | None, typer.Option(help="Domain the crawl may visit (repeat); default: the start URL's registrable domain.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow private, loopback and link-local addresses.")] = False,
    max_pages: Annotated[int, typer.Option(help="Page budget: listing/feed/channel/forum pages followed.")] = 50,
    item_pattern: Annotated[str | None, typer.Option(help="Regex of item URLs (default: inferred per page).")] = None,
    item_selector: Annotated[str | None, typer.Option(help="CSS selector of item links.")] = None,
    delay: Annotated[float, typer.Option(help="Seconds between requests to one domain.")] = 1.0,
    concurrency: Annotated[int, typer.Option(help="Requests at a time per domain.")] = 1,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent header of this source's crawl.")] = None,
    max_text: Annotated[int, typer.Option(help="Longest post text kept (the full page stays in the evidence).")] = 20_000,
    render: Annotated[bool, typer.Option(help="Fetch pages through headless Chromium (JavaScript-built pages).")] = False,
) -> None:
    """Register (or update) a source; a bad definition is refused field by field."""
    from flows import sources

    data = {
        "name": name, "kind": kind, "start_urls": start_url or [], "allow_private": allow_private,
        "max_pages": max_pages, "item_url_pattern": item_pattern, "item_selector": item_selector,
        "max_text_chars": max_text, "render": render, "schedule": None if kind == "import" else cron,
        "politeness": {"delay_seconds": delay, "concurrency": concurrency, "user_agent": user_agent},
    }
    if allowed_domain:
        data["allowed_domains"] = allowed_domain
    definition = sources.validated(data)
    row = sources.save(_store(), definition)
    domains = ", ".join(definition.allowed_domains) or "none: nothing is crawled"
    typer.echo(f"source {definition.name!r} ({definition.kind}) saved as version {row.version} (allowed domains: {domains})")


def _store():
    from flows.wiring import build_parts

    return build_parts().store


def _source_row(name: str):
    row = _store().get_source(name)
    if row is None:
        raise LurewatchError(f"unknown source {name!r}; see `lurewatch sources list`")
    return row


@sources_app.command("list")
def sources_list() -> None:
    """List the sources: name, kind, version, schedule, start URL."""
    for source in _store().list_sources():
        typer.echo(f"{source.name}\t{source.kind}\tv{source.version}\t{source.schedule_cron or '-'}\t{source.start_url or '-'}")


@sources_app.command("show")
def sources_show(
    name: str,
    history: Annotated[bool, typer.Option(help="Every version of the definition, oldest first.")] = False,
) -> None:
    """Print a source's definition as YAML (with --history, every version it had)."""
    import yaml

    from flows import sources

    store = _store()
    if history:
        versions = store.source_history(name)
        if not versions:
            raise LurewatchError(f"unknown source {name!r}; see `lurewatch sources list`")
        for v in versions:
            typer.echo(f"# version {v.version}: {v.action} at {v.created_at.isoformat()}")
            typer.echo(yaml.safe_dump(v.definition, allow_unicode=True, sort_keys=False).rstrip())
        return
    row = _source_row(name)
    typer.echo(f"# version {row.version}, updated {row.updated_at.isoformat()}")
    typer.echo(yaml.safe_dump(sources.stored(row).model_dump(mode="json"), allow_unicode=True, sort_keys=False).rstrip())


@sources_app.command("edit")
def sources_edit(
    name: str,
    set_: Annotated[list[str] | None, typer.Option("--set", help="FIELD=VALUE (YAML value; nested with dots), repeat.")] = None,
    file: Annotated[Path | None, typer.Option(help="Replace the definition with this YAML file's.")] = None,
) -> None:
    """Change a source's definition; it is checked whole and saved as a new version."""
    from flows import sources

    if not set_ and file is None:
        raise LurewatchError("nothing to change: give --set FIELD=VALUE or --file FILE")
    current = sources.stored(_source_row(name))
    if file is not None:
        (definition,) = _read_yaml(file, one=True)
        if definition.name != name:
            raise LurewatchError(f"{file} defines {definition.name!r}, not {name!r}")
        current = definition
    definition = sources.edited(current, set_ or [])
    row = sources.save(_store(), definition)
    typer.echo(f"source {name!r} saved as version {row.version}")


def _read_yaml(file: Path, one: bool = False):
    from flows import sources

    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LurewatchError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
    definitions = sources.from_yaml(text)
    if one and len(definitions) != 1:
        raise LurewatchError(f"{file} holds {len(definitions)} definitions; give one")
    return definitions


@sources_app.command("export")
def sources_export(
    names: Annotated[list[str] | None, typer.Argument(help="Sources to export (default: all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
) -> None:
    """Write source definitions as YAML (what `sources import` reads)."""
    from flows import sources

    store = _store()
    rows = [_source_row(n) for n in names] if names else store.list_sources()
    text = sources.to_yaml([sources.stored(r) for r in rows])
    if out is None:
        typer.echo(text.rstrip())
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as exc:
        raise LurewatchError(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"{len(rows)} source(s) written to {out}")


@sources_app.command("import")
def sources_import(file: Path) -> None:
    """Add or update the sources of a YAML file: all of them, or none if any is invalid."""
    from flows import sources

    definitions = _read_yaml(file)
    store = _store()
    rows = [sources.save(store, d, action="import") for d in definitions]
    typer.echo(f"{len(rows)} source(s) imported: " + ", ".join(f"{r.name} v{r.version}" for r in rows))


@sources_app.command("remove")
def sources_remove(name: str) -> None:
    """Remove a source (its posts and evidence stay; its definitions stay in the history)."""
    from flows import sources

    sources.remove(_store(), name)
    typer.echo(f"source {name!r} removed")


@app.command("import")
def import_posts(
    file: Annotated[Path, typer.Argument(help="JSON Lines export: url, text, author, posted_at, title, html, attachments.")],
    source: Annotated[str, typer.Option(help="An import source (`sources add NAME --kind import`).")],
    strict: Annotated[bool, typer.Option(help="Import nothing when any line is bad.")] = False,
) -> None:
    """Import posts exported from platforms that cannot be crawled (one transaction)."""
    from flows.importer import bad_lines_message, import_file
    from flows.wiring import build_parts

    summary = import_file(build_parts(), file, source, strict=strict)
    typer.echo(summary.line(file))
    if summary.bad:
        raise LurewatchError(bad_lines_message(summary.bad))


@evidence_app.command("verify")
def evidence_verify(
    source: Annotated[str | None, typer.Option(help="Only this source's WARC files and post bodies.")] = None,
) -> None:
    """Re-hash the stored bodies and WARC records; name every file that no longer matches."""
    from crawlers.verify import verify
    from flows.wiring import build_parts

    parts = build_parts()
    bodies = None
    if source is not None:
        bodies = parts.store.raw_hashes(source)
        if parts.store.get_source(source) is None and not bodies:
            raise LurewatchError(f"unknown source {source!r}; see `lurewatch sources list`")
    report = verify(parts.settings.evidence_dir, source=source, bodies=bodies)
    for problem in report.problems:
        typer.echo(problem)
    counted = f"{report.bodies} bodies, {report.warc_files} WARC files ({report.warc_records} records)"
    if not report.ok:
        raise LurewatchError(f"{len(report.problems)} evidence file(s) no longer match, of {counted}")
    typer.echo(f"verified {counted}: all match")


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
def parse(
    file: Annotated[Path, typer.Argument(help="A saved page (HTML, as the server sent it).")],
    url: Annotated[str, typer.Option(help="The page's address (for links, the site and its dates).")],
    source: Annotated[str | None, typer.Option(help="Use this stored source's selectors and item pattern.")] = None,
    fetched_at: Annotated[str | None, typer.Option(help="When the page was fetched (ISO 8601); default now. Relative dates count from it.")] = None,
    role: Annotated[str, typer.Option(help="auto, listing or detail.")] = "auto",
    kind: Annotated[str, typer.Option(help="auto (from the URL and the content), classifieds, telegram, feed or forum.")] = "auto",
) -> None:
    """Parse one saved page (or feed) the way the crawl would and print one JSON object."""
    import json
    from datetime import datetime, timezone

    from crawlers.parsers.kinds import PAGE_KINDS, parse_any
    from crawlers.parsers.page import PageRules
    from crawlers.parsers.telegram import NotAChannel
    from crawlers.source import check_http_url

    if role not in ("auto", "listing", "detail"):
        raise LurewatchError(f"unknown role {role!r}; choose auto, listing or detail")
    if kind not in PAGE_KINDS:
        raise LurewatchError(f"unknown kind {kind!r}; choose {', '.join(PAGE_KINDS)}")
    try:
        check_http_url(url)
    except ValueError as exc:
        raise LurewatchError(f"--url {url!r}: {exc}") from exc
    try:
        when = datetime.fromisoformat(fetched_at) if fetched_at else datetime.now(timezone.utc)
    except ValueError as exc:
        raise LurewatchError(f"--fetched-at {fetched_at!r} is not an ISO 8601 time") from exc
    try:
        body = file.read_bytes()
    except OSError as exc:
        raise LurewatchError(f"cannot read {file}: {exc.strerror or exc}") from exc
    rules = PageRules()
    if source is not None:
        from flows.crawl import definition_for
        from flows.wiring import build_parts

        row = build_parts().store.get_source(source)
        if row is None:
            raise LurewatchError(f"unknown source {source!r}; add it with `lurewatch sources add`")
        stored = definition_for(row.name, row.start_url, row.definition)
        rules = stored.page_rules()
        if kind == "auto" and stored.kind in PAGE_KINDS:
            kind = stored.kind
    try:
        result = parse_any(url, body, fetched_at=when if when.tzinfo else when.replace(tzinfo=timezone.utc),
                           kind=kind, role=role, rules=rules)
    except (NotAChannel, ValueError) as exc:
        raise LurewatchError(str(exc)) from exc
    typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))


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
