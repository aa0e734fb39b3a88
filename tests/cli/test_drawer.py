"""`popup-pos drawer`: paid in, paid out, no-sale and the list, as typed at a terminal."""

from __future__ import annotations


def test_paid_in_out_no_sale_and_list(run):
    assert run("drawer", "paid-in", "50", "--reason", "change from the bank", "--by", "Ana") == (
        0,
        "Paid in $50.00: change from the bank\n",
        "",
    )
    code, out, _ = run("drawer", "paid-out", "7.50", "--reason", "ice")
    assert (code, out) == (0, "Paid out $7.50: ice\n")
    code, out, _ = run("drawer", "no-sale", "--reason", "change for a fifty")
    assert (code, out) == (0, "No sale: change for a fifty\n")
    code, out, _ = run("drawer", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "paid in" in lines[0] and "$50.00" in lines[0] and lines[0].endswith("(Ana)")
    assert "paid out" in lines[1] and "-$7.50" in lines[1] and lines[1].endswith("ice")
    assert "no sale" in lines[2] and "change for a fifty" in lines[2]


def test_the_cash_up_shows_the_drawer(run):
    run("drawer", "paid-out", "7.50", "--reason", "ice")
    run("drawer", "no-sale", "--reason", "change")
    code, out, _ = run("event", "status")
    assert code == 0
    assert "cash expected in the drawer: -$7.50" in out
    assert "drawer: 0 paid in ($0.00), 1 paid out ($7.50), 1 no-sale" in out
    code, out, _ = run("event", "close", "--counted", "0", "--cancel-unpaid")
    assert code == 0
    assert "drawer: 0 paid in ($0.00), 1 paid out ($7.50), 1 no-sale" in out
    code, out, _ = run("drawer", "list", "--event", "last")
    assert code == 0 and "ice" in out and "change" in out


def test_mistakes_get_one_line(run):
    code, out, err = run("drawer", "paid-in", "abc", "--reason", "x")
    assert (code, out) == (1, "")
    assert err == "popup-pos: amount 'abc' is not a number\n"
    code, _, err = run("drawer", "no-sale", "--reason", " ")
    assert code == 1
    assert err == "popup-pos: say why the drawer was opened (the reason is empty)\n"
    code, _, err = run("drawer", "paid-out", "-5", "--reason", "x")
    assert code != 0


def test_empty_list_says_so(run):
    assert run("drawer", "list") == (0, "The drawer was not opened outside sales.\n", "")


def test_no_event_open(run, shop):
    from popup_pos.services import closing

    closing.close_event(shop.uow, counted_cents=0)
    code, _, err = run("drawer", "no-sale", "--reason", "x")
    assert code == 1 and "no event is open" in err
