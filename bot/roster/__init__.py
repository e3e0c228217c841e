"""The membership list as spreadsheets: the template admins fill in (`template`), reading and
checking what they send back (`reader` finds the tables and reads the files, `rows` checks each
row, with the dues and «Diện sinh hoạt» columns in `dues` and `category`, `checks` checks the rows
together, and `issues` is what is wrong), the columns both share (`columns`), and the printable
invite sheets for the members not yet linked (`invites`)."""
