"""The channel-neutral vocabulary: types, clock, text and time helpers, schedule
rules, config and texts. Imports nothing else of Chibo; everything stands on it."""
