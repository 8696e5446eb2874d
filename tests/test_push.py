"""`araft push` over real HTTP to a local stand-in of the Hub (tests/hub_standin.py, 127.0.0.1
only): files arrive byte-identical, the token never lands in a file or the output, and every
failure says why, keeps the staged folder and can be re-run."""
from __future__ import annotations

import logging
import os
import secrets
import socket
import string
import subprocess
import sys
from pathlib import Path

import pytest

from hub_standin import HubStandin
from test_card import ROOT, _scores, fake_run

pytestmark = pytest.mark.filterwarnings("ignore")


def fake_token() -> str:
    # assembled at runtime: no token-like string is committed
    return "hf_" + "".join(secrets.choice(string.ascii_letters) for _ in range(34))


@pytest.fixture
def token() -> str:
    return fake_token()


@pytest.fixture
def hub(token):
    with HubStandin(token) as standin:  # the server thread stops when the test ends
        yield standin


def _point_at(monkeypatch, endpoint: str) -> None:
    """What a process started with HF_ENDPOINT set sees (huggingface_hub reads it at import)."""
    import huggingface_hub.constants as hf_constants

    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setattr(hf_constants, "ENDPOINT", endpoint)


@pytest.fixture
def online(monkeypatch, tmp_path, hub, token):
    """In-process: huggingface_hub online, aimed at the stand-in, with only HF_TOKEN as login."""
    import huggingface_hub.constants as hf_constants

    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_constants, "HF_TOKEN_PATH", str(tmp_path / "no-saved-token"))
    monkeypatch.setenv("HF_TOKEN", token)
    monkeypatch.setenv("NO_COLOR", "1")  # keeps huggingface_hub's terminal helpers off the network
    _point_at(monkeypatch, hub.url)
    return hub


@pytest.fixture
def small_run(tmp_path):
    data = {"train": ROOT / "data" / "anercorp" / "train.conll",
            "dev": ROOT / "data" / "anercorp" / "dev.conll"}
    return fake_run(tmp_path / "run", data=data, splits={"dev": _scores(0.8, 0.7)},
                    weights=os.urandom(4096))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != ".araft-staged"}


def _no_token_anywhere(token: str, folder: Path, *texts: str) -> None:
    for name, data in _tree(folder).items():
        assert token.encode() not in data, f"token written into {name}"
    for text in texts:
        assert token not in text


def test_end_to_end_upload_of_the_seed_run(seed_ner_run, hub, token, tmp_path):
    """The real CLI in its own process, as a user runs it: HF_TOKEN + HF_ENDPOINT."""
    run, _ = seed_ner_run
    stage = tmp_path / "stage"
    env = {**os.environ, "HF_TOKEN": token, "HF_ENDPOINT": hub.url, "HF_HUB_OFFLINE": "0",
           "HF_HOME": str(tmp_path / "hf_home"), "NO_COLOR": "1", "HF_DEBUG": "0"}
    env.pop("TRANSFORMERS_OFFLINE", None)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from araft.cli import main; sys.exit(main())",
         "push", str(run), "--repo-id", "araft-user/seed-ner", "--out", str(stage)],
        env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{hub.url}/araft-user/seed-ner" in proc.stdout
    staged = _tree(stage)
    assert {"README.md", "config.json", "model.safetensors", "tokenizer.json",
            "araft_metrics.json"} <= set(staged)
    assert "training_args.bin" not in staged
    assert hub.files("araft-user/seed-ner") == staged  # every file, byte-identical
    assert staged["model.safetensors"] == (run / "model" / "model.safetensors").read_bytes()
    assert hub.unhandled == []
    _no_token_anywhere(token, stage, proc.stdout, proc.stderr)
    assert all(token.encode() not in data for data in hub.files("araft-user/seed-ner").values())


def test_pull_request_and_branch(online, small_run, tmp_path, token, caplog, capsys):
    from araft.cli.push import push_run

    caplog.set_level(logging.DEBUG)
    stage = tmp_path / "stage"
    pr = push_run(small_run, "araft-user/ner", token=token, endpoint=online.url, out=stage,
                  create_pr=True)
    assert pr.pr_url and pr.pr_url.endswith("/discussions/1")
    assert online.files("araft-user/ner", "refs/pr/1") == _tree(stage)
    assert online.files("araft-user/ner", "main") == {}  # a PR leaves main alone
    push_run(small_run, "araft-user/ner", token=token, endpoint=online.url, out=stage,
             revision="experiments")
    assert online.files("araft-user/ner", "experiments") == _tree(stage)
    out = capsys.readouterr()
    _no_token_anywhere(token, stage, caplog.text, out.out, out.err)


def test_no_token(online, small_run, tmp_path, monkeypatch, capsys):
    from araft.cli import main

    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    stage = tmp_path / "stage"
    rc = main(["push", str(small_run), "--repo-id", "araft-user/ner", "--out", str(stage)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "no Hugging Face token" in err and "HF_TOKEN" in err
    assert f"kept at {stage}" in err and (stage / "README.md").is_file()
    assert online.requests == []  # nothing was sent


def test_repository_of_another_owner(online, small_run, tmp_path, token, capsys, caplog):
    from araft.cli import main

    caplog.set_level(logging.DEBUG)
    online.add_foreign_repo("someone-else/ner")
    stage = tmp_path / "stage"
    rc = main(["push", str(small_run), "--repo-id", "someone-else/ner", "--out", str(stage)])
    out = capsys.readouterr()
    assert rc == 2
    assert "403" in out.err and "another owner" in out.err
    assert f"kept at {stage}" in out.err and (stage / "model.safetensors").is_file()
    assert online.files("someone-else/ner") == {}
    _no_token_anywhere(token, stage, out.out, out.err, caplog.text)


def test_connection_refused_then_rerun(online, small_run, tmp_path, token, monkeypatch, capsys,
                                       caplog):
    from araft.cli import main

    caplog.set_level(logging.DEBUG)
    stage = tmp_path / "stage"
    args = ["push", str(small_run), "--repo-id", "araft-user/ner", "--out", str(stage)]
    with socket.socket() as closed:  # bound, never listening: connecting is refused
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
        _point_at(monkeypatch, dead)
        rc = main(args)
    out = capsys.readouterr()
    assert rc == 2
    assert f"cannot reach the Hub at {dead}" in out.err and "Connection refused" in out.err
    assert f"kept at {stage}" in out.err and (stage / "README.md").is_file()
    _no_token_anywhere(token, stage, out.out, out.err, caplog.text)
    _point_at(monkeypatch, online.url)  # the network is back: the same command goes through
    assert main(args) == 0
    assert online.files("araft-user/ner") == _tree(stage)


def test_dry_run_stages_without_a_token(small_run, tmp_path, monkeypatch, capsys):
    from araft.cli import main

    monkeypatch.delenv("HF_TOKEN", raising=False)
    stage = tmp_path / "stage"
    assert main(["push", str(small_run), "--repo-id", "org/ner", "--dry-run", "--out", str(stage)]) == 0
    assert "dry run" in capsys.readouterr().out
    assert (stage / "README.md").is_file()


def test_bad_repo_id_and_pr_with_branch(small_run, tmp_path, capsys):
    from araft.cli import main

    assert main(["push", str(small_run), "--repo-id", "no-namespace", "--dry-run"]) == 2
    assert "ORG/NAME" in capsys.readouterr().err
    from araft.hub.upload import PushError, upload_staged

    with pytest.raises(PushError, match="--create-pr"):
        upload_staged(tmp_path, "org/ner", token=fake_token(), create_pr=True, revision="dev")
