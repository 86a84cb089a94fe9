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
watchlist_app = typer.Typer(help="Phones, Zalo, Telegram, bank accounts and e-wallets to alert on.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts told (webhook, e-mail).", no_args_is_help=True)
evidence_app = typer.Typer(help="Stored evidence: bodies and WARC files.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")
app.add_typer(users_app, name="users")
app.add_typer(sources_app, name="sources")
app.add_typer(reviews_app, name="reviews")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(alerts_app, name="alerts")
app.add_typer(classifier_app, name="classifier", help="Train, evaluate and explain the lure classifier.")

ROLES = ("admin", "reviewer", "investigator", "operator")


# Commands whose console output is the point: their Prefect and library logs stay on.
LOUD_COMMANDS = ("up", "worker")
# Third-party loggers that print warnings (with tracebacks) for a search engine that is down.
QUIET_LOGGERS = ("elastic_transport", "elasticsearch", "opensearch", "urllib3", "httpx", "httpcore", "asyncio")


def _settings():
    from flows.settings import get_flow_settings

    from pydantic import ValidationError

    from flows.settings import settings_problems

    try:
        return get_flow_settings()
    except ValidationError as exc:  # a LUREWATCH_* variable that is not what it should be
        raise LurewatchError(f"bad setting: {settings_problems(exc)}") from None


def quiet_logs() -> None:
    """Library logs off the terminal (Prefect still ships flow-run logs to its server)."""
    import logging
    import os

    logging.getLogger().addHandler(logging.NullHandler())  # no "last resort" printing to stderr
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    for handler in ("CONSOLE", "DEBUG"):
        os.environ.setdefault(f"PREFECT_LOGGING_HANDLERS_{handler}_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_INTERNAL_LEVEL", "CRITICAL")


def use_local_prefect(settings) -> None:
    """Before prefect is imported: flows run from the CLI report to the running stack's server
    (so they show in its UI), else to a temporary local one, offline either way."""
    import os

    from flows.deployments import prefect_env, prefect_reachable

    env = prefect_env(settings)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    if "PREFECT_API_URL" not in os.environ and prefect_reachable(settings.api_url, timeout=1):
        os.environ.update(PREFECT_API_URL=env["PREFECT_API_URL"], PREFECT_HOME=env["PREFECT_HOME"])


@app.callback()
def options(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show library and Prefect logs.")] = False,
) -> None:
    if verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    elif ctx.invoked_subcommand not in LOUD_COMMANDS:
        quiet_logs()


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
    cron: Annotated[str, typer.Option(help="Crawl schedule: cron in Asia/Ho_Chi_Minh ('0 */6 * * *') or an interval ('15m', '2h').")] = "0 */6 * * *",
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
    row, deployment = sources.save(_parts(), definition)
    domains = ", ".join(definition.allowed_domains) or "none: nothing is crawled"
    typer.echo(f"source {definition.name!r} ({definition.kind}) saved as version {row.version} (allowed domains: {domains}); "
               f"{deployment}")


def _parts():
    """Parts for a command that changes sources: Prefect pointed at the running stack, if any."""
    from flows.wiring import build_parts

    settings = _settings()
    use_local_prefect(settings)
    return build_parts(settings)


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
        schedule = (source.schedule_cron or "-") + (" (paused)" if source.paused else "")
        typer.echo(f"{source.name}\t{source.kind}\tv{source.version}\t{schedule}\t{source.start_url or '-'}")


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
    row, deployment = sources.save(_parts(), definition)
    typer.echo(f"source {name!r} saved as version {row.version}; {deployment}")


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
    parts = _parts()
    saved = [sources.save(parts, d, action="import") for d in definitions]
    typer.echo(f"{len(saved)} source(s) imported: " + ", ".join(f"{r.name} v{r.version}" for r, _ in saved)
               + f"; {saved[-1][1]}")


@sources_app.command("remove")
def sources_remove(name: str) -> None:
    """Remove a source and its deployment (its posts and evidence stay; its definitions stay in the history)."""
    from flows import sources

    typer.echo(f"source {name!r} removed; {sources.remove(_parts(), name)}")


