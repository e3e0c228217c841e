"""Channel adapters: Telegram (PTB) and Zalo (httpx), at the edge."""
