"""`pledges`: the service from the shell.

    pledges extract article.txt --published-at 2022-03-01        # the POST /v1/extract JSON
    pledges extract - --format csv < article.txt                  # one CSV row per pledge
    pledges batch corpus.jsonl -o results.jsonl --workers 4       # a corpus, in parallel
    pledges serve --port 8000 --workers 2                         # gunicorn, the service's config
    pledges ingest corpus.jsonl --db sqlite:///ledger.db          # articles into the pledge ledger
    pledges migrate --db postgresql://...                         # the ledger's schema, up to date

Exit status (sysexits.h where one fits): 0 success; 1 batch or ingest finished but some
records failed; 2 usage error; 65 the input text is unusable (empty, not UTF-8); 66 the input
file cannot be opened; 69 the ledger's database cannot be reached; 73 the output file cannot be
created; 78 FX_RATES_FILE is unreadable or not in the ECB format; 130 interrupted.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from . import __version__

EX_OK, EX_FAILED, EX_USAGE = 0, 1, 2
EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE, EX_CANTCREAT, EX_CONFIG = 65, 66, 69, 73, 78
EX_INTERRUPTED = 130

EPILOG = """exit status: 0 ok; 1 some batch or ingest records failed; 2 usage error; 65 unusable input
text; 66 input file not found or unreadable; 69 ledger database unreachable; 73 output file cannot
be created; 78 bad FX_RATES_FILE; 130 interrupted.

environment: FX_RATES_FILE=path to the ECB's eurofxref-hist.csv (or .zip) adds USD/EUR
equivalents to every amount (see --fx-rates)."""

# CSV columns: one row per pledge; nested objects flattened with "_" (evidence joined by " | ").
CSV_COLUMNS = [
    ("donor_name", ("donor", "name")), ("donor_code", ("donor", "code")), ("donor_type", ("donor", "type")),
    ("recipient_name", ("recipient", "name")), ("recipient_code", ("recipient", "code")),
    ("recipient_type", ("recipient", "type")),
    ("amount_value", ("amount", "value")), ("amount_upper", ("amount", "upper")),
    ("amount_currency", ("amount", "currency")), ("amount_text", ("amount", "text")),
    ("amount_qualifier", ("amount", "qualifier")), ("amount_currency_assumed", ("amount", "currency_assumed")),
    ("category", ("category",)), ("date", ("date",)), ("status", ("status",)),
    ("instrument", ("instrument",)), ("confidence", ("confidence",)),
]
CSV_FX_COLUMNS = [
    ("amount_usd", ("amount", "fx", "usd")), ("amount_usd_upper", ("amount", "fx", "usd_upper")),
    ("amount_eur", ("amount", "fx", "eur")), ("amount_eur_upper", ("amount", "fx", "eur_upper")),
    ("fx_usd_per_unit", ("amount", "fx", "usd_per_unit")), ("fx_eur_per_unit", ("amount", "fx", "eur_per_unit")),
    ("fx_rate_date", ("amount", "fx", "rate_date")), ("fx_date_basis", ("amount", "fx", "date_basis")),
]


class CliError(Exception):
    """A failure with its exit status; main() prints the message and exits with it."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ arguments

