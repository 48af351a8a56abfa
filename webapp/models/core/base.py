"""The declarative base and the constraint naming convention."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic's batch mode alter SQLite tables and drop
# constraints by name on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Base of every model; its metadata carries the naming convention."""

    metadata = metadata

    def __repr__(self) -> str:
        pk = ", ".join(str(getattr(self, c.key)) for c in self.__mapper__.primary_key)
        return f"<{type(self).__name__} {pk}>"
