"""`araft push RUN --repo-id ORG/NAME [--private] [--revision BRANCH] [--create-pr]
[--dry-run] [--out DIR] [--license ID]`.

Stages the run's model, tokenizer, araft settings and model card into a folder (RUN/push unless
--out), then uploads that folder. --dry-run stops after staging. The token comes from HF_TOKEN or
the saved login, the endpoint from HF_ENDPOINT; neither is written anywhere.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from araft.errors import ConfigError


def check_repo_id(repo_id: str) -> str:
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if repo_id.count("/") != 1:
        raise ConfigError(f"--repo-id {repo_id!r}: expected ORG/NAME (or USER/NAME)")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as err:
        raise ConfigError(f"--repo-id {repo_id!r}: {err}") from None
    return repo_id


def push_run(run: str | Path, repo_id: str, *, token: str | None = None,
             endpoint: str | None = None, private: bool = False, revision: str | None = None,
             create_pr: bool = False, dry_run: bool = False, out: str | Path | None = None,
             license: str | None = None):
    """Stage a finished run and (unless ``dry_run``) upload it.

    Returns the StagedFolder for a dry run, else a PushResult. ``token`` None means no token:
    the caller resolves it (araft.hub.upload.resolve_token), so this function reads no
    environment."""
    from araft.hub.staging import default_stage_dir, stage_run
    from araft.hub.upload import upload_staged

    check_repo_id(repo_id)
    staged = stage_run(run, out if out is not None else default_stage_dir(run), repo_id=repo_id,
                       license=license)
    if dry_run:
        return staged
    return upload_staged(staged.path, repo_id, token=token, endpoint=endpoint, private=private,
                         revision=revision, create_pr=create_pr)


def _run(args: argparse.Namespace) -> int:
    from araft.hub.upload import resolve_token

    token = None if args.dry_run else resolve_token()
    result = push_run(args.run, args.repo_id, token=token,
                      endpoint=os.environ.get("HF_ENDPOINT") or None, private=args.private,
                      revision=args.revision, create_pr=args.create_pr, dry_run=args.dry_run,
                      out=args.out, license=args.license)
    if args.dry_run:
        print(f"staged {len(result.files)} file(s) in {result.path} (dry run: nothing uploaded)")
        for name in result.files:
            print(f"  {name}")
        return 0
    print(f"pushed {args.run} to {result.repo_url}")
    if result.pr_url:
        print(f"pull request: {result.pr_url}")
    elif result.commit_url:
        print(f"commit: {result.commit_url}")
    print(f"staged folder: {result.staged}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("push", help="publish a run's model with a model card on the Hugging Face Hub")
    p.add_argument("run", help="run directory (with model/, metrics.json, run.json)")
    p.add_argument("--repo-id", required=True, help="ORG/NAME of the model repository")
    p.add_argument("--private", action="store_true", help="create the repository as private")
    p.add_argument("--revision", default=None, help="branch to push to (created if missing)")
    p.add_argument("--create-pr", action="store_true", help="open a pull request instead of committing")
    p.add_argument("--dry-run", action="store_true", help="stage the folder only; upload nothing")
    p.add_argument("--out", default=None, help="staging folder (default: RUN/push)")
    p.add_argument("--license", default=None,
                   help="license id for the card (default: from the data and base model licenses)")
    p.set_defaults(func=_run)
