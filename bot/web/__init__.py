"""The committees' web dashboard: sign-in by a one-time link from chat, charts, exports."""
