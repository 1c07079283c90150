"""Registrant data checked before Zoom sees it: email syntax, test addresses, names, batches. No ORM."""

import re

BATCH_SIZE = 30  # Zoom's limit for batch registration and registrant status updates
NAME_MAX = 64
EMAIL_MAX = 128

# RFC 2606 and RFC 6761 reserve these names for testing and documentation: mail sent there never arrives.
# Entries starting with a dot are top-level domains, the others whole domains (and their subdomains).
DEFAULT_TEST_DOMAINS = ".test,.example,.invalid,.localhost,example.com,example.net,example.org"

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_LIMITED_REGISTRANT = re.compile(r"for the registrant [\"(]([^\")]+)[\")]")


def parse_test_domains(value):
    """The comma-separated setting as a tuple of lower-case entries."""
    return tuple(part.strip().lower() for part in (value or "").split(",") if part.strip())


def email_problem(email, test_domains=()):
    """Why Zoom must not get this email ("invalid" or "test"), or None when it is fine."""
    email = (email or "").strip()
    if not email or len(email) > EMAIL_MAX or ".." in email or not _EMAIL.match(email):
        return "invalid"
    domain = email.rsplit("@", 1)[1].lower()
    for entry in test_domains:
        if entry.startswith(".") and domain.endswith(entry):
            return "test"
        if domain == entry or domain.endswith("." + entry):
            return "test"
    return None


def split_name(name, email):
    """Zoom's first name (required) and last name, each at most 64 characters."""
    parts = (name or "").split()
    if not parts:
        return email.split("@", 1)[0][:NAME_MAX], ""
    return parts[0][:NAME_MAX], " ".join(parts[1:])[:NAME_MAX]


def batches(items, size=BATCH_SIZE):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


def limited_registrant(message):
    """The email named by a per-registrant daily limit message, or None (an account-wide limit)."""
    found = _LIMITED_REGISTRANT.search(message or "")
    return found.group(1).strip().lower() if found else None


def rejected_index(errors, list_field="registrants"):
    """The position of the registrant a Zoom validation error names (`registrants[3].email`), or None."""
    for error in errors or ():
        found = re.match(rf"^{list_field}\[(\d+)\]", str(error.get("field") or ""))
        if found:
            return int(found.group(1))
    return None
