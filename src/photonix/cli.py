"""The ``photonix`` command.

``photonix serve`` runs the whole app on one machine; the role commands (``web``, ``worker``,
``beat``, ``watch``, ``flower``) run one part each, for distributed installations. ``status``
prints the health report; ``manage`` is Django's manage.py; ``upload`` sends photos from this
computer to a server.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from photonix import conf
from photonix.pipeline.queues import QUEUE_NAMES

if TYPE_CHECKING:
    from photonix.singleton import SingletonLock


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    import django

    django.setup()


def _exec(argv: list[str]) -> NoReturn:
    """Replace this process, so a supervisor's signals reach the real server directly."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *argv])  # noqa: S606 - fixed argv, no shell


def cmd_web(args: argparse.Namespace, config: conf.Config) -> int:
    bind = f"{config.bind}:{config.port}"
    if ":" in config.bind and not config.bind.startswith("["):
        bind = f"[{config.bind}]:{config.port}"
    _exec(
        [
            "-m",
            "gunicorn",
            "photonix.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(args.workers or config.web_workers),
            # gunicorn's control socket defaults to one per user ($HOME/.gunicorn): keep ours apart.
            "--control-socket",
            str(config.data_dir / "web.ctl"),
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
            "--name",
            "photonix-web",
        ]
    )


def _worker_name(queues: Sequence[str]) -> str:
    return "all" if set(queues) >= set(QUEUE_NAMES) else "-".join(queues)


def worker_argv(config: conf.Config, queues: Sequence[str], concurrency: int | None) -> list[str]:
    return [
        "-m",
        "celery",
        "--app",
        "photonix",
        "worker",
        "--queues",
        ",".join(queues),
        "--concurrency",
        str(concurrency or config.worker_concurrency),
        "--hostname",
        f"photonix-{_worker_name(queues)}@%h",
        "--task-events",
        "--loglevel",
        config.log_level,
    ]


def _parse_queues(value: str) -> list[str]:
    queues = [q.strip() for q in value.split(",") if q.strip()]
    unknown = sorted(set(queues) - set(QUEUE_NAMES))
    if unknown or not queues:
        named = ", ".join(unknown) or "(none)"
        raise argparse.ArgumentTypeError(
            f"unknown queue(s) {named}; choose from {', '.join(QUEUE_NAMES)}"
        )
    return queues


def cmd_worker(args: argparse.Namespace, config: conf.Config) -> int:
    _exec(worker_argv(config, args.queues, args.concurrency))


