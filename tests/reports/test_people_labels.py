"""How reports name learners: by name, told apart (by their groups, else their id) only when
another learner has exactly the same name, whatever its letters (ASCII, accented, Devanagari)."""

from tests import factories as f
from webapp.reports.queries.people import labels


def test_only_exactly_shared_names_are_told_apart(session, app):
    group_a, group_b = f.make_group(session, name="Class A"), f.make_group(session, name="Class B")
    people = {}
    for name, group in [
        ("Asha Rao", group_a), ("Asha Rao", group_b),  # shared: told apart by group
        ("asha rao", group_a),  # another name (case differs): as it is
        ("Émile Roy", group_a), ("Émile Roy", group_b),  # shared, non-ASCII capital
        ("émile roy", group_b),  # another name
        ("आशा राव", group_a), ("आशा राव", group_a),  # shared, same group: told apart by id
        ("Ravi", group_b),
    ]:  # fmt: skip
        learner = f.make_learner(session, display_name=name)
        f.make_member(session, user=learner, group=group)
        people[learner.id] = name
    session.commit()
    with app.test_request_context():
        found = labels(session, people.items())
    for uid, name in people.items():
        twins = [u for u, n in people.items() if n == name and u != uid]
        if not twins:
            assert found[uid] == name
        else:
            assert found[uid] != name
            assert name in found[uid]
    assert len({found[uid] for uid in people}) == len(people)  # every label names one learner
    devanagari = sorted(uid for uid, n in people.items() if n == "आशा राव")
    assert all(str(uid) in found[uid] for uid in devanagari)  # same group: the id tells them apart