def _iso_date(value: str) -> date:
    """--published-at: YYYY-MM-DD or an RFC 3339 date-time, as the API accepts it."""
    from marshmallow import ValidationError

    from .api.schemas import DateOrDateTime
    try:
        return DateOrDateTime().deserialize(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD) or RFC 3339 date-time: {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return number


def _progress_options(command: argparse.ArgumentParser) -> None:
    progress = command.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show the progress bar (default: only on a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show it")


def build_parser() -> argparse.ArgumentParser:
    from .config import default_workers

    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="pledges", formatter_class=formatter, epilog=EPILOG,
        description="Read aid pledges out of news text: the pledge-normalizer service from the shell.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    fx_help = ("ECB eurofxref-hist.csv (or the .zip) for USD/EUR equivalents; "
               "default: $FX_RATES_FILE; '' turns FX off")

    extract = commands.add_parser(
        "extract", formatter_class=formatter, epilog=EPILOG,
        help="extract the pledges in one text (the POST /v1/extract answer)",
        description="Extract the pledges in one text and print what POST /v1/extract answers.\n\n"
                    "  json   the whole answer {pledges, totals, meta}, indented (default)\n"
                    "  jsonl  one pledge object per line\n"
                    "  csv    one row per pledge, nested fields flattened (donor_code, amount_value, ...),\n"
                    "         evidence passages joined by ' | '; FX columns when rates are configured")
    extract.add_argument("file", metavar="FILE", help="UTF-8 text file to read, or - for standard input")
    extract.add_argument("--published-at", type=_iso_date, metavar="DATE",
                         help="publication date, YYYY-MM-DD or RFC 3339 date-time; resolves 'on Tuesday'")
    extract.add_argument("--source-url", metavar="URL", help="echoed in meta.source_url")
    extract.add_argument("--format", choices=("json", "jsonl", "csv"), default="json", help="output format (default: json)")
    extract.add_argument("-o", "--output", metavar="OUT", default="-", help="write here instead of standard output")
    extract.add_argument("--fx-rates", metavar="PATH", help=fx_help)
    extract.set_defaults(handler=cmd_extract)

    batch = commands.add_parser(
        "batch", formatter_class=formatter, epilog=EPILOG,
        help="extract the pledges in a JSON Lines corpus, in parallel",
        description="Extract the pledges of every record of a JSON Lines corpus on a pool of processes.\n\n"
                    "Input line:  {\"id\": \"a1\" or 7, \"text\": \"...\", \"published_at\": \"2022-03-01\"?, \"source_url\"?}\n"
                    "Output line: {\"id\", \"line\", \"ok\": true, \"result\": <POST /v1/extract answer>}\n"
                    "         or: {\"id\" (null if unusable), \"line\", \"ok\": false, \"error\": <problem document>}\n\n"
                    "One output line per non-blank input line, in input order; a bad line (invalid JSON,\n"
                    "missing text, wrong types) gets an error record and the run goes on. A progress bar\n"
                    "and a summary (documents, pledges, errors, time) go to standard error.")
    batch.add_argument("input", metavar="IN.jsonl", help="JSON Lines corpus, or - for standard input")
    batch.add_argument("-o", "--output", metavar="OUT.jsonl", default="-", help="where to write (default: standard output)")
    batch.add_argument("-w", "--workers", type=_positive, default=default_workers(),
                       help="worker processes (default: usable cores, here %(default)s); 1 runs in-process")
    batch.add_argument("--chunk-size", type=_positive, default=16, metavar="N",
                       help="records handed to a worker at a time (default: %(default)s)")
    _progress_options(batch)
    batch.add_argument("--fx-rates", metavar="PATH", help=fx_help)
    batch.set_defaults(handler=cmd_batch)

    db_help = "the ledger's database (default: $DATABASE_URL, else sqlite:///ledger.db in this directory)"
    ingest = commands.add_parser(
        "ingest", formatter_class=formatter, epilog=EPILOG,
        help="add articles to the pledge ledger (a text file, or a JSON Lines corpus), resumably",
        description="Add articles to the deduplicated pledge ledger, each in its own transaction.\n\n"
                    "  FILE.jsonl  one article per line, as POST /v1/articles takes it:\n"
                    "              {\"text\", \"published_at\"?, \"url\"?, \"source\"?, \"external_id\"?}\n"
                    "              (a `pledges batch` corpus works too: source_url is read as url, id as external_id)\n"
                    "  FILE        any other file: one article, its whole text (--published-at, --url, ...)\n\n"
                    "An article whose text the ledger already holds is skipped before the engine runs, so\n"
                    "an interrupted run is resumed by running it again. A bad line is reported on standard\n"
                    "error with its number and the run goes on. Progress bar and summary on standard error.")
    ingest.add_argument("file", metavar="FILE|corpus.jsonl", help="a text file, a .jsonl corpus, or - (standard input)")
    ingest.add_argument("--db", metavar="URL", help=db_help)
    ingest.add_argument("--format", choices=("auto", "text", "jsonl"), default="auto",
                        help="auto (default): jsonl when FILE ends in .jsonl, else text")
    ingest.add_argument("--published-at", type=_iso_date, metavar="DATE", help="text FILE: its publication date")
    ingest.add_argument("--url", help="text FILE: its address (the same url with another text is a new revision)")
    ingest.add_argument("--source", help="text FILE: the outlet")
    ingest.add_argument("--external-id", help="text FILE: your own id for it")
    _progress_options(ingest)
    ingest.set_defaults(handler=cmd_ingest)

    migrate = commands.add_parser(
        "migrate", formatter_class=formatter, epilog=EPILOG,
        help="bring the ledger's database schema up to date (alembic upgrade head)",
        description="Run the ledger's Alembic migrations up to the newest (safe when several start at once:\n"
                    "PostgreSQL takes an advisory lock). docker-compose runs it before gunicorn.")
    migrate.add_argument("--db", metavar="URL", help=db_help)
    migrate.set_defaults(handler=cmd_migrate)

    serve = commands.add_parser(
        "serve", formatter_class=formatter, epilog=EPILOG,
        help="run the HTTP service under gunicorn with the repository's gunicorn.conf.py",
        description="Replace this process with gunicorn (exec, so it receives SIGTERM itself), "
                    "configured by gunicorn.conf.py.\nOptions are passed on as the environment "
                    "variables the service reads (PORT, BIND_HOST, WEB_CONCURRENCY, LOG_LEVEL,\n"
                    "FX_RATES_FILE); unset options keep the environment's values.")
    serve.add_argument("--host", help="interface to bind (BIND_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="TCP port (PORT; default 8000)")
    serve.add_argument("--workers", type=_positive, help="gunicorn worker processes (WEB_CONCURRENCY; default: usable cores)")
    serve.add_argument("--log-level", choices=("debug", "info", "warning", "error", "critical"), help="LOG_LEVEL")
    serve.add_argument("--fx-rates", metavar="PATH", help="FX_RATES_FILE for the service")
    serve.add_argument("--config", metavar="PATH",
                       help="gunicorn config file (default: gunicorn.conf.py of the source tree, else ./gunicorn.conf.py)")
    serve.set_defaults(handler=cmd_serve)
    return parser


# ------------------------------------------------------------------ shared helpers

def _fx_path(option: str | None) -> str | None:
    path = os.environ.get("FX_RATES_FILE") if option is None else option
    return path.strip() if path and path.strip() else None


def _load_fx(path: str | None):
    from . import fx
    try:
        return fx.rates_for(path)
    except (fx.FxRatesError, OSError) as exc:
        raise CliError(f"FX rates: {exc}", EX_CONFIG) from None


def _open_output(path: str, newline: str | None = None) -> IO[str]:
    if path == "-":
        if newline is not None:
            sys.stdout.reconfigure(newline=newline)
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise CliError(f"cannot create {path}: {exc.strerror}", EX_CANTCREAT) from None


def _dump_json(value, indent: int | None = None) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)


# ------------------------------------------------------------------ extract

def _read_text(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot open {path}: {exc.strerror}", EX_NOINPUT) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})", EX_DATAERR) from None


def _cell(record: dict, path: tuple) -> str:
    value = record
    for key in path:
        if not isinstance(value, dict):
            return ""
        value = value.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(pledges: list[dict], out: IO[str], with_fx: bool) -> None:
    columns = CSV_COLUMNS + (CSV_FX_COLUMNS if with_fx else []) + [("evidence", ("evidence",))]
    writer = csv.writer(out)
    writer.writerow([name for name, _ in columns])
    for pledge in pledges:
        row = [_cell(pledge, path) for name, path in columns[:-1]]
        row.append(" | ".join(span["text"] for span in pledge.get("evidence", ())))
        writer.writerow(row)


def cmd_extract(args) -> int:
    from . import fx, serialize
    from .api.schemas import ExtractResponseSchema

    rates = _load_fx(_fx_path(args.fx_rates))
    text = _read_text(args.file)
    if not text.strip():
        raise CliError(f"{args.file}: no text to read (empty or only whitespace)", EX_DATAERR)
    payload = fx.enrich_payload(serialize.run_extraction(text, args.published_at, args.source_url), rates)
    result = ExtractResponseSchema().dump(payload)
    out = _open_output(args.output, newline="" if args.format == "csv" else None)
    with contextlib.nullcontext(out) if out is sys.stdout else out:
        if args.format == "json":
            out.write(_dump_json(result, indent=2) + "\n")
        elif args.format == "jsonl":
            for pledge in result["pledges"]:
                out.write(_dump_json(pledge) + "\n")
        else:
            write_csv(result["pledges"], out, with_fx=rates is not None)
    return EX_OK


# ------------------------------------------------------------------ batch

def _numbered_chunks(stream: IO[bytes], size: int) -> Iterator[list[tuple[int, bytes]]]:
    """Non-blank lines with their 1-based numbers, *size* at a time."""
    chunk = []
    for line_no, raw in enumerate(stream, start=1):
        if raw.strip():
            chunk.append((line_no, raw))
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _count_records(path: str) -> int | None:
    """Non-blank lines in a regular file (for the progress bar's total); None for a pipe."""
    if path == "-" or not Path(path).is_file():
        return None
    with open(path, "rb") as stream:
        return sum(1 for raw in stream if raw.strip())


def _ignore_sigint() -> None:
    # Ctrl-C reaches every process of the group: only the parent reacts, and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_chunk(chunk: list[tuple[int, bytes]], fx_path: str | None) -> list[tuple[str, bool, int]]:
    """In a worker: each record as its output JSON line, whether it succeeded, its pledge count
    (the JSON is written here so the parent only copies text to the output)."""
    from .batch import extract_lines
    return [(_dump_json(record), record["ok"], len(record["result"]["pledges"]) if record["ok"] else 0)
            for record in extract_lines(chunk, fx_path)]


def _ordered_results(chunks: Iterator[list], workers: int,
                     fx_path: str | None) -> Iterator[list[tuple[str, bool, int]]]:
    """Each chunk's results, in input order; at most 4 chunks per worker in flight, so a
    corpus of any size streams through in constant memory."""
    if workers == 1:
        for chunk in chunks:
            yield _extract_chunk(chunk, fx_path)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .serialize import run_extraction
    run_extraction("Warm-up.")  # load the engine's data once, before the workers fork
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint) as pool:
        pending = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(_extract_chunk, chunk, fx_path))
                if len(pending) >= workers * 4:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _progress_bar(total: int | None, enabled: bool | None):
    from tqdm import tqdm
    # disable=None: tqdm shows the bar only when standard error is a terminal.
    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True,
                disable=None if enabled is None else not enabled)


