"""argparse without echoing secrets: a mistyped `--token VALUE` ends in argparse's
"unrecognized arguments: ..." error, which would print the token to the terminal and to any log
that captures stderr. The parser class below scrubs such values before printing."""
from __future__ import annotations

import argparse
import re

# an option whose name says it carries a secret, followed by its value (`--token X`, `--token=X`)
_SECRET_OPTION = re.compile(r"(--?[\w-]*(?:token|secret|password|passwd|api[-_]?key)[\w-]*)(=|\s+)(\S+)",
                            re.IGNORECASE)
# a Hugging Face token anywhere (e.g. after a mistyped option name)
_HF_TOKEN = re.compile(r"\bhf_[A-Za-z0-9]{6,}")


def redact(message: str) -> str:
    message = _SECRET_OPTION.sub(lambda m: f"{m.group(1)}{m.group(2)}***", message)
    return _HF_TOKEN.sub("hf_***", message)


class RedactingParser(argparse.ArgumentParser):
    """Subparsers made from it are of the same class (argparse's default parser_class)."""

    def error(self, message: str):
        super().error(redact(message))
