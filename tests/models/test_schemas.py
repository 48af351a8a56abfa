"""The Pydantic schemas beside each model: built from real rows, and a row rebuilt from them."""

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect as sa_inspect

from tests import factories as f
from tests.models.catalog import CASES, IDS
from webapp.models.gamification.schemas import BadgeCreate
from webapp.models.learning.schemas import SkillMasteryCreate
from webapp.models.users.schemas import UserCreate


def plain(value):
    """JSON columns come back with lists where a schema may hold tuples."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_read_schema_is_built_from_a_row(session, case):
    row = case.factory(session)
    session.commit()
    read = case.read.model_validate(row)
    columns = {c.key for c in sa_inspect(type(row)).column_attrs}
    for name, value in read.model_dump().items():
        if name in columns:
            assert plain(value) == plain(getattr(row, name)), name


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_create_schema_accepts_what_a_row_holds_and_rebuilds_it(session, case):
    row = case.factory(session)
    session.commit()
    fields = set(case.create.model_fields)
    payload = {name: getattr(row, name) for name in fields if hasattr(row, name)}
    created = case.create.model_validate(payload)
    assert created.model_dump(exclude_unset=True).keys() <= fields
    rebuilt = type(row)(**created.model_dump(exclude_unset=True))
    for name, value in created.model_dump(exclude_unset=True).items():
        assert getattr(rebuilt, name) == value, name


def test_create_schema_refuses_unknown_fields():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        SkillMasteryCreate.model_validate({"user_id": 1, "skill_id": 1, "mastery": 0.5, "balance": 3})


@pytest.mark.parametrize(
    ("schema", "payload", "message"),
    [
        (SkillMasteryCreate, {"user_id": 1, "skill_id": 1, "mastery": 1.5}, "less than or equal to 1"),
        (BadgeCreate, {"slug": "Not A Slug", "name": "Bad"}, "slug"),
        (UserCreate, {"email": "not-an-email", "display_name": "X", "role": "learner"}, "email"),
    ],
)
def test_create_schema_refuses_what_the_database_would(schema, payload, message):
    with pytest.raises(ValidationError) as info:
        schema.model_validate(payload)
    assert message in str(info.value)


def test_a_learner_with_a_password_is_refused(session):
    with pytest.raises(ValidationError, match="password"):
        UserCreate.model_validate(
            {"email": "a@example.org", "display_name": "A", "role": "learner", "password_hash": "x"}
        )
    assert f.make_learner(session).password_hash is None
