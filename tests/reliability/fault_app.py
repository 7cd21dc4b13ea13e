"""The real app with fault hooks, for gunicorn fault tests (not used by the service).

    FAULT-SLEEP <seconds> ...   the engine first writes its pid to $FAULT_MARKER_DIR/<pid>
                                (the request is in flight) and sleeps, then reads the text
    FAULT_ENGINE_BROKEN=1       the engine raises: warm-up fails, /readyz must say not ready
"""
import os
import time

from service import create_app, engine

_real_extract = engine.extract_pledges


def extract_pledges(text, published_at=None):
    if os.environ.get("FAULT_ENGINE_BROKEN") == "1":
        raise RuntimeError("engine data missing")
    if text.startswith("FAULT-SLEEP "):
        marker_dir = os.environ.get("FAULT_MARKER_DIR")
        if marker_dir:
            with open(os.path.join(marker_dir, str(os.getpid())), "w") as marker:
                marker.write("in flight")
        time.sleep(float(text.split()[1]))
    return _real_extract(text, published_at=published_at)


engine.extract_pledges = extract_pledges
app = create_app()
