"""State shared by the demo generators: the writer, the calendar and what was made so far."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from webapp.services.demo.sizes import SizeSpec
from webapp.services.demo.writer import DAY, BulkWriter, epoch_of
from webapp.services.timezones import QUARTER, LocalClock


@dataclass
class SkillInfo:
    id: int
    subject: str
    name: str
    difficulty: float  # 0 (easy) .. 1 (hard)


@dataclass
class ModuleInfo:
    id: int
    path_id: int
    skill_id: int
    content_type: str
    minutes: int


@dataclass
class GroupInfo:
    id: int
    name: str
    subject: str
    grade: int
    teacher_id: int
    path_modules: list[ModuleInfo]


@dataclass
class LearnerInfo:
    """What later phases (social, notifications) need to know of a learner."""

    id: int
    name: str
    group: GroupInfo
    timezone: str
    offset: int  # seconds east of UTC on the last day
    join_day: int  # day index in the demo period
    persona: str
    active_days: list[int] = field(default_factory=list)
    # day index -> [sessions, learning seconds]
    day_stats: dict[int, list[int]] = field(default_factory=dict)
    skills: list[int] = field(default_factory=list)


@dataclass
class Context:
    """Everything a generator needs; day indexes count from the first demo day."""

    writer: BulkWriter
    size: SizeSpec
    seed: int
    end: date
    skills: list[SkillInfo] = field(default_factory=list)
    groups: list[GroupInfo] = field(default_factory=list)
    learners: list[LearnerInfo] = field(default_factory=list)
    staff: dict[str, int] = field(default_factory=dict)
    templates: dict[tuple[str, str, str], tuple[int, str, str]] = field(default_factory=dict)
    badge_ids: list[int] = field(default_factory=list)
    clock: LocalClock = field(default_factory=LocalClock)
    _local: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)

    @property
    def start(self) -> date:
        """The first day of the demo period."""
        return self.end - timedelta(days=self.size.days - 1)

    @property
    def t0(self) -> int:
        """Epoch second of UTC midnight of the first day."""
        return epoch_of(self.start)

    @property
    def catalogue_at(self) -> int:
        """When the catalogue was set up: a month before the period."""
        return self.t0 - 30 * DAY

    def ts(self, seconds: int) -> str:
        """Format an epoch second for the backend."""
        return self.writer.fmt.ts(seconds)

    def local(self, seconds: int, timezone: str) -> tuple[str, int]:
        """The learner-local day (ISO text, as the writer stores it) and hour of an epoch second."""
        key = (timezone, seconds // QUARTER)
        found = self._local.get(key)
        if found is None:
            day, hour = self.clock.at_epoch(seconds, timezone)
            found = (day.isoformat(), hour)
            if self.clock.quarter(key[1], timezone) is not None:  # else an offset changes inside it
                self._local[key] = found
        return found

    def rng(self, *key: object) -> random.Random:
        """A generator of its own for one part of the data, so parts do not shift each other."""
        return random.Random(":".join(map(str, (self.seed, *key))))

    def day(self, index: int) -> date:
        """The date of a day index."""
        return self.start + timedelta(days=index)