def _source_action(action: str, name: str) -> None:
    from flows import source_actions

    typer.echo(getattr(source_actions, action)(_parts(), name))


@sources_app.command("pause")
def sources_pause(name: str) -> None:
    """Stop scheduling a source (at once, and after a restart too)."""
    _source_action("pause_source", name)


@sources_app.command("resume")
def sources_resume(name: str) -> None:
    """Schedule a paused source again."""
    _source_action("resume_source", name)


@sources_app.command("run")
def sources_run(name: str) -> None:
    """Queue a run of the source for a worker now (the stack must be up)."""
    _source_action("run_source_now", name)


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

    if out.is_dir():
        raise LurewatchError(f"{out} is a folder: give a file name, e.g. {out / 'reviews.jsonl'}")
    try:
        count = write_labels(build_parts(_settings()).store.review_labels(), out)
    except OSError as exc:
        raise LurewatchError(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"{count} labelled post(s) written to {out}")


@app.command()
def crawl(source: str) -> None:
    """Crawl one source now, here, and ingest what it yields (prints the run summary)."""
    settings = _settings()
    from flows.wiring import build_parts

    if build_parts(settings).store.get_source(source) is None:
        raise LurewatchError(f"unknown source {source!r}; see `lurewatch sources list`")
    use_local_prefect(settings)
    from index.runs import RunOverlap

    from flows.crawl import CrawlError
    from flows.pipeline import crawl_and_ingest

    try:
        summary = crawl_and_ingest(source, retry=False)
    except (CrawlError, RunOverlap, ValueError) as exc:
        raise LurewatchError(str(exc)) from None
    except Exception as exc:  # recorded on the run as failed with the same words
        raise LurewatchError(f"the run failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}") from None
    typer.echo(summary.line())


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
    from index.search.base import SearchUnavailable
    from index.search.query import QueryError

    from flows.wiring import build_parts

    parts = build_parts(_settings())
    try:
        page = parts.search.search(query, limit=limit)
    except QueryError as exc:
        raise LurewatchError(f"bad query: {exc}") from exc
    except SearchUnavailable as exc:
        raise LurewatchError(f"the search engine does not answer: {' '.join(str(exc).split())[:300]}") from None
    typer.echo(f"{page.total} match(es)")
    for hit in page.hits:
        snippet = "".join(f"[{text}]" if marked else text for text, marked in hit.text)
        typer.echo(f"#{hit.post_id}\t{hit.score:.2f}\t{snippet}")


@app.command()
def status() -> None:
    """Sources with last and next run, last result, broken or late; index backlog, queue, alerts today."""
    from flows.status import operations_status, status_lines
    from flows.wiring import build_parts

    settings = _settings()
    for line in status_lines(operations_status(build_parts(settings)), settings.schedule_timezone):
        typer.echo(line)


