from . import test_connection, test_install, test_sandbox_boot, test_views
