"""Generated amounts, quantities and scans thrown at the parsers and at the command line:
every answer is a result or one foreseen message, and a refusal changes nothing."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from popup_pos.domain.errors import MoneyError, PosError
from popup_pos.domain.limits import MAX_QUANTITY, LimitError, parse_whole
from popup_pos.domain.money import MAX_AMOUNT, parse_amount, parse_percent
from popup_pos.services import catalog, closing
from popup_pos.store.uow import UnitOfWork
from tests.cli.test_errors import Cli

# The database fixture is made once per test, not per example: each example compares the
# database before and after itself instead.
DB_FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARSER_FUZZ = settings(max_examples=300, deadline=None)

# What people and keyboards actually produce, plus the lookalikes int() would accept.
TRICKY = "0123456789_+-.,' $€£¥\u00a0\u2212١٢٣٠۱۲²³¹eExXUSDJPY%"
numbers = st.one_of(
    st.integers(min_value=-(10**22), max_value=10**22).map(str),
    st.text(alphabet=TRICKY, max_size=24),
    st.text(max_size=24),
)
scans = st.one_of(
    st.from_regex(r"[A-Z0-9-]{1,70}", fullmatch=True),
    st.sampled_from(["POSTER", "poster", " POSTER ", "TEE-BLK-M", "GIG-1", "A-0001"]),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
)


# ---- the parsers ---------------------------------------------------------------------


@PARSER_FUZZ
@given(numbers, st.sampled_from(["USD", "JPY", "KWD", "EUR"]), st.booleans())
def test_parse_amount_gives_an_amount_in_range_or_one_message(text, currency, negative):
    try:
        value = parse_amount(text, currency, allow_negative=negative)
    except MoneyError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(value, int) and abs(value) <= MAX_AMOUNT
    assert negative or value >= 0
    # What was accepted was written with ASCII digits only.
    assert all(c.isascii() for c in text if c.isdigit())


@PARSER_FUZZ
@given(numbers)
def test_parse_whole_reads_only_plain_digits(text):
    try:
        value = parse_whole(text, "N", low=-MAX_QUANTITY)
    except LimitError as exc:
        assert str(exc).startswith("N ")
        return
    assert -MAX_QUANTITY <= value <= MAX_QUANTITY
    assert text.strip().lstrip("+-").isascii() and text.strip().lstrip("+-").isdigit()
    assert "_" not in text


@PARSER_FUZZ
@given(numbers)
def test_parse_percent(text):
    try:
        ppm = parse_percent(text)
    except MoneyError:
        return
    assert 0 <= ppm <= 1_000_000
    assert all(c.isascii() for c in text if c.isdigit())


@PARSER_FUZZ
@given(st.text(alphabet="0123456789x×*,; .$١²", max_size=40))
def test_parse_cash_count(text):
    try:
        count = closing.parse_cash_count(text, "USD")
    except PosError:
        return
    assert 0 <= count.total_cents <= MAX_AMOUNT


# ---- the command line and the scan lookup, on both databases -------------------------


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    c = Cli(db_url, capsys)
    assert c("demo", "seed")[0] == 0
    yield c
    c.engine.dispose()


def _run(cli: Cli, *args: str) -> tuple[int, str]:
    """The exit status and stderr, a usage mistake (argparse's exit 2) included."""
    try:
        code, _, err = cli(*args)
    except SystemExit as exc:
        assert isinstance(exc.code, int)
        code, err = exc.code, cli.capsys.readouterr().err
    return code, err


def _foreseen(code: int, err: str) -> None:
    """A refusal: exit 1 and exactly one line that is not the safety net's, or a usage
    mistake explained by argparse (exit 2: the usage line and the error)."""
    assert "failed unexpectedly" not in err and "Traceback" not in err
    lines = err.strip().splitlines()
    if code == 2:
        assert lines[0].startswith("usage: ") and "error: " in lines[-1], err
        return
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith("popup-pos: "), err


@DB_FUZZ
@given(qty=numbers)
def test_count_in(cli, qty):
    before, on_hand = cli.state(), cli.on_hand("POSTER")
    code, err = _run(cli, "stock", "count-in", "POSTER", qty)
    if code == 0:
        assert cli.on_hand("POSTER") == on_hand + int(qty.strip())
    else:
        _foreseen(code, err)
        assert cli.state() == before


@DB_FUZZ
@given(delta=numbers, reason=st.text(max_size=220))
def test_adjust(cli, delta, reason):
    before, on_hand = cli.state(), cli.on_hand("POSTER")
    code, err = _run(cli, "stock", "adjust", "POSTER", delta, "--reason", reason)
    if code == 0:
        assert cli.on_hand("POSTER") == on_hand + int(delta.strip())
    else:
        _foreseen(code, err)
        assert cli.state() == before


@DB_FUZZ
@given(name=st.text(max_size=220), amount=numbers)
def test_event_open(cli, name, amount):
    assume(amount != "")  # `--float ''` is a case of its own (tests/cli/test_cli.py)
    before = cli.state()
    code, err = _run(cli, "event", "open", name, "--float", amount)
    if code == 0:
        assert parse_amount(amount, "USD") >= 0
        assert cli("event", "close", "--counted", "0")[0] == 0
    else:
        _foreseen(code, err)
        assert cli.state() == before


@DB_FUZZ
@given(counted=numbers, sheet=st.lists(st.tuples(scans, numbers), max_size=4))
def test_event_close(cli, tmp_path, counted, sheet):
    if cli("event", "status")[1].startswith("No event"):
        assert cli("event", "open", "Night")[0] == 0
    file = tmp_path / "count.csv"
    rows = ["sku,counted", *(f'"{s.replace(chr(34), "")}",{n}' for s, n in sheet)]
    file.write_text("\n".join(rows) + "\n", encoding="utf-8", errors="replace")
    before = cli.state()
    code, err = _run(cli, "event", "close", "--counted", counted, "--count-out", str(file))
    if code != 0:
        _foreseen(code, err)
        assert cli.state() == before


@DB_FUZZ
@given(scan=scans)
def test_a_scan_finds_a_variant_or_nothing(cli, scan):
    uow = UnitOfWork(cli.engine)
    found = catalog.find_by_code(uow, scan)
    assert found is None or found.sku.upper() == scan.strip().upper() or found.barcode
    assert isinstance(catalog.search(uow, scan), list)


@DB_FUZZ
@given(scan=scans)
def test_a_scan_typed_as_an_sku_or_an_order(cli, tmp_path, scan):
    before = cli.state()
    code, err = _run(cli, "receipt", scan, "--out", str(tmp_path / "r.pdf"))
    _foreseen(code, err)  # no orders: every scan is refused
    code, err = _run(
        cli, "labels", "--sku", scan, "--copies", "1", "--out", str(tmp_path / "l.pdf")
    )
    if code != 0:
        _foreseen(code, err)
    assert cli.state() == before


@DB_FUZZ
@given(copies=numbers, start=st.one_of(numbers, st.sampled_from(["1", "2", "30"])))
def test_labels(cli, tmp_path, copies, start):
    out = tmp_path / "labels.pdf"
    out.unlink(missing_ok=True)
    code, err = _run(
        cli,
        "labels",
        "--sku",
        "POSTER",
        "--copies",
        copies,
        "--start-cell",
        start,
        "--out",
        str(out),
    )
    if code == 0:
        assert 1 <= int(copies) <= 1_000 and out.stat().st_size > 0
    else:
        _foreseen(code, err)
        assert not out.exists()


def test_the_alphabet_covers_the_lookalikes():
    # The strategies above must keep producing what int() would wrongly accept.
    assert int("1_0") == 10 and int("١٢") == 12
    assert set("_١²") <= set(TRICKY) and set(string.digits) <= set(TRICKY)
