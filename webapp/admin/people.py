"""Who an admin form may offer where it asks for a user: learners, and staff for admins only.

Every relation to `User` in an admin form is a lookup (`PeopleLookup`), set up by
the secured base for each view (deny by default): it offers learners only,
unless the view's `people_fields` says the field may hold staff of some roles,
and then those staff only to admins. Operators never see staff accounts in a
lookup, cannot pick one by posting its id (the field refuses it), and do not
get the fields that hold only staff (a group's owner, a grader) at all.
"""

from dataclasses import dataclass
from typing import Any

from flask import has_request_context
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.model.fields import AjaxSelectField
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm import RelationshipProperty
from wtforms.validators import ValidationError

from webapp.extensions import db
from webapp.models import User
from webapp.models.core.enums import Role

SEARCH_FIELDS = (User.email, User.display_name)


@dataclass(frozen=True)
class Pick:
    """Who a user field may hold: learners, and which staff roles (offered to admins only)."""

    learners: bool = True
    staff: tuple[Role, ...] = ()


LEARNERS_ONLY = Pick()


def is_admin() -> bool:
    """Whether the signed-in user is an admin (outside a request: no)."""
    return has_request_context() and current_user.is_authenticated and current_user.role == Role.ADMIN


class PeopleLookup(QueryAjaxModelLoader):
    """The users a field may offer the signed-in staff member, searched by email and name."""

    def __init__(self, name: str, pick: Pick) -> None:
        super().__init__(name, db.session, User, fields=SEARCH_FIELDS, page_size=10)
        self.pick = pick

    def roles(self) -> set[Role]:
        """The roles this field offers to the current user."""
        roles = {Role.LEARNER} if self.pick.learners else set()
        return roles | set(self.pick.staff) if is_admin() else roles

    def get_query(self) -> Any:
        return super().get_query().filter(User.role.in_(self.roles()))

    def get_one(self, pk: Any) -> Any:
        try:
            user_id = int(pk)
        except (TypeError, ValueError, OverflowError):
            return None
        if not 0 < user_id < 2**63:
            return None  # PostgreSQL would refuse it as out of range
        user = super().get_one(user_id)
        return user if user is not None and user.role in self.roles() else None


class PeopleSelectField(AjaxSelectField):
    """A user lookup field that refuses an id it would not offer (instead of storing nothing)."""

    def pre_validate(self, form: Any) -> None:
        if self._formdata not in (None, "", "__None") and self.data is None:
            raise ValidationError(gettext("Choose someone from the list."))
        super().pre_validate(form)


def people_lookups(model: type, people_fields: dict[str, Pick]) -> dict[str, PeopleLookup]:
    """A lookup for every many-to-one relation of model to User (learners only unless listed)."""
    lookups = {}
    for relation in model.__mapper__.relationships:
        if (
            isinstance(relation, RelationshipProperty)
            and relation.mapper.class_ is User
            and not relation.uselist
        ):
            lookups[relation.key] = PeopleLookup(relation.key, people_fields.get(relation.key, LEARNERS_ONLY))
    return lookups


def staff_only_fields(people_fields: dict[str, Pick]) -> list[str]:
    """The fields that hold staff only, which only admins get in their forms."""
    return [name for name, pick in people_fields.items() if not pick.learners]
