"""Streaks, points, badges, leaderboards and duels."""

from webapp.models.gamification.badges import Badge, StreakMilestone, UserBadge
from webapp.models.gamification.duels import Duel, DuelParticipant
from webapp.models.gamification.leaderboards import Leaderboard, LeaderboardEntry
from webapp.models.gamification.points import PointsTransaction, UserPoints
from webapp.models.gamification.streaks import StreakActivity, StreakFreeze, UserStreak

__all__ = [
    "Badge",
    "Duel",
    "DuelParticipant",
    "Leaderboard",
    "LeaderboardEntry",
    "PointsTransaction",
    "StreakActivity",
    "StreakFreeze",
    "StreakMilestone",
    "UserBadge",
    "UserPoints",
    "UserStreak",
]
