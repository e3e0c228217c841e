"""Configuration: one TOML file parsed once into frozen dataclasses, secrets from the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EXAMPLE_PATH = Path(__file__).with_name("config.example.toml")


class ConfigError(ValueError):
    """The configuration file is missing a value or has a wrong one."""


@dataclass(frozen=True)
class GeneralConfig:
    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DatabaseConfig:
    path: str = "data/chibo.sqlite3"


@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = ""
    # Username of the bot (without @) for invite links; asked from Telegram (getMe) when empty.
    bot_username: str = ""
    # PTB's networking backend: "aiohttp" (about five times less CPU per request) or "httpx".
    http_client: str = "aiohttp"
    # Proxy for the Bot API ("http://host:port"); never read from the environment.
    proxy: str = ""

    def __repr__(self) -> str:
        # Keep the token and secret out of any log line or traceback that prints the config.
        return f"TelegramConfig(base_url={self.base_url!r}, mode={self.mode!r})"


@dataclass(frozen=True)
class DeliveryConfig:
    overall_per_second: float = 30.0
    private_chat_interval: float = 1.0
    group_per_minute: int = 20
    concurrency: int = 32
    max_attempts: int = 8
    backoff_base: float = 2.0
    backoff_max: float = 900.0
    allow_paid_broadcast: bool = False
    # Removed (issue 18): one process sends at the platform's limit with CPU to spare, and one
    # process keeps one pacing budget. Still accepted as 1 so existing config files load.
    processes: int = 1
    # Days an outbox row sent or given up is kept (counts per batch are kept for good).
    retention_days: int = 60


@dataclass(frozen=True)
class ZaloConfig:
    """The Zalo Bot API: token, base URL, polling or webhook, its own limits, bulletin file links."""

    token: str = ""
    base_url: str = "https://bot-api.zaloplatforms.com"
    mode: str = "polling"
    poll_timeout: int = 30
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8444
    webhook_secret: str = ""
    overall_per_second: float = 10.0
    private_chat_interval: float = 1.0
    files_public_url: str = ""
    files_listen: str = "127.0.0.1"
    files_port: int = 0
    # The bot's Zalo link from the Zalo Bot Platform console, printed (and as a QR code) on the
    # invite sheets; getMe does not give it.
    bot_link: str = ""

    def __repr__(self) -> str:
        return f"ZaloConfig(base_url={self.base_url!r}, mode={self.mode!r})"


@dataclass(frozen=True)
class InviteConfig:
    valid_days: int = 60
    max_failures: int = 5
    failure_window_minutes: int = 15
    lockout_minutes: int = 30


@dataclass(frozen=True)
class MeetingsConfig:
    """Meeting days: default rule per kind of cell, holidays, reminders, grace after downtime."""

    rule_cell_hamlet: str = "day 5 19:00"
    rule_cell_neighbourhood: str = "day 5 19:00"
    rule_cell_agency: str = "first friday 16:00"
    rule_cell_enterprise: str = "first saturday 08:00"
    rule_cell_other: str = "day 5 19:00"
    default_place: str = ""
    reminders: tuple[str, ...] = ("3d@08:00", "2h")
    # The country whose public holidays come from the `holidays` package ("" for none).
    holiday_country: str = "VN"
    # Local additions ("MM-DD", "YYYY-MM-DD", ranges) and removals (a leading "-").
    holidays: tuple[str, ...] = ()
    working_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    late_after_minutes: int = 10
    grace_hours: int = 12
    attendance_prompt_after_minutes: int = 180
    months_ahead: int = 1
    # The agenda and documents go to every member this many days before the meeting.
    documents_days_before: int = 3

    def __post_init__(self) -> None:
        from bot.core import schedule_rules as sr

        try:
            for kind in ("hamlet", "neighbourhood", "agency", "enterprise", "other"):
                sr.parse_rule(getattr(self, f"rule_cell_{kind}"))
            labels = [sr.parse_offset(o).label for o in self.reminders]
            sr.parse_holidays(self.holidays, self.working_days, self.holiday_country)
        except sr.RuleError as exc:
            raise ConfigError(f"[meetings] {exc}") from exc
        if len(set(labels)) != len(labels):
            raise ConfigError("[meetings] two reminders share an offset")
        if self.grace_hours < 0 or self.months_ahead < 0 or self.late_after_minutes < 0:
            raise ConfigError("[meetings] grace_hours, months_ahead, late_after_minutes >= 0")
        if not 0 <= self.documents_days_before <= 27:
            raise ConfigError("[meetings] documents_days_before is 0..27")

    def rule_text(self, kind: str) -> str:
        """The default rule for a kind of cell ('cell_hamlet', ...)."""
        return str(getattr(self, f"rule_{kind}", self.rule_cell_other))


@dataclass(frozen=True)
class CheckinsConfig:
    """Monthly check-ins on tasks: when rounds open, nudges, quiet hours, the digest."""

    days_before: int = 5
    open_at: str = "08:00"
    fallback_day: int = 5
    fallback_time: str = "19:00"
    nudges: tuple[str, ...] = ("2d", "1d")
    quiet_start: str = "21:00"
    quiet_end: str = "07:00"
    digest: str = "1d"

    def __post_init__(self) -> None:
        from bot.core import schedule_rules as sr

        try:
            for text in (self.open_at, self.fallback_time, self.quiet_start, self.quiet_end):
                sr.parse_time(text)
            labels = [sr.parse_offset(o).label for o in self.nudges]
            sr.parse_offset(self.digest)
        except sr.RuleError as exc:
            raise ConfigError(f"[checkins] {exc}") from exc
        if len(set(labels)) != len(labels):
            raise ConfigError("[checkins] two nudges share an offset")
        if not 1 <= self.days_before <= 27 or not 1 <= self.fallback_day <= 31:
            raise ConfigError("[checkins] days_before is 1..27, fallback_day 1..31")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DuesConfig:
    """Party dues: fixed amounts by category, limits, the cell's share, reminder and watch times."""

    categories: tuple[str, ...] = ()
    max_amount: int = 5_000_000
    keep_percent: int = 0
    max_months_ahead: int = 12
    reminder_day: int = 20
    reminder_time: str = "09:00"
    watch_day: str = "mon"
    watch_time: str = "08:00"

    def __post_init__(self) -> None:
        from bot.core import schedule_rules as sr

        try:
            sr.parse_time(self.reminder_time)
            sr.parse_time(self.watch_time)
        except sr.RuleError as exc:
            raise ConfigError(f"[dues] {exc}") from exc
        if self.watch_day not in WEEKDAYS:
            raise ConfigError(f"[dues] watch_day is one of {', '.join(WEEKDAYS)}")
        if not 0 <= self.keep_percent <= 100 or self.max_amount < 1:
            raise ConfigError("[dues] keep_percent is 0..100, max_amount positive")
        if not 1 <= self.reminder_day <= 28 or not 0 <= self.max_months_ahead <= 24:
            raise ConfigError("[dues] reminder_day is 1..28, max_months_ahead 0..24")
        self.category_amounts()

    def category_amounts(self) -> dict[str, int]:
        """Category name -> amount in đồng, as written in the file."""
        found: dict[str, int] = {}
        for item in self.categories:
            name, sep, amount = item.rpartition("=")
            name = " ".join(name.split())
            if not sep or not name or not (amount.strip().isascii() and amount.strip().isdigit()):
                raise ConfigError(f"[dues] category {item!r} is not 'name = amount'")
            if int(amount) > self.max_amount:
                raise ConfigError(f"[dues] category {name!r} is above max_amount")
            found[name] = int(amount)
        return found