def _open_input(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"cannot open {path}: {exc.strerror}", EX_NOINPUT) from None


def cmd_batch(args) -> int:
    fx_path = _fx_path(args.fx_rates)
    _load_fx(fx_path)  # fail now, not in every worker, if the file is bad
    started = time.perf_counter()
    documents = pledges = errors = 0
    with contextlib.ExitStack() as stack:
        source = sys.stdin.buffer if args.input == "-" else stack.enter_context(_open_input(args.input))
        total = _count_records(args.input)
        out = _open_output(args.output)
        if out is not sys.stdout:
            stack.enter_context(out)
        bar = stack.enter_context(_progress_bar(total, args.progress))
        # closing(): on an error or Ctrl-C the pool is shut down here, not whenever GC gets to it.
        chunks = stack.enter_context(contextlib.closing(
            _ordered_results(_numbered_chunks(source, args.chunk_size), args.workers, fx_path)))
        for results in chunks:
            for line, ok, pledge_count in results:
                out.write(line + "\n")
                documents += 1
                pledges += pledge_count
                errors += not ok
            bar.update(len(results))
        out.flush()
    elapsed = time.perf_counter() - started
    rate = documents / elapsed if elapsed > 0 else 0.0
    print(f"pledges batch: {documents} documents, {documents - errors} ok, {errors} errors, "
          f"{pledges} pledges in {elapsed:.2f} s ({rate:.1f} documents/s, {args.workers} workers)",
          file=sys.stderr)
    return EX_FAILED if errors else EX_OK


