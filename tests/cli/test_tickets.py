"""`popup-pos tickets list` and `popup-pos tickets slips`: the ticket queue from a terminal."""

from datetime import datetime

import pypdfium2
import pytest
import zxingcpp

from popup_pos.cli import main
from popup_pos.documents.templates import MM
from popup_pos.services import tickets
from popup_pos.services.checkout import CartLine


def pages(path) -> list[tuple[float, list[tuple[str, str]], str]]:
    """(width in points, decoded codes, text) of each page."""
    out = []
    for page in pypdfium2.PdfDocument(path):
        image = page.render(scale=203 / 72, grayscale=True, no_smoothpath=True).to_pil()
        found = sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image))
        out.append((page.get_size()[0], found, page.get_textpage().get_text_range()))
    return out


def test_an_empty_queue(run):
    code, out, err = run("tickets", "list")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "0 waiting, 0 called; a ticket sold now is served next"
    assert out.splitlines()[1] == "No tickets to serve."


def test_list_shows_code_order_name_for_whom_status_and_when(shop, run):
    first = shop.sell(CartLine("SHOUTOUT-60", personalisation="Sam"))
    evening = datetime.now().astimezone().replace(hour=20, minute=5, second=0, microsecond=0)
    second = shop.sell(CartLine("SIGNING-SLOT", personalisation="Alex"), now=evening)
    third = shop.sell(CartLine("MEET-GREET"), CartLine("TEE-M"))
    sam, alex, meet = tickets.queue(shop.uow)
    assert alex.slot_at is not None
    slot = alex.slot_at.astimezone().strftime("%H:%M")
    tickets.call(shop.uow, meet.id)
    called_at = tickets.find(shop.uow, meet.id).called_at.astimezone().strftime("%H:%M")

    code, out, err = run("tickets", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("2 waiting, 1 called; a ticket sold now waits about ")
    assert lines[1].split() == ["CODE", "ORDER", "EXPERIENCE", "FOR", "STATUS", "SLOT", "/", "WAIT"]
    rows = [line.split("  ") for line in lines[2:]]
    cells = [[c.strip() for c in row if c.strip()] for row in rows]
    assert cells[0][:5] == [sam.code, first.number, "60-second video shoutout", "Sam", "waiting"]
    assert cells[0][5].startswith("about ") and cells[0][5].endswith(" min")
    alex_row = [alex.code, second.number, "Signing slot (10 min)", "Alex", "waiting"]
    assert cells[1] == [*alex_row, f"slot {slot}"]
    assert cells[2] == [
        meet.code,
        third.number,
        "Meet & greet (5 min)",
        "called",
        f"called {called_at}",
    ]
    # Columns line up under their headings.
    assert lines[2].index(first.number) == lines[1].index("ORDER")
    assert lines[4].index("called") == lines[1].index("STATUS")


def test_done_tickets_only_with_all(shop, run):
    shop.sell(CartLine("SHOUTOUT-60", personalisation="Sam"))
    [ticket] = tickets.queue(shop.uow)
    tickets.call(shop.uow, ticket.id)
    tickets.move(shop.uow, ticket.id, "done")
    assert run("tickets", "list")[1].splitlines()[1] == "No tickets to serve."
    code, out, _ = run("tickets", "list", "--all")
    assert code == 0
    [row] = out.splitlines()[2:]
    assert row.startswith(ticket.code) and " done " in row


@pytest.mark.parametrize("width", [None, "58"])
def test_slips_of_an_order(shop, run, tmp_path, width):
    sold = shop.sell(
        CartLine("SHOUTOUT-60", 2, personalisation="Sam"), CartLine("DL-CARD"), CartLine("TEE-M")
    )
    out = tmp_path / "slips.pdf"
    args = ["tickets", "slips", sold.number.lower(), "--out", str(out)]
    code, said, err = run(*args, *(["--width", width] if width else []))
    mm = int(width or 80)
    assert (code, err) == (0, "")
    assert said == f"Wrote 2 ticket slips of order {sold.number} ({mm} mm) to {out}\n"
    views = tickets.of_order(shop.uow, sold.order_id)
    got = pages(out)
    assert [found for _, found, _ in got] == [[("QRCode", t.code)] for t in views]
    for page_width, _, text in got:
        assert page_width == pytest.approx(mm * MM)
        assert "Test night" in text and "For: Sam" in text and f"Order {sold.number}" in text


def test_slips_of_an_order_without_experiences_is_one_clear_line(shop, run, tmp_path):
    sold = shop.sell(CartLine("TEE-M"))
    out = tmp_path / "slips.pdf"
    code, said, err = run("tickets", "slips", sold.number, "--out", str(out))
    assert (code, said) == (1, "")
    assert err == (f"popup-pos: order {sold.number} has no experiences: it has no ticket slips\n")
    assert not out.exists()


def test_slips_refuses_what_it_cannot_write_or_find(shop, run, tmp_path):
    sold = shop.sell(CartLine("SHOUTOUT-60", personalisation="Sam"))
    code, _, err = run("tickets", "slips", sold.number, "--out", str(tmp_path / "no" / "s.pdf"))
    assert code == 1 and "does not exist" in err and len(err.splitlines()) == 1
    code, _, err = run("tickets", "slips", "A-9999", "--out", str(tmp_path / "s.pdf"))
    assert (code, err) == (1, "popup-pos: no order A-9999\n")
    with pytest.raises(SystemExit):
        run("tickets", "slips", sold.number, "--out", str(tmp_path / "s.pdf"), "--width", "76")


def test_help_lists_the_tickets_commands(capsys):
    with pytest.raises(SystemExit):
        main(["tickets", "--help"])
    out = capsys.readouterr().out
    assert "list" in out and "slips" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "tickets" in capsys.readouterr().out
