"""What every handler receives: storage, config, clock, and who is talking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.types import Document, Reply
from storage.attachments import AttachmentRepo
from storage.attendance import AttendanceRepo
from storage.bulletin_reads import BulletinReadRepo
from storage.bulletins import BulletinRepo
from storage.channels import ChannelPrefRepo
from storage.checkins import CheckinRepo
from storage.conversations import ConversationRepo
from storage.dashboard import DashboardRepo
from storage.db import Database
from storage.dues import DuesRepo
from storage.dues_reminders import DuesReminderRepo
from storage.invites import InviteRepo
from storage.leave import LeaveRepo
from storage.meetings import MeetingRepo
from storage.members import Account, Member, MemberRepo, Role
from storage.minutes import PapersRepo
from storage.notices import NoticeRepo
from storage.outbox import OutboxRepo
from storage.task_reports import TaskReportRepo
from storage.tasks import TaskRepo
from storage.units import Unit, UnitRepo
from storage.web_access import WebAccessRepo


@dataclass
class Ctx:
    """Shared services, built once at start-up and passed to every handler."""

    db: Database
    config: Config
    clock: Clock
    units: UnitRepo
    members: MemberRepo
    invites: InviteRepo
    conversations: ConversationRepo
    outbox: OutboxRepo
    notices: NoticeRepo
    meetings: MeetingRepo
    attendance: AttendanceRepo
    tasks: TaskRepo
    checkins: CheckinRepo
    task_reports: TaskReportRepo
    leaves: LeaveRepo
    attachments: AttachmentRepo
    bulletins: BulletinRepo
    bulletin_reads: BulletinReadRepo
    papers: PapersRepo
    channel_prefs: ChannelPrefRepo
    web_access: WebAccessRepo
    dashboard: DashboardRepo
    dues: DuesRepo
    dues_reminders: DuesReminderRepo
    # Tells the delivery worker that new outbox rows are waiting.
    wake_outbox: Callable[[], None] = lambda: None
    bot_username: str = ""
    # Fetches a file a user sent: (channel, file id) -> bytes; raises a DeliveryError.
    download_file: Callable[[str, str], Awaitable[bytes]] | None = None
    # The dashboard's chart of a unit's year as a photo for a channel:
    # (channel, unit id, the viewer's scope roots, year) -> photo, or None when unavailable.
    chart_photo: Callable[[str, int, list[int], int], Awaitable[Document | None]] | None = None

    @classmethod
    def build(cls, db: Database, config: Config, clock: Clock) -> Ctx:
        """Every repository over the one database; the repositories hold no state."""
        return cls(
            db=db,
            config=config,
            clock=clock,
            units=UnitRepo(db),
            members=MemberRepo(db),
            invites=InviteRepo(db),
            conversations=ConversationRepo(db),
            outbox=OutboxRepo(db),
            notices=NoticeRepo(db),
            meetings=MeetingRepo(db),
            attendance=AttendanceRepo(db),
            tasks=TaskRepo(db),
            checkins=CheckinRepo(db),
            task_reports=TaskReportRepo(db),
            leaves=LeaveRepo(db),
            attachments=AttachmentRepo(db),
            bulletins=BulletinRepo(db),
            bulletin_reads=BulletinReadRepo(db),
            papers=PapersRepo(db),
            channel_prefs=ChannelPrefRepo(db),
            web_access=WebAccessRepo(db),
            dashboard=DashboardRepo(db),
            dues=DuesRepo(db),
            dues_reminders=DuesReminderRepo(db),
            bot_username=config.telegram.bot_username,
        )

    def now(self) -> datetime:
        """The injected clock's time."""
        return self.clock.now()


@dataclass(frozen=True)
class Who:
    """The person behind an incoming message, as far as the roster knows them."""

    member: Member | None = None
    account: Account | None = None
    unit: Unit | None = None
    roles: tuple[Role, ...] = field(default_factory=tuple)

    @property
    def linked(self) -> bool:
        """Whether the sender's account is linked to a member."""
        return self.member is not None

    def role_names(self) -> set[str]:
        """The names of the person's roles."""
        return {r.role for r in self.roles}

    def is_admin(self) -> bool:
        """Whether the person holds the administrator role."""
        return "admin" in self.role_names()

    def leads(self, unit_id: int) -> bool:
        """Whether this person may act for that cell: its secretary or deputy, or an
        administrator. The one answer to "does this person lead that cell"."""
        return self.is_admin() or unit_id in self.led_unit_ids()

    def led_unit_ids(self) -> list[int]:
        """Units this person leads as secretary or deputy, their own cell first."""
        ids = sorted({r.unit_id for r in self.roles if r.role in ("secretary", "deputy")})
        if self.unit is not None and self.unit.id in ids:
            ids.remove(self.unit.id)
            ids.insert(0, self.unit.id)
        return ids


def secretaries_only() -> Reply:
    """The refusal of something only a cell's secretary or deputy may do."""
    return Reply(texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE))


def refusal(who: Who) -> Reply:
    """Why a request about a unit the person does not lead is refused: someone who leads a
    cell is told the item is not in their cell; anyone else that it is for secretaries."""
    if who.led_unit_ids():
        return Reply(texts.NOT_YOUR_CELL)
    return secretaries_only()