@dataclass(frozen=True)
class DocumentsConfig:
    """The minutes and resolution drafts: a province's own .docx templates (empty: the defaults)."""

    minutes_template: str = ""
    resolution_template: str = ""


@dataclass(frozen=True)
class WebConfig:
    """The committees' web dashboard (bot/web): where it listens, its public address, lifetimes."""

    port: int = 0
    listen: str = "127.0.0.1"
    public_url: str = ""
    link_minutes: int = 10
    session_hours: int = 10
    max_failures: int = 10
    failure_window_minutes: int = 15
    real_ip_header: str = ""
    warm_minutes: int = 5

    def __post_init__(self) -> None:
        if self.warm_minutes < 0:
            raise ConfigError("[web] warm_minutes must be >= 0")
        if not 0 <= self.port <= 65535:
            raise ConfigError("[web] port must be 0..65535")
        if self.link_minutes < 1 or self.session_hours < 1 or self.max_failures < 1:
            raise ConfigError("[web] link_minutes, session_hours and max_failures must be >= 1")
        if self.public_url and not self.public_url.startswith(("http://", "https://")):
            raise ConfigError("[web] public_url must start with https:// (or http://)")


@dataclass(frozen=True)
class Config:
    general: GeneralConfig = field(default_factory=GeneralConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    invites: InviteConfig = field(default_factory=InviteConfig)
    zalo: ZaloConfig = field(default_factory=ZaloConfig)
    meetings: MeetingsConfig = field(default_factory=MeetingsConfig)
    checkins: CheckinsConfig = field(default_factory=CheckinsConfig)
    web: WebConfig = field(default_factory=WebConfig)
    documents: DocumentsConfig = field(default_factory=DocumentsConfig)
    dues: DuesConfig = field(default_factory=DuesConfig)
    # Directory relative paths in the file are resolved against.
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def db_path(self) -> Path:
        """The database file; a relative path is taken from `base_dir`."""
        path = Path(self.database.path)
        return path if path.is_absolute() else self.base_dir / path


def _section(cls: type[Any], raw: dict[str, Any], name: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"[{name}] has an unknown key {key!r}")
        default = known[key].default
        expected = type(default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is tuple and isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                raise ConfigError(f"[{name}] {key} must be a list of strings")
            value = tuple(value)
        if not isinstance(value, expected):
            raise ConfigError(f"[{name}] {key} must be a {expected.__name__}")
        values[key] = value
    return cls(**values)


def _telegram(telegram: TelegramConfig, env: dict[str, str]) -> TelegramConfig:
    """The [telegram] section with its secrets from the environment, checked."""
    if env.get("CHIBO_TELEGRAM_TOKEN"):
        telegram = replace(telegram, token=env["CHIBO_TELEGRAM_TOKEN"].strip())
    if env.get("CHIBO_TELEGRAM_WEBHOOK_SECRET"):
        telegram = replace(telegram, webhook_secret=env["CHIBO_TELEGRAM_WEBHOOK_SECRET"].strip())
    if telegram.mode not in ("polling", "webhook"):
        raise ConfigError("[telegram] mode must be 'polling' or 'webhook'")
    if telegram.mode == "webhook" and not telegram.webhook_url:
        raise ConfigError("[telegram] webhook mode needs webhook_url")
    if telegram.http_client not in ("aiohttp", "httpx"):
        raise ConfigError("[telegram] http_client must be 'aiohttp' or 'httpx'")
    if telegram.proxy and not telegram.proxy.startswith(("http://", "https://")):
        raise ConfigError("[telegram] proxy must be an http:// or https:// address")
    return telegram


def _zalo(zalo: ZaloConfig, env: dict[str, str]) -> ZaloConfig:
    """The [zalo] section with its secrets from the environment, checked."""
    if env.get("CHIBO_ZALO_TOKEN"):
        zalo = replace(zalo, token=env["CHIBO_ZALO_TOKEN"].strip())
    if env.get("CHIBO_ZALO_WEBHOOK_SECRET"):
        zalo = replace(zalo, webhook_secret=env["CHIBO_ZALO_WEBHOOK_SECRET"].strip())
    if zalo.mode not in ("polling", "webhook"):
        raise ConfigError("[zalo] mode must be 'polling' or 'webhook'")
    if zalo.mode == "webhook" and not zalo.webhook_url:
        raise ConfigError("[zalo] webhook mode needs webhook_url")
    if zalo.webhook_secret and not 8 <= len(zalo.webhook_secret) <= 256:
        raise ConfigError("[zalo] webhook_secret must be 8 to 256 characters")
    if zalo.overall_per_second <= 0 or zalo.private_chat_interval < 0:
        raise ConfigError("[zalo] overall_per_second must be positive")
    if zalo.bot_link and not zalo.bot_link.startswith(("https://", "http://")):
        raise ConfigError("[zalo] bot_link must be a link (https://…)")
    return zalo


def parse_config(raw: dict[str, Any], base_dir: Path, env: dict[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML, applying environment overrides for secrets."""
    env = dict(os.environ) if env is None else env
    sections = {
        "general": GeneralConfig,
        "database": DatabaseConfig,
        "telegram": TelegramConfig,
        "delivery": DeliveryConfig,
        "invites": InviteConfig,
        "zalo": ZaloConfig,
        "meetings": MeetingsConfig,
        "checkins": CheckinsConfig,
        "web": WebConfig,
        "documents": DocumentsConfig,
        "dues": DuesConfig,
    }
    for name in raw:
        if name not in sections:
            raise ConfigError(f"unknown section [{name}]")
    parts = {name: _section(cls, raw.get(name, {}), name) for name, cls in sections.items()}
    telegram = _telegram(parts["telegram"], env)
    try:
        ZoneInfo(parts["general"].timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"[general] unknown timezone {parts['general'].timezone!r}") from exc
    delivery: DeliveryConfig = parts["delivery"]
    if delivery.overall_per_second <= 0 or delivery.concurrency < 1 or delivery.max_attempts < 1:
        raise ConfigError("[delivery] rates, concurrency and max_attempts must be positive")
    if delivery.retention_days < 1:
        raise ConfigError("[delivery] retention_days must be at least 1")
    if delivery.processes != 1:
        raise ConfigError(
            "[delivery] processes was removed: one process sends at the platform's limit "
            "(see README, Delivery); delete the key"
        )
    parts["telegram"] = telegram
    parts["zalo"] = _zalo(parts["zalo"], env)
    config = Config(base_dir=base_dir, **parts)
    return config


def load_config(path: Path, env: dict[str, str] | None = None) -> Config:
    """Read and validate the config file at `path`."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} not found; run `chibo init` first") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    return parse_config(raw, path.resolve().parent, env)
