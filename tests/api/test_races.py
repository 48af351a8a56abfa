"""Retries that race: the same batch sent by several connections at once to gunicorn's workers.

The database's unique index decides: every item is stored once, accepted by exactly one
request and a duplicate for the others, and the totals (logins, points) count it once.
"""

import json
import threading

import pytest

from tests.serving.live import flask, gunicorn, production_env

pytestmark = pytest.mark.slow
SENDERS = 6


def _token(env: dict) -> str:
    result = flask(env, "api-clients", "create", "racer", "--scope", "activity:write", "--scope",
                   "roster:write", "--rate-limit", "100000")  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _batch() -> list[dict]:
    items = []
    for n in range(30):
        start = f"2026-03-0{1 + n % 9}T0{n % 10}:00:00+05:30"
        items.append({"type": "session", "id": f"s{n}", "learner": "L1", "started_at": start,
                      "ended_at": start.replace(":00:00+", ":40:00+"), "duration_seconds": 2400,
                      "content_type": "video", "completed": True})  # fmt: skip
        items.append({"type": "session_event", "id": f"e{n}", "learner": "L1", "session": f"s{n}",
                      "event_type": "start", "occurred_at": start})  # fmt: skip
        items.append({"type": "daily_login", "id": f"d{n}", "learner": "L1", "at": start})
        items.append({"type": "points", "id": f"p{n}", "learner": "L1", "amount": n + 1, "earned_at": start})
    return items


def test_racing_retries_store_each_item_once(migrated_url, tmp_path):
    env = production_env(migrated_url)
    headers = {"Authorization": f"Bearer {_token(env)}", "Content-Type": "application/json"}
    items = _batch()
    body = json.dumps({"items": items}).encode()
    with gunicorn(env, tmp_path / "gunicorn.log", workers=4) as server:
        roster = json.dumps(
            {"items": [{"type": "learner", "id": "L1", "name": "Asha", "timezone": "Asia/Kolkata"}]}
        )
        assert server.request("POST", "/api/v1/roster", roster.encode(), headers)[0] == 200
        start, answers = threading.Barrier(SENDERS), []

        def send() -> None:
            start.wait(timeout=30)
            answers.append(server.request("POST", "/api/v1/activity", body, headers))

        threads = [threading.Thread(target=send) for _ in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert [status for status, _, _ in answers] == [200] * SENDERS, server.output()[-3000:]
        results = [json.loads(text)["results"] for _, _, text in answers]
        for index, item in enumerate(items):
            seen = sorted(r[index]["status"] for r in results)
            assert seen == ["accepted"] + ["duplicate"] * (SENDERS - 1), (item["id"], seen)
    _assert_stored_once(migrated_url, len(items) // 4)


def _assert_stored_once(url: str, each: int) -> None:
    from sqlalchemy import create_engine, text

    from webapp.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        tables = ("learning_sessions", "session_events", "points_transactions", "ingest_receipts")
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}  # noqa: S608
        logins = conn.execute(text("SELECT sum(login_count) FROM daily_logins")).scalar()
        balance = conn.execute(text("SELECT balance FROM user_points")).scalar()
    engine.dispose()
    assert counts == dict.fromkeys(counts, each)
    assert logins == each
    assert balance == sum(range(1, each + 1))
