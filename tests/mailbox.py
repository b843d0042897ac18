"""A real SMTP server for the tests (aiosmtpd), and what it received: the desk's e-mail is
sent to it over a socket and read back as parsed messages."""

import email
from contextlib import contextmanager
from email import policy

from claims import notifications
from tests.network import free_port


class Inbox:
    """What the test SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def received(self):
        notifications.flush()
        return [(m["To"], m["Subject"], m.get_content()) for m in self.messages]

    def to(self, user):
        return [(subject, body) for to, subject, body in self.received() if to == user.email]


@contextmanager
def running_inbox(settings):
    """An SMTP server on a free port for as long as the block runs, with Django's mail
    settings pointing at it."""
    from aiosmtpd.controller import Controller

    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        yield box
    finally:
        controller.stop()
