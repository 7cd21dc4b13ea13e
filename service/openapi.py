"""`python -m service.openapi [--write PATH]`: the OpenAPI document the code generates
(make openapi writes openapi.yaml with it).

The command lives here, above the app, so that service.api.spec (imported by the app's docs
blueprint) needs no import of the app: no import cycle.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .api.spec import generate_spec, render_yaml
from .app import create_app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write the OpenAPI document the code generates.")
    parser.add_argument("--write", metavar="PATH", help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = render_yaml(generate_spec(create_app({"WARM_UP": False})))
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
