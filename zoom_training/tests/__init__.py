from . import (
    test_circuit_breaker,
    test_connection,
    test_failures,
    test_fault_injection,
    test_install,
    test_meetings,
    test_reconciliation,
    test_sandbox_boot,
    test_views,
    test_webhook_end_to_end,
    test_webhook_endpoint,
    test_webhook_processing,
)
