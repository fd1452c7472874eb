"""The `vises` command: build the sample cohort, run and publish reports, serve dashboards.

Errors a user can fix print one line (`vises: error: ...`) and exit non-zero; no
traceback reaches the terminal for them. They and the command's own messages are in the
language of `vises --lang` (or $VISES_LANG), English by default.
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import os
import secrets
import sys
import tempfile
from pathlib import Path

from vises_nb import __version__, errors, i18n
from vises_nb.errors import ParameterError, StoreError, VisesError
from vises_nb.paths import REPORTS_DIR
from vises_nb.store.store import Store, normalise_url


def _sqlite_file(url: str) -> Path | None:
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


def cmd_sample(args: argparse.Namespace) -> int:
    """Build the deterministic sample cohort into the store (a new file, swapped in whole)."""
    from vises_nb.sample.generator import MAX_ENTERPRISES, generate, store_cohort, summary

    if not 1 <= args.enterprises <= MAX_ENTERPRISES:
        raise ParameterError("err.cli.sample_size", enterprises=args.enterprises,
                             largest=MAX_ENTERPRISES)
    url = normalise_url(args.store)
    path = _sqlite_file(url)
    cohort = generate(args.seed, args.enterprises)
    if path is not None:
        if path.exists() and not args.force:
            raise StoreError("err.cli.sample_exists", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sample-", suffix=".sqlite", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
        try:
            store = Store.open(tmp, create=True)
            counts = store_cohort(cohort, store)
            store.close()
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
                Path(leftover).unlink(missing_ok=True)
    else:
        store = Store.open(url, create=True)
        if store.enterprise_ids():
            raise StoreError("err.cli.sample_not_empty", url=store.url)
        counts = store_cohort(cohort, store)
        store.close()
    info = summary(cohort)
    print(_t("cli.sample_done", seed=args.seed, enterprises=info["enterprises"],
             answers=counts["Response"], where=path or url))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    store = Store.open(args.store, create=True)
    print(_t("cli.init_done", url=store.url, schema=store.schema_version))
    return 0


KEEP_WARM = 600.0  # a coordinator's next run, after fixing some data, is usually minutes away
MAX_SESSION = 50  # `vises serve --session N`: N kernels of ~240 MB each


def cmd_run(args: argparse.Namespace) -> int:
    from vises_nb.publishing.engine.progress import Progress, describe
    from vises_nb.publishing.runner import run

    # No --lang: each enterprise in its own language (its identity card) only, the index
    # and cohort report in French; with --lang, those languages plus each one's own.
    for option, value, least in (("--timeout", args.timeout, 0), ("--workers", args.workers, 0),
                                 ("--keep-warm", args.keep_warm, None)):
        if value is None:
            continue
        if least is not None and not value > least:  # 0 or -1 stops every notebook at once
            raise ParameterError("err.cli.positive", option=option, value=value)
        if least is None and value < 0:
            raise ParameterError("err.cli.not_negative", option=option, value=value)
    asked = [code.strip() for code in (args.lang or "").split(",") if code.strip()]
    languages = asked or ["fr"]
    own_language = "add" if asked else "only"
    for code in languages:
        if code not in i18n.available_languages():
            raise ParameterError("err.param.languages", lang=code,
                                 languages=list(i18n.available_languages()))
    quiet = args.quiet or not sys.stdout.isatty()
    failed = 0
    # The first language listed is run last, so that reports/index.html is in it.
    for lang in reversed(languages):
        progress = Progress(quiet=quiet, workers=args.workers or os.cpu_count() or 1)
        summary = run(store_url=args.store, reports_dir=Path(args.reports), lang=lang,
                      enterprise=args.enterprise, step=args.step, workers=args.workers,
                      min_respondents=args.min_respondents, on_result=progress,
                      force=args.force, executor=args.executor, scheduler=args.scheduler,
                      timeout=args.timeout, other_languages=tuple(languages),
                      keep_warm=args.keep_warm,
                      own_language=own_language if lang == languages[0] else "no",
                      pdf=args.pdf)
        # In the language asked with `vises --lang`, else in the reports' language.
        say = args.ui_lang or lang
        print(i18n.t("cli.run_summary", say, language=lang, done=progress.done,
                     skipped=progress.skipped, failed=len(summary.failures)))
        for failure in summary.failures:
            job = failure.job
            cell = i18n.t("cli.cell", say, cell=failure.cell) if failure.cell is not None else ""
            print(f"  {i18n.t('failed', say)}: {describe(job, say)}{cell}: "
                  f"{errors.render(failure.error, say)} ({job.executed})", file=sys.stderr)
        failed += len(summary.failures)
        print(i18n.t("cli.index", say, path=summary.index))
    return 1 if failed else 0


def cmd_engines(args: argparse.Namespace) -> int:
    """List the warm engines kept between runs; stop them with --stop."""
    from vises_nb.publishing.engine.daemon import running

    engines = running()
    for engine, who in engines:
        print(f"{engine.pid()}  {who['workers']} worker(s)  vises {who['version']}  "
              f"{who['python']}  {engine.path}")
        if args.stop:
            engine.stop()
    if not engines:
        print(_t("cli.no_engine"))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Start Voila on 127.0.0.1 with a token, sources stripped, idle kernels culled."""
    from vises_nb.dashboards.voila_app import TOKEN_ENV
    from vises_nb.dashboards.voila_serve import voila_command, voila_environment

    if args.token is not None:  # a secret in argv is in every local user's `ps`
        raise ParameterError("err.cli.token_argument")
    store = Store.open(args.store)  # fail early, with a clear message, on a bad store
    store.close()
    if importlib.util.find_spec("voila") is None:
        raise VisesError("err.cli.no_voila")
    if args.pool_size < 0:
        raise ParameterError("err.cli.pool_size")
    if not 0 <= args.session <= MAX_SESSION:
        raise ParameterError("err.cli.session")
    if args.cull_idle < 10:
        raise ParameterError("err.cli.cull_idle")
    trusted = _trusted_proxy(args)
    token = os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
    lang = args.lang or args.ui_lang or "fr"
    command = voila_command(sys.executable, args.port, args.pool_size, lang=lang,
                            accounts=args.accounts, session=args.session,
                            cull_idle=args.cull_idle)
    env = voila_environment(normalise_url(args.store), lang, token, accounts=args.accounts,
                            trusted_header=args.trusted_header or "", trusted_proxy=trusted)
    if args.accounts:  # the token stays the server's own (its kernels use it), never shown
        print(f"vises dashboards: http://127.0.0.1:{args.port}/login", flush=True)
    else:
        print(f"vises dashboards: http://127.0.0.1:{args.port}/?token={token}", flush=True)
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return


