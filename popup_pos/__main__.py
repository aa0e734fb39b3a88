"""`python -m popup_pos` runs the same command as `popup-pos`."""

import sys

from popup_pos.cli import main

sys.exit(main())
