"""Mail to the portal (PRODUCT.md §3.2): replies become responses, mail to the support address
becomes a ticket. parse (message, text) -> check (loops, verdicts, senders) -> receive (the
use case, through the same tickets.changes the API calls); s3_event is the Lambda's entry."""