def _single_instance(
    role: str, args: argparse.Namespace, config: conf.Config
) -> SingletonLock | None:
    """Take this role's lock on the broker (waiting for it unless ``--no-wait``); None if not."""
    from photonix.singleton import SingletonLock, client_url

    lock = SingletonLock(role, client_url(config.broker_url), config.lock_ttl)

    def announce(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if not lock.acquire(wait=not args.no_wait, announce=announce):
        lock.client.close()
        return None
    # Losing the lock stops this process the way a supervisor would: SIGTERM, handled cleanly.
    lock.start_renewing(on_lost=lambda: os.kill(os.getpid(), signal.SIGTERM))
    return lock


def _lost_lock_exit(role: str) -> int:
    print(
        f"photonix {role}: stopped because the single-instance lock was lost "
        "(see the log above); the next start waits for it again.",
        file=sys.stderr,
    )
    return 3


def cmd_beat(args: argparse.Namespace, config: conf.Config) -> int:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    _django_setup()
    from photonix.celery import app

    lock = _single_instance("beat", args, config)
    if lock is None:
        return 1
    try:
        # In this process (not exec'd): the lock's renewal thread lives beside the scheduler.
        app.Beat(
            schedule=str(config.data_dir / "celerybeat-schedule"),
            pidfile=None,
            loglevel=config.log_level,
        ).run()
    finally:
        lock.release()
    return _lost_lock_exit("beat") if lock.lost.is_set() else 0


def _own_flower_login() -> bool:
    """Whether the environment gives Flower a login of its own (basic auth or OAuth)."""
    return any(os.environ.get(name) for name in ("FLOWER_BASIC_AUTH", "FLOWER_AUTH"))


def cmd_flower(args: argparse.Namespace, config: conf.Config) -> int:
    address = args.address
    if not _own_flower_login():
        if address not in ("127.0.0.1", "localhost", "::1"):
            print(
                "photonix flower: refusing to listen on a non-loopback address without "
                "FLOWER_BASIC_AUTH=user:password.",
                file=sys.stderr,
            )
            return 2
        # Even on loopback: any web page a person on this machine opens can reach 127.0.0.1.
        # Flower with a login sends no CORS header and refuses cross-origin POSTs.
        os.environ["FLOWER_BASIC_AUTH"] = conf.flower_login(config)
    _exec(
        [
            "-m",
            "celery",
            "--app",
            "photonix",
            "flower",
            f"--address={address}",
            f"--port={args.port or config.flower_port}",
            "--url_prefix=",
            "--persistent=False",
        ]
    )


def cmd_watch(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    from photonix.library.importing.watcher import run_watcher

    lock = _single_instance("watch", args, config)
    if lock is None:
        return 1
    try:
        code = run_watcher()
    finally:
        lock.release()
    return _lost_lock_exit("watch") if lock.lost.is_set() else code


def cmd_serve(args: argparse.Namespace, config: conf.Config) -> int:
    from photonix.serve import serve

    return serve(config)


def cmd_status(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    if args.worker:
        # A container's or unit's own health: does this one worker answer?
        from photonix.celery import app

        replies = app.control.ping(destination=[args.worker], timeout=args.timeout) or []
        answering = any(args.worker in reply for reply in replies)
        print(f"worker {args.worker}: {'answering' if answering else 'NOT answering'}")
        return 0 if answering else 1
    from photonix.core.health import health_report

    report = health_report(worker_timeout=args.timeout)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"Photonix {report['version']}: {report['status']}")
        for name, component in report["components"].items():
            mark = "ok  " if component["ok"] else "FAIL"
            print(f"  {mark} {name:<9} {component['detail']}")
        if config.flower_enabled or config.flower_login_path.exists():
            print(_flower_line(config))
    return 0 if report["status"] == "ok" else 1


def _flower_line(config: conf.Config) -> str:
    """Where Flower is and how to sign in to it."""
    if _own_flower_login():
        login = "login from FLOWER_BASIC_AUTH / FLOWER_AUTH"
    else:
        user, _, password = conf.flower_login(config).partition(":")
        login = f"user {user}, password {password} (kept in {config.flower_login_path})"
    return f"  {'':4} {'flower':<9} {config.flower_url} ({login})"


def cmd_library_add(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    from photonix.library.services import LibraryError, library_add

    try:
        library, folders = library_add(
            args.name, args.paths, watched=not args.no_watch, extend=True
        )
    except LibraryError as exc:
        print(f"photonix library add: {exc}", file=sys.stderr)
        return 2
    for folder in folders:
        print(f"{library.name}: {folder.path} ({'watched' if folder.watched else 'not watched'})")
    print(f"Scanning started for library {library.name!r} (id {library.pk}).")
    return 0


def cmd_library_list(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    from photonix.library.models import Library

    for library in Library.objects.prefetch_related("folders").order_by("name"):
        print(f"{library.pk}\t{library.name}\t{library.photos.count()} photos")
        for folder in library.folders.all():
            print(f"\t{folder.path}{'' if folder.watched else ' (not watched)'}")
    return 0


def cmd_wait(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    from photonix.pipeline.progress import wait_until_idle

    left = wait_until_idle(args.timeout)
    if left is None:
        return 0
    queued = ", ".join(f"{q}={n}" for q, n in left.queued.items() if n)
    print(
        f"photonix wait: timed out after {args.timeout:g}s with work outstanding "
        f"(queued: {queued or 'none'}; running or retrying: {left.unacked}; "
        f"files waiting to be recorded: {left.pending_files}; "
        f"photos pending or processing: {left.unfinished_photos}; "
        f"libraries whose people are still to be grouped: {left.pending_runs})",
        file=sys.stderr,
    )
    return 1


def cmd_export(args: argparse.Namespace, config: conf.Config) -> int:
    _django_setup()
    from photonix.library.browse.export import export_library
    from photonix.library.models import Library

    library = Library.objects.filter(name__iexact=args.library).first()
    if library is None:
        print(f"photonix export: no library named {args.library!r}", file=sys.stderr)
        return 2
    if args.output in (None, "-"):
        export_library(library, sys.stdout, trashed=args.include_trash)
    else:
        with open(args.output, "w", encoding="utf-8") as out:  # noqa: PTH123
            export_library(library, out, trashed=args.include_trash)
    return 0


def cmd_models(args: argparse.Namespace, config: conf.Config) -> int:
    from photonix.classifiers import store

    models = store.default_store()
    try:
        packs = store.packs()
    except store.ModelUnavailable as exc:
        print(f"photonix models: {exc}", file=sys.stderr)
        return 2
    names = getattr(args, "names", None) or [*store.MODELS, *packs]
    unknown = [n for n in names if n not in store.MODELS and n not in packs]
    if unknown:
        print(f"photonix models: unknown model(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    # A pack (``clip``) stands for its files, each listed, downloaded and verified on its own.
    specs = [spec for n in names for spec in (packs[n].files if n in packs else (store.MODELS[n],))]
    if args.models_command == "list":
        for spec, state in models.status(specs):
            size = f"{spec.size / 1e6:.1f} MB"
            print(f"{spec.name}\t{state}\t{size}\t{spec.licence}\t{spec.description}")
        return 0
    failed = 0
    for spec in specs:
        if args.models_command == "download":
            try:
                path = models.ensure(spec)
            except store.ModelUnavailable as exc:
                print(f"{spec.name}: {exc}", file=sys.stderr)
                failed += 1
                continue
            print(f"{spec.name}: {path}")
        else:
            ok = models.verify(spec)
            print(f"{spec.name}: {'ok' if ok else 'MISSING OR CORRUPT'} ({models.location(spec)})")
            failed += not ok
    return 1 if failed else 0


def cmd_upload(args: argparse.Namespace, config: conf.Config | None) -> int:
    # Loaded here: requests and rich are for this command alone.
    from photonix import upload_client

    if not args.server or not args.token:
        print(
            "photonix upload: give --server and --token "
            "(or PHOTONIX_SERVER and PHOTONIX_TOKEN; create a token in Settings)",
            file=sys.stderr,
        )
        return 2
    return upload_client.run(
        [Path(p) for p in args.paths],
        server=args.server,
        token=args.token,
        library_name=args.library,
        album=args.album,
        album_wait=args.album_wait,
    )


def cmd_manage(args: argparse.Namespace, config: conf.Config) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["photonix manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photonix", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run everything on this machine (web, worker, beat, ...)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("web", help="run the web server (gunicorn)")
    p.add_argument("--workers", type=int, default=None, help="web worker processes")
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("worker", help="run a Celery worker")
    p.add_argument(
        "--queues",
        type=_parse_queues,
        default=list(QUEUE_NAMES),
        help=f"comma-separated queues to consume (default: all of {','.join(QUEUE_NAMES)})",
    )
    p.add_argument("--concurrency", type=int, default=None, help="worker child processes")
    p.set_defaults(func=cmd_worker)

    no_wait = "exit at once (code 1) when another instance holds the lock, instead of waiting"
    p = sub.add_parser("beat", help="run Celery beat (periodic tasks); one per installation")
    p.add_argument("--no-wait", action="store_true", help=no_wait)
    p.set_defaults(func=cmd_beat)

    p = sub.add_parser("watch", help="watch library folders for changes; one per installation")
    p.add_argument("--no-wait", action="store_true", help=no_wait)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("flower", help="run Flower, the Celery monitor for operators")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=None, help="port (default PHOTONIX_FLOWER_PORT)")
    p.set_defaults(func=cmd_flower)

    p = sub.add_parser("status", help="print database, broker and worker health")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for workers")
    p.add_argument(
        "--worker",
        default=None,
        metavar="NAME",
        help="only check that this worker answers a ping (photonix-all@host, as a healthcheck)",
    )
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("library", help="manage libraries")
    library_sub = p.add_subparsers(dest="library_command", required=True, metavar="ACTION")
    q = library_sub.add_parser("add", help="create a library (or add folders to one) and scan it")
    q.add_argument(
        "name",
        help="library name (an existing library gets the folders; its members stay as they are)",
    )
    q.add_argument("paths", nargs="+", metavar="PATH", help="folders of photos")
    q.add_argument("--no-watch", action="store_true", help="do not watch these folders")
    q.set_defaults(func=cmd_library_add)
    q = library_sub.add_parser("list", help="list libraries and their folders")
    q.set_defaults(func=cmd_library_list)

    p = sub.add_parser(
        "wait",
        help="wait until the whole pipeline is done: no job waiting or running, every file "
        "recorded, no photo pending or processing, every library's faces grouped into people",
    )
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds (default 3600)")
    p.set_defaults(func=cmd_wait)

    p = sub.add_parser("export", help="write a library's catalogue as JSON Lines")
    p.add_argument("--library", required=True, help="library name")
    p.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    p.add_argument(
        "--include-trash",
        action="store_true",
        help="list the files of photos in the trash too (left out by default)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("models", help="list, download or verify classifier models")
    models_sub = p.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    q = models_sub.add_parser("list", help="every model: bundled, present or missing")
    q.set_defaults(func=cmd_models)
    for action, text in (
        ("download", "download models now (all, or those named)"),
        ("verify", "check size and sha256 of models (all, or those named)"),
    ):
        q = models_sub.add_parser(action, help=text)
        q.add_argument("names", nargs="*", metavar="NAME")
        q.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "upload",
        help="send photos from this computer to a Photonix server (skips what it already has)",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    p.add_argument(
        "--server",
        default=os.environ.get("PHOTONIX_SERVER"),
        help="the server's address, http(s)://host:port (default: PHOTONIX_SERVER)",
    )
    p.add_argument(
        "--token",
        default=os.environ.get("PHOTONIX_TOKEN"),
        help="your API token (default: PHOTONIX_TOKEN, which keeps it out of the process list)",
    )
    p.add_argument("--library", default=None, help="library name (needed if you have several)")
    p.add_argument("--album", default=None, help="add the photos to this album (made if need be)")
    p.add_argument(
        "--album-wait",
        type=float,
        default=300.0,
        help="seconds to wait for the server to record the photos before adding them to the "
        "album (default 300)",
    )
    p.set_defaults(func=cmd_upload, local_config=False)

    p = sub.add_parser("manage", help="Django's manage.py (migrate, createsuperuser, shell, ...)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "local_config", True):
        # A client of a server elsewhere: this computer's settings (and data directory, where
        # reading them would create a secret key) are none of its business.
        client_result: int = args.func(args, None)
        return client_result
    try:
        config = conf.get()
    except conf.ConfigError as exc:
        print(f"photonix: configuration error: {exc}", file=sys.stderr)
        return 2
    if problems := config.check_production():
        # The settings refuse too, but with a traceback; say it plainly before anything starts.
        print("photonix: will not start in production mode:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    result: int = args.func(args, config)
    return result


if __name__ == "__main__":
    sys.exit(main())
