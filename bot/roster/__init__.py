"""The membership list as spreadsheets."""
