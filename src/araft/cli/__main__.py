import sys

from araft.cli import main

sys.exit(main())