def _trusted_proxy(args: argparse.Namespace) -> str:
    """`--trusted-header` and `--trusted-proxy` go together, with --accounts; the proxy's
    addresses checked (comma-separated IP addresses)."""
    import ipaddress
    import re

    header, proxy = args.trusted_header, args.trusted_proxy
    if header is None and proxy is None:
        return ""
    if not (args.accounts and header and proxy):
        raise ParameterError("err.cli.trusted_header")
    if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", header):
        raise ParameterError("err.cli.trusted_header_name", header=header)
    try:
        return ",".join(str(ipaddress.ip_address(a.strip())) for a in proxy.split(","))
    except ValueError:
        raise ParameterError("err.cli.trusted_proxy", proxy=proxy) from None


def _read_password(lang: str | None) -> str:
    """From a prompt on a terminal (asked twice), else one line of standard input: never
    an argument (any local user reads command lines in `ps`)."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass(_t("cli.users.password_prompt"))
        if getpass.getpass(_t("cli.users.password_again")) != first:
            raise ParameterError("err.users.passwords_differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    """People who sign in to `vises serve --accounts`, and their roles."""
    from vises_nb.store import accounts

    store = Store.open(args.store)
    try:
        if args.action == "add":
            if not args.name or not args.role:
                raise ParameterError("err.users.add_needs")
            password = _read_password(args.ui_lang)
            person = accounts.add_person(store, args.name, args.role, password,
                                         accompanier_id=args.accompanier,
                                         enterprise_id=args.enterprise)
            print(_t("cli.users.added", name=person.username, role=person.role))
        elif args.action == "list":
            for p in accounts.list_people(store):
                link = p.accompanier_id or p.enterprise_id or ""
                state = _t("cli.users.active") if p.active else _t("cli.users.disabled")
                print(f"{p.username}\t{p.role}\t{link}\t{state}")
        elif args.action == "disable":
            accounts.disable(store, _required_name(args))
            print(_t("cli.users.disabled_done", name=args.name))
        elif args.action == "enable":
            accounts.enable(store, _required_name(args))
            print(_t("cli.users.enabled_done", name=args.name))
        elif args.action == "password":
            name = _required_name(args)
            if accounts.get_person(store, name) is None:
                raise errors.NotFoundError("err.users.unknown", name=name)
            accounts.set_password(store, name, _read_password(args.ui_lang))
            print(_t("cli.users.password_done", name=name))
    finally:
        store.close()
    return 0


def _required_name(args: argparse.Namespace) -> str:
    if not args.name:
        raise ParameterError("err.users.add_needs")
    return args.name


def cmd_backup(args: argparse.Namespace) -> int:
    from vises_nb.store.backup import backup

    done = backup(args.store, Path(args.file), force=args.force)
    print(_t("cli.backup_done", file=done["file"], kind=done["kind"], rows=done["rows"]))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from vises_nb.store.backup import restore

    done = restore(Path(args.file), args.store, force=args.force)
    print(_t("cli.restore_done", rows=done["rows"], source=done["source"], store=done["store"]))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a survey export (or store an XLSForm as an instrument): logic in vises_nb.instruments.importing."""
    from vises_nb.instruments.importing import import_responses

    store = Store.open(args.store)
    report = import_responses(store, args.enterprise, args.wave, Path(args.export).resolve(),
                              Path(args.form).resolve() if args.form else None,
                              repeat_files=tuple(Path(p).resolve() for p in args.repeat),
                              ignore_columns=tuple(args.ignore_column),
                              respondent_column=args.respondent_column,
                              date_order=args.date_order)
    print(report.summary())
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """Enrol a roster (or write the template to fill): logic in vises_nb.instruments.enrolment."""
    if args.template:
        from vises_nb.instruments.roster import write_template

        path = write_template(Path(args.template).resolve(), errors.current_language())
        print(_t("cli.roster_template_done", path=path))
        return 0
    if not args.file:
        raise ParameterError("err.cli.enrol_file")
    from vises_nb.instruments.enrolment import enrol

    store = Store.open(args.store)
    try:
        plan = enrol(store, Path(args.file).resolve(), confirm_archive=args.yes,
                     dry_run=args.dry_run)
    finally:
        store.close()
    print(plan.summary())
    if args.dry_run:
        print(_t("cli.enrol_dry_run"))
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    """The cleaning log: logic in vises_nb.instruments.cleaning."""
    from vises_nb.instruments import cleaning

    store = Store.open(args.store)
    by = args.by or getpass.getuser()
    if args.action == "recode":
        done = cleaning.recode_respondent(store, args.enterprise, args.wave, args.wrong,
                                          args.right, by, args.why)
    elif args.action == "exclude":
        done = cleaning.exclude_submission(store, args.enterprise, args.wave, args.respondent,
                                           by, args.why)
    elif args.action == "correct":
        done = cleaning.correct_answer(store, args.enterprise, args.wave, args.respondent,
                                       args.item, args.value, by, args.why)
    elif args.action == "undo":
        done = cleaning.undo(store, args.id, by)
        print(_t("cli.clean_undone", id=done.id))
        return 0
    else:
        log = cleaning.cleaning_log(store, args.enterprise)
        columns = ["id", "created_at", "author", "kind", "wave_id", "respondent_id", "item_id",
                   "before", "after", "reason", "undone_at", "undone_by"]
        print(log[columns].to_string(index=False) if not log.empty else _t("cli.clean_empty"))
        return 0
    print(_t("cli.clean_done", id=done.id, kind=done.kind))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the cohort's tables (or a questionnaire as XLSForm): logic in vises_nb.instruments.exporting."""
    store = Store.open(args.store)
    if args.questionnaire and args.format == "limesurvey":
        from vises_nb.instruments.xlsform import write_limesurvey

        path = write_limesurvey(store, args.questionnaire, Path(args.out).resolve(),
                                Path(args.form).resolve() if args.form else None)
        print(_t("cli.questionnaire_done", enterprise=args.questionnaire, path=path))
        return 0
    if args.questionnaire:
        from vises_nb.instruments.xlsform import write_questionnaire

        path = write_questionnaire(store, args.questionnaire, Path(args.out).resolve())
        print(_t("cli.questionnaire_done", enterprise=args.questionnaire, path=path))
        return 0
    from vises_nb.instruments.exporting import export_cohort

    written = export_cohort(store, Path(args.out).resolve(), tuple(args.format.split(",")),
                            enterprise_id=args.enterprise)
    print(_t("cli.export_done", count=len(written), folder=Path(args.out).resolve()))
    return 0


