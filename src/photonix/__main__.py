import sys

from photonix.cli import main

sys.exit(main())
