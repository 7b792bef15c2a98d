"""The one class of error a user can fix: the CLI prints its message as one line, never a traceback.

Every library error that is the user's to fix (a bad file, a missing model, a refused setting, an
unreachable server) derives from it, so the command line catches one class.
"""

from __future__ import annotations


class UserError(Exception):
    """Anything the user can fix; its message names what and where, in one line."""