def cmd_i18n_template(args: argparse.Namespace) -> int:
    """Write a catalogue to translate for a new language (see README, 'A new language')."""
    from vises_nb.i18n import template
    from vises_nb.method.labels import data_keys

    text = template(args.lang, data_keys())
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(_t("cli.template_done", lang=args.lang, path=args.out))
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vises", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"vises {__version__}")
    parser.add_argument("--lang", dest="ui_lang", default=None, metavar="LANG",
                        help="language of this command's messages and errors: fr, nl, en... "
                             "(default: $VISES_LANG, else en)")
    sub = parser.add_subparsers(dest="command", required=True)
    store_help = "store URL or SQLite path (default: $VISES_STORE or data/vises.sqlite)"

    p = sub.add_parser("sample", help="build the fictional sample cohort")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--seed", type=int, default=2018, help="random seed (same seed, same cohort)")
    p.add_argument("--enterprises", type=int, default=68, metavar="N",
                   help="number of enterprises (default 68, the sample; another number keeps "
                        "its proportions of poles, regions and steps: a federation)")
    p.add_argument("--force", action="store_true", help="replace an existing SQLite file")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("init", help="create an empty store")
    p.add_argument("--store", default=None, help=store_help)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("run", help="run the notebooks and publish every report")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--reports", default=str(REPORTS_DIR), help="output folder (default reports/)")
    p.add_argument("--lang", default=None,
                   help="language(s) of the reports besides each enterprise's own: fr, nl, en, "
                        "or several as fr,nl,en (default: each enterprise's own language only; "
                        "index and cohort report in French)")
    p.add_argument("--pdf", action="store_true",
                   help="also print each valorisation one-pager to PDF (Debian's Chromium)")
    p.add_argument("--enterprise", default=None, help="only this enterprise id")
    p.add_argument("--step", default=None, help="only this step (1, 2 or 3)")
    p.add_argument("--workers", type=int, default=None, help="parallel notebooks (default: cores)")
    p.add_argument("--min-respondents", type=int, default=5,
                   help="suppress figures on fewer respondents (at least 3)")
    p.add_argument("--quiet", action="store_true", help="print failures and the summary only")
    p.add_argument("--force", action="store_true",
                   help="run every notebook, even those whose inputs have not changed")
    p.add_argument("--keep-warm", type=float, metavar="SECONDS",
                   default=float(os.environ.get("VISES_KEEP_WARM", KEEP_WARM)),
                   help="keep the warm processes this long after the run, for the next one "
                        f"(default {KEEP_WARM:g}, or $VISES_KEEP_WARM; 0: stop with the run)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds a notebook may run before it is stopped (default 600)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where notebooks run: this machine's cores, or a Dask cluster")
    p.add_argument("--scheduler", default=None,
                   help="Dask scheduler address for --executor dask (tcp://host:8786)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("engines", help="list the warm engines kept between runs (--stop)")
    p.add_argument("--stop", action="store_true", help="stop them")
    p.set_defaults(func=cmd_engines)

    p = sub.add_parser("serve", help="start the Voila dashboards on 127.0.0.1 with a token "
                       "(VISES_SERVE_TOKEN if set, else a random one; never an argument)")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--token", default=None, help=argparse.SUPPRESS)  # refused: see cmd_serve
    p.add_argument("--lang", default=None,
                   help="language the dashboards open in (default: vises --lang, else fr)")
    p.add_argument("--pool-size", type=int, default=1,
                   help="preheated kernels kept ready per dashboard (default 1; 0: none)")
    p.add_argument("--session", type=int, default=0, metavar="N",
                   help="a collective session: N enterprises open the workspace together, "
                        "so N workspace kernels are kept ready (~240 MB each; default 0)")
    p.add_argument("--cull-idle", type=int, default=900, metavar="SECONDS",
                   help="stop a kernel no page has used for that long (default 900)")
    p.add_argument("--accounts", action="store_true",
                   help="people sign in with the accounts of `vises users` and see what "
                        "their role allows (a federation's server); default: one token")
    p.add_argument("--trusted-header", default=None,
                   help="with --accounts: the header (e.g. X-Remote-User) in which the "
                        "federation's reverse proxy names the person its identity provider "
                        "signed in; believed only from --trusted-proxy")
    p.add_argument("--trusted-proxy", default=None,
                   help="the reverse proxy's address(es), comma-separated (e.g. 127.0.0.1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("users", help="people who sign in to `vises serve --accounts`: "
                       "add, list, disable, enable, password (read from a prompt or stdin)")
    p.add_argument("action", choices=["add", "list", "disable", "enable", "password"])
    p.add_argument("name", nargs="?", default=None, help="the person's user name")
    p.add_argument("--role", choices=["coordinator", "accompanier", "member", "researcher"])
    p.add_argument("--accompanier", default=None,
                   help="for an accompanier: their id in the store's accompaniers")
    p.add_argument("--enterprise", default=None, help="for a member: their enterprise's id")
    p.add_argument("--store", default=None, help=store_help)
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("i18n-template", help="a catalogue to translate for a new language")
    p.add_argument("lang", help="language code, e.g. de")
    p.add_argument("--out", default=None, help="file to write (default: standard output)")
    p.set_defaults(func=cmd_i18n_template)

    p = sub.add_parser("backup", help="back up the store to a file (consistent while in use)")
    p.add_argument("file", help="backup file: a SQLite copy, or JSON lines for a server store "
                                "or a name ending in .jsonl")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--force", action="store_true", help="overwrite an existing backup file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty store, all or nothing")
    p.add_argument("file", help="a file written by 'vises backup'")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--force", action="store_true", help="replace the content of a non-empty store")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("import", help="import a survey export (Kobo, ODK, LimeSurvey, CSV/XLSX)")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--enterprise", required=True, help="enterprise id")
    p.add_argument("--wave", required=True, help="wave of the answers: T0, T1 or T2")
    p.add_argument("--form", default=None, help="the XLSForm the data was collected with")
    p.add_argument("--repeat", action="append", default=[],
                   help="a repeat-group file of an ODK Central export (repeatable)")
    p.add_argument("--ignore-column", action="append", default=[],
                   help="a column to leave out on purpose (repeatable; reported)")
    p.add_argument("--respondent-column", default=None, metavar="NAME",
                   help="the question holding the respondent code (else the form's 'vises' "
                        "column, or a required question named like a code)")
    p.add_argument("--date-order", default=None, choices=["dmy", "mdy"],
                   help="how the file writes its dates: dmy = 30/11/2026 (day first), "
                        "mdy = 11/30/2026 (month first, Google Forms in US English); "
                        "else each date column's dates decide")
    p.add_argument("export", help="the export file (.csv or .xlsx)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("enrol", help="enrol the cohort from a roster (accompaniers, "
                                     "enterprises, groups), or write the roster template")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--template", default=None, metavar="ROSTER.xlsx",
                   help="write the roster template to fill (headings in vises --lang)")
    p.add_argument("--yes", action="store_true",
                   help="confirm archiving the enterprises/accompaniers marked as left")
    p.add_argument("--dry-run", action="store_true",
                   help="check the roster and say what would change, storing nothing")
    p.add_argument("file", nargs="?", default=None, help="the roster (.xlsx or .csv)")
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("clean", help="the cleaning log: recode, exclude, correct, undo, list")
    actions = p.add_subparsers(dest="action", required=True)
    for name, text in (("recode", "a mistyped respondent code at one wave"),
                       ("exclude", "leave one submission out (a test, a duplicate)"),
                       ("correct", "replace one answer"),
                       ("undo", "undo an action of the log"), ("list", "show the log")):
        a = actions.add_parser(name, help=text)
        a.add_argument("--store", default=None, help=store_help)
        if name == "undo":
            a.add_argument("id", help="the action's id (see 'vises clean list')")
        else:
            a.add_argument("--enterprise", required=True, help="enterprise id")
        if name in ("recode", "exclude", "correct"):
            a.add_argument("--wave", required=True, help="T0, T1 or T2")
            a.add_argument("--why", required=True, help="why (kept in the log)")
        if name == "recode":
            a.add_argument("--from", dest="wrong", required=True,
                           help="the code as mistyped (or its pseudonymous id)")
            a.add_argument("--to", dest="right", required=True,
                           help="the respondent's right code (or pseudonymous id)")
        if name in ("exclude", "correct"):
            a.add_argument("--respondent", required=True,
                           help="the respondent's code (or pseudonymous id)")
        if name == "correct":
            a.add_argument("--item", required=True, help="the item's code")
            a.add_argument("--value", required=True, help="the right answer")
        a.add_argument("--by", default=None, help="who (default: your user name)")
        a.set_defaults(func=cmd_clean)

    p = sub.add_parser("export", help="export the cohort's tables, or a questionnaire")
    p.add_argument("--store", default=None, help=store_help)
    p.add_argument("--format", default="csv,xlsx,parquet,datapackage",
                   help="comma-separated: csv, xlsx, parquet, datapackage; with "
                        "--questionnaire: limesurvey (a LimeSurvey survey structure .txt)")
    p.add_argument("--enterprise", default=None, help="only this enterprise's rows")
    p.add_argument("--questionnaire", default=None, metavar="ENTERPRISE",
                   help="write this enterprise's questionnaire as an XLSForm to --out")
    p.add_argument("--form", default=None,
                   help="with --questionnaire --format limesurvey: the enterprise's own XLSForm "
                        "(default: the questionnaire vises writes for it)")
    p.add_argument("--out", required=True,
                   help="output folder (or .xlsx file; .txt for --format limesurvey)")
    p.set_defaults(func=cmd_export)
    return parser


