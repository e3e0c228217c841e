"""The fake's Bot API method handlers, one mixin of FakeState per group of methods."""
