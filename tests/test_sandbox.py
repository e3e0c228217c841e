"""The sandbox in-process: what a restart keeps (chats, files, sandbox time) and the page's API."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx

from bot.core.config import Config
from bot.sandbox.server import Sandbox
from storage.sandbox import SandboxRepo


async def _started(tmp_path: Path) -> Sandbox:
    box = Sandbox(Config(base_dir=tmp_path), tmp_path / "sandbox-data", port=0)
    await box.prepare()
    await box.start()
    return box


async def test_a_restart_keeps_chats_files_and_sandbox_time(tmp_path: Path) -> None:
    box = await _started(tmp_path)
    try:
        assert box.chibo is not None and box.fake is not None
        people = await SandboxRepo(box.chibo.db).people()
        member = next(p for p in people if p.full_name == "Lê Văn Phúc")
        box.fake.send_text(member.user_id, "/huongdan")
        answer = (await box.fake.wait_sent(member.user_id, 1))[0]
        pdf = box.bulletin_path.read_bytes()
        async with httpx.AsyncClient(base_url=box.url) as client:
            sent = await client.post(
                "api/upload",
                data={"user_id": str(member.user_id)},
                files={"file": ("ban-tin.pdf", pdf, "application/pdf")},
            )
            assert sent.json()["ok"]
            unknown = await client.post("api/send", json={"user_id": 42, "text": "xin chào"})
            assert unknown.status_code == 400
        await box.fake.wait_sent(member.user_id, 2)
        await box.advance(timedelta(days=1))
    finally:
        await box.stop()

    again = await _started(tmp_path)
    try:
        assert again.clock.offset >= timedelta(days=1)
        async with httpx.AsyncClient(base_url=again.url) as client:
            chat = (await client.get(f"api/chat/{member.user_id}")).json()
            texts_seen = [m["text"] for m in chat["messages"]]
            assert texts_seen[0] == "/huongdan"
            assert answer["text"] in texts_seen
            document = next(m["document"] for m in chat["messages"] if "document" in m)
            download = await client.get(f"api/file/{document['file_id']}")
            assert download.content == pdf
            menu = [c["command"] for c in chat["menu"]]
            assert "huongdan" in menu
            state = (await client.get("api/state")).json()
            assert state["offset_seconds"] >= 86_400
        # The chat goes on after the restart: message ids continue, the bot still answers.
        assert again.fake is not None
        before = len(again.fake.sent_to(member.user_id))
        again.fake.send_text(member.user_id, "/huongdan")
        await again.fake.wait_sent(member.user_id, before + 1)
        assert again.fake.violations == []
    finally:
        await again.stop()
