"""The content of the demo catalogue: subjects, skills, badges, milestones, templates."""

# subject -> topic -> leaf skills (name, difficulty)
SKILL_TREE: dict[str, dict[str, list[tuple[str, str]]]] = {
    "Mathematics": {
        "Number Systems": [("Fractions", "easy"), ("Decimals", "easy"), ("Integers", "medium")],
        "Algebra": [("Linear Equations", "medium"), ("Polynomials", "hard"), ("Exponents", "medium")],
        "Geometry": [("Triangles", "medium"), ("Circles", "hard"), ("Mensuration", "hard")],
        "Data Handling": [("Statistics", "medium"), ("Probability", "hard")],
    },
    "Science": {
        "Physics": [("Motion", "medium"), ("Force and Pressure", "medium"), ("Light", "hard")],
        "Chemistry": [("Atoms and Molecules", "hard"), ("Acids, Bases and Salts", "medium")],
        "Biology": [("Cells", "easy"), ("Nutrition", "easy"), ("Human Body", "medium")],
    },
    "English": {
        "Grammar": [("Tenses", "easy"), ("Active and Passive Voice", "medium"), ("Reported Speech", "hard")],
        "Reading": [("Comprehension", "medium"), ("Vocabulary", "easy")],
        "Writing": [("Letter Writing", "medium"), ("Essay Writing", "hard")],
    },
    "Hindi": {
        "Vyakaran": [("Sandhi", "medium"), ("Samas", "hard"), ("Muhavare", "easy")],
        "Pathan": [("Gadya", "easy"), ("Padya", "medium")],
    },
    "Social Studies": {
        "History": [("The Mughal Empire", "medium"), ("The Freedom Struggle", "medium")],
        "Geography": [("Resources", "easy"), ("Climate", "medium")],
        "Civics": [("The Constitution", "hard"), ("Local Government", "easy")],
    },
}

DIFFICULTY_LEVEL = {"easy": 0.2, "medium": 0.5, "hard": 0.8}

GRADES = (6, 7, 8, 9, 10)

# Content types cycle through the modules of a path.
MODULE_TYPES = ("video", "reading", "practice", "quiz", "video", "game", "practice", "quiz", "live_class")
MODULE_MINUTES = {"video": 12, "reading": 10, "practice": 15, "quiz": 8, "game": 10, "live_class": 40}

# slug, name, tier, metric, threshold, points
BADGES: list[tuple[str, str, str, str, int, int]] = [
    ("streak-3", "Warming Up", "bronze", "streak_days", 3, 10),
    ("streak-7", "Week Warrior", "silver", "streak_days", 7, 25),
    ("streak-14", "Fortnight Focus", "silver", "streak_days", 14, 50),
    ("streak-30", "Monthly Master", "gold", "streak_days", 30, 100),
    ("streak-60", "Unstoppable", "gold", "streak_days", 60, 200),
    ("streak-100", "Century", "platinum", "streak_days", 100, 500),
    ("points-500", "Rising Star", "bronze", "total_points", 500, 0),
    ("points-2000", "High Achiever", "silver", "total_points", 2000, 0),
    ("points-5000", "Legend", "gold", "total_points", 5000, 0),
    ("quiz-5", "Quiz Taker", "bronze", "quizzes_passed", 5, 20),
    ("quiz-25", "Quiz Whiz", "silver", "quizzes_passed", 25, 50),
    ("quiz-100", "Quiz Champion", "gold", "quizzes_passed", 100, 150),
    ("mastery-1", "First Mastery", "bronze", "skills_mastered", 1, 25),
    ("mastery-5", "Skill Collector", "silver", "skills_mastered", 5, 75),
    ("mastery-10", "Polymath", "gold", "skills_mastered", 10, 200),
    ("duel-1", "First Blood", "bronze", "duels_won", 1, 10),
    ("duel-10", "Duelist", "silver", "duels_won", 10, 50),
    ("sessions-10", "Getting Started", "bronze", "sessions_completed", 10, 10),
    ("sessions-50", "Dedicated Learner", "silver", "sessions_completed", 50, 50),
    ("sessions-200", "Lifelong Learner", "gold", "sessions_completed", 200, 150),
]

