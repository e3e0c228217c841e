"""Every sentence a user reads, in Vietnamese with full diacritics. Placeholders use {names}.

One module per feature; this package re-exports them all so call sites read `texts.X`. A new
text goes in its feature's module. Limits and other data live with the code that uses them.
"""

from __future__ import annotations

from .attendance import *
from .bulletin import *
from .channels import *
from .checkin import *
from .cli import *
from .commands import *
from .common import *
from .dues import *
from .invites import *
from .leave import *
from .meetdays import *
from .meetings import *
from .minutes import *
from .notice import *
from .onboarding import *
from .reschedule import *
from .roster import *
from .sandbox import *
from .tasks import *
from .web import *
from .year import *
from .zalo import *