# ------------------------------------------------------------------ ledger: ingest, migrate

def _ledger(option: str | None):
    from .ledger.db import Ledger
    return Ledger(option or os.environ.get("DATABASE_URL"))


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


def _unreachable(ledger, exc) -> CliError:
    return CliError(f"cannot use the ledger at {_shown_url(ledger.url)}: {type(exc).__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''}", EX_UNAVAILABLE)


def _ingest_records(args) -> Iterator[tuple[int, object]]:
    """(line number, record) for a corpus; (1, loaded article) for a text file."""
    from .ledger.ingest import text_article
    jsonl = args.format == "jsonl" or (args.format == "auto" and args.file.endswith(".jsonl"))
    if not jsonl:
        text = _read_text(args.file)
        if not text.strip():
            raise CliError(f"{args.file}: no text to read (empty or only whitespace)", EX_DATAERR)
        yield 1, text_article(text, args.published_at, args.url, args.source, args.external_id)
        return
    with contextlib.ExitStack() as stack:
        source = sys.stdin.buffer if args.file == "-" else stack.enter_context(_open_input(args.file))
        for line_no, raw in enumerate(source, start=1):
            if raw.strip():
                yield line_no, raw


def cmd_ingest(args) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError

    from .ledger.ingest import ingest_loaded, ingest_record
    ledger = _ledger(args.db)
    counts = dict.fromkeys(("created", "revised", "known", "error"), 0)
    linked: set[int] = set()
    started = time.perf_counter()
    jsonl = args.format == "jsonl" or (args.format == "auto" and args.file.endswith(".jsonl"))
    total = _count_records(args.file) if jsonl else 1
    try:
        with _progress_bar(total, args.progress) as bar:
            for line_no, record in _ingest_records(args):
                outcome = ingest_record(ledger, record) if jsonl else ingest_loaded(ledger, record)
                counts[outcome["status"]] += 1
                linked.update(outcome.get("pledges", ()))
                if outcome["status"] == "error":
                    error = outcome["error"]
                    where = "; ".join(f"{e['pointer'] or '/'}: {e['detail']}" for e in error.get("errors", ()))
                    bar.write(f"pledges ingest: {args.file}:{line_no}: {error['detail']}"
                              + (f" ({where})" if where else ""), file=sys.stderr)
                bar.update(1)
    except (OperationalError, InterfaceError) as exc:
        _ingest_summary(args, ledger, counts, linked, started)
        raise _unreachable(ledger, exc) from None
    finally:
        ledger.dispose()
    _ingest_summary(args, ledger, counts, linked, started)
    return EX_FAILED if counts["error"] else EX_OK


