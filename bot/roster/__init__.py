"""The membership list as spreadsheets: the template admins fill in (`template`), reading and
checking what they send back (`reader`, with the dues and «Diện sinh hoạt» columns in `dues` and
`category`), the columns both share (`columns`), and the printable invite sheets for the members
not yet linked (`invites`)."""
