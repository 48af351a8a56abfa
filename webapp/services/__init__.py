"""Domain logic: plain functions over a session and values, no request code."""