def _ingest_summary(args, ledger, counts: dict, linked: set, started: float) -> None:
    elapsed = time.perf_counter() - started
    done = sum(counts.values())
    rate = done / elapsed if elapsed > 0 else 0.0
    print(f"pledges ingest: {done} records: {counts['created']} new, {counts['revised']} revised, "
          f"{counts['known']} already known (skipped), {counts['error']} errors; {len(linked)} ledger pledges "
          f"touched; {elapsed:.2f} s ({rate:.1f} articles/s) into {_shown_url(ledger.url)}", file=sys.stderr)


def cmd_migrate(args) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError

    from .ledger import db
    ledger = _ledger(args.db)
    engine = db.make_engine(ledger.url)
    try:
        db.upgrade(engine)
        revision = db.current_revision(engine)
    except (OperationalError, InterfaceError) as exc:
        raise _unreachable(ledger, exc) from None
    finally:
        engine.dispose()
    print(f"pledges migrate: {_shown_url(ledger.url)} is at revision {revision}", file=sys.stderr)
    return EX_OK


# ------------------------------------------------------------------ serve

def _gunicorn_config(option: str | None) -> Path:
    candidates = [Path(option)] if option else [
        Path(__file__).resolve().parent.parent / "gunicorn.conf.py",  # source tree / editable install
        Path.cwd() / "gunicorn.conf.py",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise CliError("gunicorn config not found: " + ", ".join(map(str, candidates)) + " (use --config)",
                   EX_NOINPUT)


def cmd_serve(args) -> int:
    config = _gunicorn_config(args.config)
    env = dict(os.environ)
    for name, value in (("BIND_HOST", args.host), ("PORT", args.port), ("WEB_CONCURRENCY", args.workers),
                        ("LOG_LEVEL", args.log_level), ("FX_RATES_FILE", args.fx_rates)):
        if value is not None:
            env[name] = str(value)
    _load_fx(_fx_path(env.get("FX_RATES_FILE")))  # a bad rates file: say so before gunicorn starts
    argv = [sys.executable, "-m", "gunicorn", "-c", str(config), "service.wsgi:app"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, env)  # gunicorn takes over this pid: signals go straight to it
    return EX_OK  # not reached


# ------------------------------------------------------------------ entry point

def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CliError as exc:
        print(f"pledges {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print(f"pledges {args.command}: interrupted", file=sys.stderr)
        return EX_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`pledges ... | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EX_OK


if __name__ == "__main__":
    sys.exit(main())
