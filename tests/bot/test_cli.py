"""The command line as a user meets it: one clear line for every mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.web import LocalWeb


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (
        "BOT_TOKEN",
        "DATABASE_URL",
        "PAGE_SIZE",
        "SEED",
        "ALLOW_PRIVATE_HOSTS",
        "LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_search_on_a_fresh_directory_seeds_and_finds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Bayramov", "ECO"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("#3 ") and "[Bayramov]" in out


def test_log_levels_are_read_in_any_case(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "warning")
    assert main(["latest", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_settings_come_from_a_dot_env_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text(
        f"DATABASE_URL=sqlite+aiosqlite:///{tmp_path}/other.db\nSEED=false\n"
    )
    assert main(["latest"]) == 0
    assert "The store is empty." in capsys.readouterr().out
    assert (tmp_path / "other.db").exists()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PAGE_SIZE": "lots"}, "error: bad setting: PAGE_SIZE"),
        ({"LOG_LEVEL": "loud"}, "error: bad setting: LOG_LEVEL: unknown level 'loud'"),
        ({"LOG_LEVEL": ""}, "error: bad setting: LOG_LEVEL: unknown level ''"),
        ({"DATABASE_URL": "nonsense://"}, "error: cannot use DATABASE_URL"),
        (
            {"DATABASE_URL": "sqlite+aiosqlite:////no/such/dir/x.db"},
            "error: cannot open the database",
        ),
    ],
)
def test_bad_settings_get_one_line(
    env: dict[str, str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["latest"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(expected) and "\n" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["summary", "999"], "error: No article with id 999."),
        (["search", "🙂"], "error: Give me some words to search for."),
        (["feeds", "add", "ftp://x"], "error: a feed URL must start with http:// or https://"),
    ],
)
def test_domain_errors_are_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == expected


def test_feeds_are_added_listed_and_removed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "add", "--as-is", "https://news.example/rss"]) == 0
    assert main(["feeds", "list"]) == 0
    assert "#1  https://news.example/rss" in capsys.readouterr().out
    assert main(["feeds", "remove", "1"]) == 0
    assert main(["feeds", "remove", "1"]) == 1
    assert main(["feeds", "list"]) == 0
    assert "No feeds." in capsys.readouterr().out


def test_feed_poll_fetches_private_hosts_only_when_allowed(
    site: LocalWeb, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{site.base}/feed.xml"
    assert main(["feeds", "add", "--as-is", url]) == 0
    assert main(["feeds", "poll"]) == 0
    out, err = capsys.readouterr()
    assert f"{url}: 0 new" in out and "127.0.0.1 is a loopback address" in err
    assert site.requests == []
    monkeypatch.setenv("ALLOW_PRIVATE_HOSTS", "true")
    assert main(["feeds", "poll"]) == 0
    assert f"{url}: 2 new" in capsys.readouterr().out


@pytest.mark.parametrize("typed", ["99999999999999999999999", "9223372036854775808", "0"])
def test_an_id_no_article_can_have_is_no_such_article(
    typed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", typed]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"error: No article with id {typed}."
    assert captured.out == ""


@pytest.mark.parametrize(
    ("argv", "argument"),
    [
        (["latest", "0"], "N"),
        (["latest", "-3"], "N"),
        (["latest", "11"], "N"),
        (["latest", "²"], "N"),
        (["search", "--limit", "-1", "summit"], "--limit"),
        (["search", "--limit", "0", "summit"], "--limit"),
        (["search", "--limit", "٣", "summit"], "--limit"),
        (["summary", "3", "--sentences", "²"], "--sentences"),
        (["summary", "3", "--sentences", "0"], "--sentences"),
        (["feeds", "remove", "²"], "ID"),
    ],
)
def test_numbers_out_of_the_bots_ranges_get_one_line(
    argv: list[str], argument: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith(f"error: argument {argument}: expected a whole number from ")
    assert "\n" not in err and captured.out == ""


def test_a_number_written_in_other_digits_is_not_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "²"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: “²” is not a number") and "\n" not in err


def test_removing_a_feed_id_beyond_any_row_says_there_is_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["feeds", "remove", "99999999999999999999999"]) == 1
    assert capsys.readouterr().out.strip() == "no feed #99999999999999999999999"


def test_ingest_names_each_bad_jsonl_line_and_adds_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = tmp_path / "wire.jsonl"
    story = '{{"title": "Wire {n}", "body": "Wire story {n} about the Caspian ferry line."}}'
    wire.write_text(f"{story.format(n=1)}\n{{broken\n{story.format(n=2)}\n", encoding="utf-8")
    assert main(["ingest", str(wire)]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"skipped {wire}:2: not JSON (Expecting property name enclosed in double quotes)"
    ]
    assert captured.out.strip() == "added 2, duplicates skipped 0, failed files 0, bad lines 1"


def test_ingest_into_a_fresh_store_adds_only_the_teams_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = tmp_path / "wire.jsonl"
    wire.write_text('{"title": "Ours", "body": "Our own story about the port."}\n')
    assert main(["ingest", str(wire)]) == 0
    capsys.readouterr()
    assert main(["latest", "--json", "10"]) == 0
    titles = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(titles) == 1 and '"title": "Ours"' in titles[0]  # no seed came with it


def test_a_reader_that_stops_early_ends_the_cli_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "LOG_LEVEL": "WARNING"}
    # Far more than a pipe holds, so the writer meets the closed pipe.
    command = f"yes Bayramov | head -n 3000 | {sys.executable} -m bot search --json - | head -c 10"
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout and result.stderr == ""


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["summary", "election", "2024"], "error: expected ID or WORDS, then optionally N from 1"),
        (["trend", "summit", "9999", "--out", "t.png"], "error: expected WORDS, then optionally"),
    ],
)
def test_a_trailing_number_out_of_range_gets_the_usage_in_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(expected) and "\n" not in err


def test_ingesting_a_path_that_is_not_there_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(tmp_path / "nonexistent")]) == 1
    assert f"skipped {tmp_path / 'nonexistent'}: no such file or folder" in capsys.readouterr().err


def test_articles_from_a_folder_name_their_file_within_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    for section, story in (("business", "Markets rally on Monday."), ("tech", "Chips ship.")):
        (tmp_path / "bbc" / section).mkdir(parents=True)
        (tmp_path / "bbc" / section / "290.txt").write_text(f"{section} news\n\n{story}\n")
    assert main(["ingest", str(tmp_path / "bbc")]) == 0
    capsys.readouterr()
    assert main(["latest", "--json", "2"]) == 0
    sources = {json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()}
    assert sources == {"business/290.txt", "tech/290.txt"}  # not two bare "290.txt"


def test_delete_prints_what_it_removed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latest", "1"]) == 0  # a fresh directory: the bot's store, seeded
    capsys.readouterr()
    assert main(["delete", "2", "77"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "deleted 1: #2 (digest entries removed: 0 not yet sent, 0 sent)",
        "no such article: #77",
    ]
    assert main(["delete", "--json", "2"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "removed": [],
        "unknown": [2],
        "pending_digest_rows": 0,
        "sent_digest_rows": 0,
    }
    assert main(["summary", "2"]) == 2
    assert "No article with id 2." in capsys.readouterr().err


@pytest.mark.parametrize("word", ["x", "²", "1" * 500])
def test_delete_refuses_a_forged_id_in_one_line(
    word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["delete", word]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 200
