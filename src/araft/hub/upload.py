"""Upload a staged folder with huggingface_hub: create_repo(exist_ok=True), then upload_folder.

Failures become a PushError that says what went wrong in words, where the staged folder is kept,
and that the same command can be re-run. The token is passed in (never read here from global
state), never logged, and scrubbed from any message that could echo it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from araft.errors import AraftError

NO_TOKEN = ("no Hugging Face token: set HF_TOKEN, or log in once with `hf auth login` "
            "(a write token is needed)")


class PushError(AraftError):
    """The upload did not happen (or not completely); the staged folder is kept."""

    def __init__(self, reason: str, *, staged: str | Path | None = None):
        self.reason = reason
        self.staged = None if staged is None else Path(staged)
        tail = (f"\nThe staged folder is kept at {self.staged}; fix the cause and run the same "
                "`araft push` command again.") if staged is not None else ""
        super().__init__(reason + tail)


@dataclass
class PushResult:
    repo_url: str
    commit_url: str | None
    pr_url: str | None
    staged: Path


def resolve_token(explicit: str | None = None) -> str | None:
    """The token to use: ``explicit``, else HF_TOKEN or the saved login (huggingface_hub's
    get_token reads both at call time)."""
    if explicit:
        return explicit
    from huggingface_hub import get_token

    return get_token()


def _scrub(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


def explain(err: BaseException, *, repo_id: str, endpoint: str, token: str | None) -> str:
    """A message a user can act on, for the errors huggingface_hub raises."""
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if isinstance(err, OfflineModeIsEnabled):
        return "HF_HUB_OFFLINE is set: unset it to push (the upload needs the network)"
    if isinstance(err, HfHubHTTPError):
        status = err.response.status_code if err.response is not None else None
        server = _scrub((err.server_message or "").strip(), token)
        said = f" The server said: {server}" if server else ""
        if status == 401:
            return f"the Hub rejected the token (401 Unauthorized) at {endpoint}.{said}"
        if status == 403:
            return (f"no write access to {repo_id} (403 Forbidden): the repository or its namespace "
                    "belongs to another owner, or the token has no write permission there. Use a "
                    f"repository id in your own namespace or an organisation you can write to.{said}")
        if status == 409:
            return (f"{repo_id} conflicts with an existing repository (409 Conflict), e.g. one under "
                    f"another owner or of another type.{said}")
        if status == 404:
            return (f"{repo_id} or the target branch was not found (404) at {endpoint}.{said}")
        return f"the Hub answered {status} at {endpoint}: {_scrub(str(err), token)}"
    if isinstance(err, (ConnectionError, TimeoutError, OSError)) or _is_network(err):
        return (f"cannot reach the Hub at {endpoint} ({type(err).__name__}: "
                f"{_scrub(str(err), token) or 'no details'}); check the network or HF_ENDPOINT")
    return f"upload failed ({type(err).__name__}): {_scrub(str(err), token)}"


def _is_network(err: BaseException) -> bool:
    try:
        import httpx2
    except ImportError:  # huggingface_hub's HTTP client; only its transport errors matter here
        return False
    return isinstance(err, httpx2.TransportError)


def upload_staged(folder: str | Path, repo_id: str, *, token: str | None,
                  endpoint: str | None = None, private: bool = False, revision: str | None = None,
                  create_pr: bool = False, commit_message: str | None = None) -> PushResult:
    """Create the repository if needed and upload ``folder`` to it (one commit, or a PR)."""
    from huggingface_hub import HfApi

    from araft.hub.staging import MARKER

    folder = Path(folder)
    if not token:
        raise PushError(NO_TOKEN, staged=folder)
    if create_pr and revision not in (None, "main"):
        raise PushError("--create-pr opens a pull request against the default branch: leave out "
                        "--revision (or use --revision without --create-pr)", staged=folder)
    api = HfApi(endpoint=endpoint, token=token)
    where = api.endpoint
    try:
        repo_url = api.create_repo(repo_id, private=True if private else None, exist_ok=True)
        if revision and revision != "main":
            api.create_branch(repo_id, branch=revision, exist_ok=True)
        info = api.upload_folder(repo_id=repo_id, folder_path=folder, revision=revision,
                                 create_pr=create_pr or None, ignore_patterns=[MARKER],
                                 commit_message=commit_message or "Upload model trained with araft")
    except Exception as err:  # every failure is reported the same way: reason + staged folder
        raise PushError(explain(err, repo_id=repo_id, endpoint=where, token=token),
                        staged=folder) from None
    return PushResult(str(repo_url), getattr(info, "commit_url", None),
                      getattr(info, "pr_url", None), folder)