@app.command()
def runs(
    source: Annotated[str | None, typer.Option(help="Only this source's runs.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Recent crawl runs, newest first, with their result and error."""
    from flows.status import local_time
    from flows.wiring import build_parts

    settings = _settings()
    store = build_parts(settings).store
    if source is not None and store.get_source(source) is None:
        raise LurewatchError(f"unknown source {source!r}; see `lurewatch sources list`")
    for run in store.list_runs(limit=limit, source=source):
        error = f"\t{run.errors[-1][:200]}" if run.errors and run.status != "completed" else ""
        typer.echo(f"{run.id}\t{run.source}\t{local_time(run.started_at, settings.schedule_timezone)}\t{run.status}\t"
                   f"new {run.posts_new} changed {run.posts_changed} flagged {run.flagged}\t{run.worker or '-'}{error}")


@app.command()
def worker(
    name: Annotated[str | None, typer.Option(help="Worker name (default: this host and process).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Flow runs at a time (default: no limit).")] = None,
) -> None:
    """Take flow runs from the work pool (on this or another machine) until Ctrl-C."""
    import os
    import socket

    from flows.worker import run_worker

    settings = _settings()
    try:
        run_worker(settings, name=name or f"{socket.gethostname()}-{os.getpid()}", limit=limit, echo=typer.echo)
    except KeyboardInterrupt:
        typer.echo("worker stopped")


@app.command()
def rescore(
    source: Annotated[str | None, typer.Option(help="Only this source's posts.")] = None,
    batch: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
) -> None:
    """Give every post scored by another model the current model's score (resumable)."""
    from flows.rescore import rescore_posts
    from flows.wiring import build_parts

    parts = build_parts(_settings())
    if source is not None and parts.store.get_source(source) is None:
        raise LurewatchError(f"unknown source {source!r}; see `lurewatch sources list`")
    typer.echo(rescore_posts(parts, source=source, batch=batch, echo=lambda line: None).line())


@app.command()
def retrain(
    data: Annotated[list[Path] | None, typer.Option(help="Training rows (default: LUREWATCH_SHARED_DATA, ../shared/data); the review decisions are added.")] = None,
    no_synthetic: Annotated[bool, typer.Option(help="Do not add the shipped synthetic rows.")] = False,
    rescore_after: Annotated[bool, typer.Option("--rescore/--no-rescore", help="Rescore the store when promoted.")] = True,
) -> None:
    """Train a new model version; promote it only if it is not worse on the same held-back rows."""
    from flows.rescore import rescore_posts
    from flows.retrain import retrain_model
    from flows.wiring import build_parts

    settings = _settings()
    result = retrain_model(build_parts(settings), data_dirs=data, use_synthetic=not no_synthetic, echo=typer.echo)
    typer.echo(result.line())
    if result.promoted and rescore_after:
        typer.echo(rescore_posts(build_parts(settings), echo=lambda line: None).line())


@watchlist_app.command("add")
def watchlist_add(
    kind: Annotated[str, typer.Argument(help="phone, zalo, telegram, bank (BANK:ACCOUNT) or ewallet (WALLET:NUMBER).")],
    value: str,
    note: Annotated[str, typer.Option(help="Why it is watched.")] = "",
) -> None:
    """Alert when a post carrying this value is seen again."""
    from flows.watchlist import add_watch
    from flows.wiring import build_parts

    entry = add_watch(build_parts(_settings()).store, kind, value, note)
    typer.echo(f"watching {entry.kind} {entry.value}")


@watchlist_app.command("list")
def watchlist_list() -> None:
    """The watched values."""
    from flows.wiring import build_parts

    for entry in build_parts(_settings()).store.list_watch():
        typer.echo(f"{entry.kind}\t{entry.value}\t{entry.created_at:%Y-%m-%d}\t{entry.note}")


@watchlist_app.command("remove")
def watchlist_remove(kind: str, value: str) -> None:
    """Stop watching a value."""
    from flows.watchlist import remove_watch
    from flows.wiring import build_parts

    remove_watch(build_parts(_settings()).store, kind, value)
    typer.echo(f"no longer watching {kind} {value}")


@alerts_app.command("list")
def alerts_list(limit: Annotated[int, typer.Option(min=1, max=1000)] = 20) -> None:
    """Alerts told, newest first: when, rule, to whom, status, what."""
    from flows.wiring import build_parts

    for a in build_parts(_settings()).store.list_alerts(limit=limit):
        typer.echo(f"{a.created_at:%Y-%m-%d %H:%M:%S}\t{a.rule}\t{a.channel}:{a.recipient}\t{a.status}\t{a.subject}")


@alerts_app.command("check")
def alerts_check() -> None:
    """Check every alert rule now and tell what is new (the stack does this every minute)."""
    settings = _settings()
    use_local_prefect(settings)
    from flows.operations import send_alerts

    figures = send_alerts()
    typer.echo(f"alerts: {figures['found']} found, {figures['sent']} sent, {figures['failed']} failed; "
               f"{figures['crashed_runs']} crashed run(s) marked")


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
