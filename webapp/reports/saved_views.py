"""Routes of saved views: save, list, rename, delete (after a confirmation), share as a link,
and follow a shared link. Every POST is CSRF-checked (CSRFProtect); every route but following
a link acts on the signed-in user's own views only (webapp.reports.saved)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from webapp.extensions import db
from webapp.i18n import lazy_tr
from webapp.reports import registry, saved
from webapp.reports.definitions import SAVED
from webapp.reports.views import bp, current_filter


class RenameForm(FlaskForm):
    """A view's new name."""

    name = StringField(
        lazy_tr("New name"),
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(SAVED.lazy("no_new_name")), Length(max=saved.NAME_LENGTH)],
    )


def _back_to_list(view_id: int | None = None):
    return redirect(url_for("reports.saved", _anchor=f"view-{view_id}" if view_id else None))


@bp.get("/reports/saved", endpoint="saved")
def saved_list():
    """List the signed-in user's saved views, with what they may do to each."""
    return render_template("reports/saved.html")


@bp.post("/reports/saved")
def save_view():
    """Save the current filter of a report under a name."""
    report = registry.REPORTS.get(request.form.get("report", ""))
    if report is None or not report.saveable:
        return saved.refuse()
    flt = current_filter(request.form)
    context = request.form.get("context") or None
    report.context(db.session, flt, context, request.form)  # 404 for a board the user may not see
    return saved.save(db.session, current_user, report.key, request.form.get("name", ""), flt, context)


@bp.route("/reports/saved/<int:view_id>/rename", methods=["GET", "POST"])
def rename_view(view_id: int):
    """Rename one of the user's views (a name they already use is a field error)."""
    view = saved.owned(db.session, current_user, view_id)
    form = RenameForm(data={"name": view.name})
    if form.validate_on_submit():
        if saved.name_taken(db.session, current_user, form.name.data, but=view.id):
            form.name.errors.append(SAVED["name_taken"].format(name=form.name.data))
        else:
            saved.rename(db.session, view, form.name.data)
            flash(SAVED["renamed"].format(name=view.name), "success")
            return _back_to_list(view.id)
    return render_template("reports/saved_rename.html", view=view, form=form)


@bp.route("/reports/saved/<int:view_id>/delete", methods=["GET", "POST"])
def delete_view(view_id: int):
    """Ask to confirm, then delete one of the user's views."""
    view = saved.owned(db.session, current_user, view_id)
    if request.method == "POST":  # CSRF-checked by CSRFProtect, as every POST
        name = view.name
        saved.delete(db.session, view)
        flash(SAVED["deleted"].format(name=name), "success")
        return _back_to_list()
    report = saved.report_of(view)
    title = report.title if report else view.report_type
    return render_template("reports/saved_delete.html", view=view, title=title)


@bp.post("/reports/saved/<int:view_id>/share")
def share_view(view_id: int):
    """Share one of the user's views as a link."""
    view = saved.owned(db.session, current_user, view_id)
    saved.share(db.session, view)
    flash(SAVED["shared"].format(name=view.name), "success")
    return _back_to_list(view.id)


@bp.post("/reports/saved/<int:view_id>/unshare")
def unshare_view(view_id: int):
    """Stop sharing one of the user's views: its link no longer opens it."""
    view = saved.owned(db.session, current_user, view_id)
    saved.unshare(db.session, view)
    flash(SAVED["unshared"].format(name=view.name), "success")
    return _back_to_list(view.id)


@bp.get("/reports/shared/<token>", endpoint="shared")
def follow_shared(token: str):
    """Open a shared view's page and filter, as far as the follower may see it (404 otherwise)."""
    view = saved.by_token(db.session, token)
    report, context, args = saved.follow_args(view)
    flt = current_filter(args)  # 404 for a group the follower may not see
    report.context(db.session, flt, context, args)  # and for a board or learner
    flash(SAVED["opened"].format(name=view.name, owner=view.owner.display_name), "info")
    return redirect(saved.url_of(view))