def _t(key: str, **values: object) -> str:
    """A message of the command in its language (see `interface_language`)."""
    return i18n.t(key, errors.current_language(), **values)


def interface_language(asked: str | None) -> str:
    """`vises --lang`, else $VISES_LANG, else English; refused when it has no catalogue."""
    lang = (asked or os.environ.get("VISES_LANG") or errors.DEFAULT_LANGUAGE).strip()
    if lang not in i18n.available_languages():
        source = "--lang" if asked else "VISES_LANG"
        raise ParameterError("err.cli.language", source=source, lang=lang,
                             languages=list(i18n.available_languages()))
    return lang


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = errors.current_language()
    try:
        return _run_command(parser, args)
    finally:
        errors.set_language(previous)  # main() called in-process (tests) leaves no trace


def _run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        lang = interface_language(args.ui_lang)
    except ParameterError as exc:
        print(f"vises: error: {exc}", file=sys.stderr)
        return exc.exit_code
    errors.set_language(lang)
    # chosen on purpose (else a run's summary is in the reports' language)
    args.ui_lang = lang if args.ui_lang or os.environ.get("VISES_LANG") else None
    if getattr(args, "min_respondents", 5) < 3:
        parser.error(_t("err.param.min_respondents_option"))
    try:
        return args.func(args)
    except VisesError as exc:
        print(f"vises: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a folder that cannot be made, a file that cannot be written
        # a run stops there, but the reports it published before stay (each written whole)
        error = errors.file_system_error(
            exc, "err.os.run" if getattr(args, "func", None) is cmd_run else "err.os")
        print(f"vises: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_t("cli.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
