"""Raise a ticket by mail on the local stack: alice writes to the support address through the
local SMTP server (run: python docs/snippets/mail_a_ticket.py [port], default 2525)."""

import smtplib
import sys
from email.message import EmailMessage

port = int(sys.argv[1]) if len(sys.argv) > 1 else 2525

mail = EmailMessage()
mail["From"] = "Alice <alice@acme.example>"
mail["To"] = "support@vendor.example"
mail["Subject"] = "The installer stops at 80 %"
mail.set_content("It hangs on step 4, every time.\n\n-- \nAlice, Acme Corp IT")

with smtplib.SMTP("127.0.0.1", port) as smtp:
    smtp.send_message(mail)
print("Sent: the ticket appears on the support page within seconds.")