# days, badge slug, points
MILESTONES = [(3, "streak-3", 20), (7, "streak-7", 50), (14, "streak-14", 100), (30, "streak-30", 250)]
MILESTONES += [(60, "streak-60", 500), (100, "streak-100", 1000)]

# key, category, subject, body; rendered with Jinja (sandboxed) placeholders.
TEMPLATES: list[tuple[str, str, str, str]] = [
    (
        "streak_reminder",
        "streak",
        "Keep your streak going",
        "{{ learner_name }}, you are on a {{ streak_days }}-day streak. A short lesson today keeps it alive!",
    ),
    (
        "streak_milestone",
        "streak",
        "{{ streak_days }} days in a row!",
        "Well done, {{ learner_name }}: a {{ streak_days }}-day streak. You earned {{ points }} points.",
    ),
    (
        "badge_awarded",
        "badge",
        "New badge: {{ badge_name }}",
        "Congratulations {{ learner_name }}, you earned the {{ badge_name }} badge.",
    ),
    (
        "duel_challenge",
        "duel",
        "New duel challenge",
        "{{ first_name }}, a classmate challenged you to a duel. Accept it in the app before it expires!",
    ),
    (
        "duel_result",
        "duel",
        "Duel result: {{ outcome }}",
        "Your {{ skill_name }} duel with {{ opponent_name }} ended: {{ outcome }} ({{ score }} points).",
    ),
    (
        "comeback",
        "reminder",
        "We miss you, {{ learner_name }}",
        "It has been {{ days_away }} days since your last lesson. Your {{ subject }} path is waiting.",
    ),
    (
        "weekly_summary",
        "reminder",
        "Your week on ShikshaDisha",
        "{{ first_name }}, a new week starts and you are on a {{ streak_days }}-day streak. Keep it up!",
    ),
    (
        "new_follower",
        "social",
        "New follower",
        "{{ follower_name }} now follows your progress, {{ learner_name }}.",
    ),
]
TEMPLATE_CHANNELS = ("in_app", "push")
EMAIL_TEMPLATES = ("weekly_summary", "comeback")
HINDI = {
    "streak_reminder": (
        "Streak jaari rakhein",
        "{{ learner_name }}, aapki streak {{ streak_days }} din ki hai. Aaj ek chhota path padhein!",
    ),
    "comeback": (
        "Hum aapko yaad karte hain",
        "{{ days_away }} din ho gaye, {{ learner_name }}. Aapka {{ subject }} path intezaar kar raha hai.",
    ),
}

_FIRST = """
Aarav Vivaan Aditya Vihaan Arjun Sai Reyansh Ayaan Krishna Ishaan Shaurya Atharv Advik Pranav Rohan Kabir
Dhruv Aryan Yash Rahul Aadhya Ananya Diya Saanvi Pari Anika Navya Myra Sara Kiara Ira Riya Aarohi Anvi
Prisha Meera Kavya Ishita Nandini Priya Asha Lakshmi Fatima Zoya Harpreet Gurpreet Tenzin Arnav Siddharth
Tanvi Neha Pooja Sneha Divya Karthik Manoj Suresh Deepa Farhan
"""
_LAST = """
Sharma Verma Gupta Singh Kumar Patel Shah Reddy Rao Nair Menon Iyer Das Bose Banerjee Mukherjee Chatterjee
Khan Ali Joshi Kulkarni Deshpande Pillai Yadav Mishra Pandey Tiwari Chauhan Gill Sandhu Naidu Hegde Shetty
Kaur Sen Ghosh Dutta Bhat Qureshi Fernandes D'Souza
"""
FIRST_NAMES = tuple(_FIRST.split())
LAST_NAMES = tuple(_LAST.split())
SCHOOLS = (
    "Kendriya Vidyalaya No. 1",
    "Delhi Public School",
    "Government Senior Secondary School",
    "St. Xavier's High School",
    "Navodaya Vidyalaya",
    "Sarvodaya Vidyalaya",
    "DAV Public School",
    "Zilla Parishad High School",
)
# zone, weight: most learners are in India, some abroad (families and partner schools).
TIMEZONES = (
    ("Asia/Kolkata", 85),
    ("Asia/Dubai", 4),
    ("Asia/Kathmandu", 3),
    ("Asia/Dhaka", 2),
    ("Asia/Singapore", 2),
    ("Europe/London", 2),
    ("America/New_York", 1),
    ("America/Los_Angeles", 1),
)
