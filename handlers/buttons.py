"""Buttons routed like commands: one table per payload prefix, action -> function.

A payload is `<prefix>:<action>:<arg>:<arg>...` (or `<prefix>:<arg>...` for a prefix with a
single, unnamed action). Each feature declares its `Buttons` next to the functions it names;
`payload` is the only way a button's payload string is built, and `parse` the only way one is
read, so a forged or outdated payload gets the same polite refusal everywhere. A payload is a
request, never a permission: every action re-checks it against the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.core import texts
from bot.core.types import SLOT, Incoming, Reply, is_number
from handlers.context import Ctx, Who, refusal
from storage.conversations import Conversation

# Argument kinds: "i" a number (an id, a page), "s" a short word (a code, a nonce).
ARG_KINDS = frozenset("is")


@dataclass(frozen=True)
class Press:
    """A parsed payload: the action and its arguments, already checked against their kinds."""

    action: str
    args: tuple[str, ...]

    def num(self, index: int) -> int:
        """The argument at `index`, declared a number ("i")."""
        return int(self.args[index])

    def word(self, index: int) -> str:
        """The argument at `index`, as sent."""
        return self.args[index]


ButtonHandler = Callable[[Incoming, Ctx, Who, Press], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Action:
    """One row of a feature's table: the function, and the kinds of its arguments ("ii")."""

    handler: ButtonHandler
    args: str = ""


@dataclass(frozen=True)
class Shapes:
    """A prefix's payloads without their functions: action -> kinds of its arguments. It is the
    one builder and parser of the prefix; a feature whose payloads are built in modules its
    functions import declares it first (`Buttons.over` then adds the functions)."""

    prefix: str
    args: Mapping[str, str]

    def __post_init__(self) -> None:
        assert ":" not in self.prefix and self.args
        assert "" not in self.args or len(self.args) == 1, "an unnamed action stands alone"
        assert all(set(spec) <= ARG_KINDS for spec in self.args.values())

    def payload(self, action: str, *args: int | str) -> str:
        """The payload of a button for `action` with these arguments (checked against the
        table, so a feature cannot build a payload its parser would refuse). A number may be
        `SLOT`, filled in per member when a fan-out is written."""
        spec = self.args[action]
        assert len(args) == len(spec), (self.prefix, action, args)
        parts = [str(a) for a in args]
        assert all(
            ":" not in p and (k == "s" or p == SLOT or is_number(p))
            for p, k in zip(parts, spec, strict=True)
        )
        head = [self.prefix] if action == "" else [self.prefix, action]
        return ":".join([*head, *parts])

    def parse(self, data: str | None) -> Press | None:
        """The press a payload stands for, or None when it does not fit the table."""
        parts = (data or "").split(":")
        if parts[0] != self.prefix:
            return None
        if "" in self.args:
            action, args = "", parts[1:]
        elif len(parts) > 1:
            action, args = parts[1], parts[2:]
        else:
            return None
        spec = self.args.get(action)
        if spec is None or len(args) != len(spec):
            return None
        for value, kind in zip(args, spec, strict=True):
            if not value or (kind == "i" and not is_number(value)):
                return None
        return Press(action, tuple(args))


@dataclass(frozen=True)
class Buttons:
    """A feature's buttons: the prefix and its table (action -> `Action`); the action "" alone
    means payloads carry no action segment."""

    prefix: str
    actions: Mapping[str, Action]

    @classmethod
    def over(cls, shapes: Shapes, handlers: Mapping[str, ButtonHandler]) -> Buttons:
        """The table of a prefix declared as `shapes`: a function for each of its actions."""
        assert set(handlers) == set(shapes.args), "every action has one function"
        return cls(shapes.prefix, {a: Action(h, shapes.args[a]) for a, h in handlers.items()})

    @property
    def shapes(self) -> Shapes:
        """The payloads of this table, without their functions."""
        return Shapes(self.prefix, {a: x.args for a, x in self.actions.items()})

    def __post_init__(self) -> None:
        self.shapes  # noqa: B018  (checks the table's shape)

    def payload(self, action: str, *args: int | str) -> str:
        """The payload of a button for `action` (see `Shapes.payload`)."""
        return self.shapes.payload(action, *args)

    def parse(self, data: str | None) -> Press | None:
        """The press a payload stands for, or None when it does not fit the table."""
        return self.shapes.parse(data)

    async def __call__(self, msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
        """Route a press to its action; anything that does not fit the table is refused."""
        press = self.parse(msg.payload)
        if press is None:
            return [Reply(texts.STALE_BUTTON)]
        return await self.actions[press.action].handler(msg, ctx, who, press)


# An action on an open conversation: receives the conversation, already checked.
ConvHandler = Callable[[Incoming, Ctx, Who, Press, Conversation], Awaitable[list[Reply]]]


def during(kind: str, steps: tuple[str, ...], fn: ConvHandler) -> ButtonHandler:
    """`fn`, run on the person's open conversation of `kind` at one of `steps` (any step when
    empty), for someone who still leads the cell it is about (`data["unit_id"]`)."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        conv = await led_conversation(msg, ctx, who, kind)
        if isinstance(conv, Reply):
            return [conv]
        if steps and conv.step not in steps:
            return [Reply(texts.STALE_BUTTON)]
        return await fn(msg, ctx, who, press, conv)

    return run


async def save_step(
    msg: Incoming, ctx: Ctx, conv: Conversation, step: str | None = None
) -> Conversation:
    """Keep the sender's conversation (its kind and data) at `step`, or at its current step."""
    conv = Conversation(conv.kind, step or conv.step, conv.data)
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return conv


async def led_conversation(msg: Incoming, ctx: Ctx, who: Who, kind: str) -> Conversation | Reply:
    """The person's open conversation of `kind`, if they still lead the cell it is about
    (`data["unit_id"]`); else the reply that says why not (closing it if roles changed)."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != kind:
        return Reply(texts.STALE_BUTTON)
    if not who.leads(int(conv.data["unit_id"])):
        # Roles may have changed since the conversation started.
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return refusal(who)
    return conv


async def cancel(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    """The «Huỷ» of a conversation: closes it."""
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.CANCELLED, edit=True)]
