import sys

from prongsai.cli import main

sys.exit(main())
