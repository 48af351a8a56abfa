"""The data of every report figure: one function per figure, `(session, filter, context) -> rows`.

They read rollup tables (and, on one learner's page, that learner's own rows through an
index on user_id), never the raw event tables of the whole platform, so a page costs the
same at any data volume. Rows are plain tuples or dicts: what a figure shows and its CSV holds.
"""
