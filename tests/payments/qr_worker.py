"""Child process for the crash test: starts a QR payment for one order and is killed by
the test while it waits for Stripe's answer.

    python qr_worker.py DB_URL ORDER_ID
"""

import sys

from popup_pos.services import payments
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork


def main() -> None:
    db_url, order_id = sys.argv[1], int(sys.argv[2])
    uow = UnitOfWork(make_engine(db_url))
    payments.charge_by_qr(uow, order_id)


if __name__ == "__main__":
    main()
