"""pledge-normalizer: aid pledges out of news text, as validated JSON."""
from .engine import extract_pledges

__version__ = "0.1.0"
__all__ = ["extract_pledges", "create_app", "__version__"]


def create_app(config=None):
    from .app import create_app as _create_app
    return _create_app(config)
