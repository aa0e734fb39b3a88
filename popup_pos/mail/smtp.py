"""Sending through an SMTP server: plain, STARTTLS or TLS, with login; refusals explained."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass

from popup_pos.domain.errors import PosError

SECURITY = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
TIMEOUT_S = 20.0


class MailError(PosError):
    """A message that could not be sent; `permanent` when retrying the same message cannot
    help (a refused recipient), else it waits for the next try."""

    permanent = False


class UnreachableError(MailError):
    """The server could not be reached or dropped the connection."""


class LoginRefusedError(MailError):
    """The server refused the user name or password."""


class SenderRefusedError(MailError):
    """The server refused the From address."""

    permanent = True


class RecipientRefusedError(MailError):
    """The server refused the recipient's address."""

    permanent = True


@dataclass(frozen=True, slots=True)
class Server:
    """Where and how to connect; the password is passed separately, never kept here."""

    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    verify: bool = True
    # Tests and self-signed relays: a CA bundle to trust instead of the system's.
    cafile: str | None = None

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def _reason(code: int, raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{code} {' '.join(text.split())}".strip()[:300]


def _context(server: Server) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=server.cafile)
    if not server.verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def connect(server: Server, password: str | None) -> smtplib.SMTP:
    """An open, logged-in connection, or a MailError saying what went wrong."""
    where = server.describe()
    try:
        smtp: smtplib.SMTP
        if server.security == "tls":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT_S, context=_context(server)
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
        try:
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=_context(server))
                smtp.ehlo()
            if server.user:
                if not password:
                    raise LoginRefusedError(
                        f"no SMTP password for {server.user}: run `popup-pos mail set` to store it"
                    )
                smtp.login(server.user, password)
        except BaseException:
            smtp.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        raise LoginRefusedError(
            f"{where} refused the login of {server.user}: wrong user name or password "
            f"({_reason(exc.smtp_code, exc.smtp_error)})"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise UnreachableError(f"{where} does not offer this: {exc}") from None
    except smtplib.SMTPException as exc:
        raise UnreachableError(f"{where}: {exc}") from None
    except ssl.SSLError as exc:
        raise UnreachableError(f"{where}: secure connection failed ({exc.reason or exc})") from None
    except TimeoutError:
        raise UnreachableError(f"{where} did not answer in {TIMEOUT_S:.0f} s") from None
    except OSError as exc:
        raise UnreachableError(f"cannot reach {where}: {exc.strerror or exc}") from None
    return smtp


def check(server: Server, password: str | None) -> None:
    """Connect and log in, then leave: raises a MailError saying what failed."""
    smtp = connect(server, password)
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send(smtp: smtplib.SMTP, sender: str, recipient: str, raw: bytes) -> None:
    """Hand one message to the server on an open connection."""
    # smtplib sends bytes as they are: every line must end in CRLF on the wire.
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    try:
        smtp.sendmail(sender, [recipient], raw)
    except smtplib.SMTPRecipientsRefused as exc:
        code, why = next(iter(exc.recipients.values()))
        raise RecipientRefusedError(
            f"the server refused the address {recipient} ({_reason(code, why)})"
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise SenderRefusedError(
            f"the server refused the sender {sender} ({_reason(exc.smtp_code, exc.smtp_error)})"
        ) from None
    except smtplib.SMTPDataError as exc:
        err = MailError(
            f"the server refused the message ({_reason(exc.smtp_code, exc.smtp_error)})"
        )
        err.permanent = 500 <= exc.smtp_code < 600
        raise err from None
    except smtplib.SMTPServerDisconnected:
        raise UnreachableError("the server closed the connection while sending") from None
    except smtplib.SMTPException as exc:
        raise UnreachableError(f"sending failed: {exc}") from None
    except OSError as exc:
        raise UnreachableError(f"sending failed: {exc.strerror or exc}") from None


def close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
