"""Reads what `make test` produced and prints the verdict, ending with `N passed, N failed`.

Fails the run on: a failing linter, a failing or erroring test (pytest or Odoo), an ERROR or
CRITICAL line anywhere in the Odoo logs (as OCA's CI does), and any WARNING while installing the addon.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) ")
# Warnings about other addons found in the Odoo tree, not about installing this one (some Odoo copies
# carry an extra addon without a license key).
FOREIGN_ADDON_WARNING = re.compile(
    r"odoo\.modules\.module: Missing `license` key in manifest for '(?!zoom_training')"
)
AXE_VERDICT = re.compile(
    r"\.browser: (?P<verdict>axe-core \S+: \S+ at \d+ px: (?P<blocking>\d+) serious or critical.*)$"
)
ODOO_RESULT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests")


def pytest_counts(junit_path):
    if not junit_path.exists():
        return 0, 1, ["pytest produced no report"]
    root = ET.parse(junit_path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - bad - skipped, bad, []


def log_lines(path, levels):
    if not path.exists():
        return [f"{path.name}: missing"]
    found = []
    for line in path.read_text(errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if match and match["level"] in levels and not FOREIGN_ADDON_WARNING.search(line):
            found.append(f"{path.name}: {line}")
    return found


def odoo_counts(log_path):
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    results = ODOO_RESULT.findall(text)
    if not results:
        return 0, 1, ["the Odoo test run printed no result (did it start?)"]
    failed, errors, run = (int(x) for x in results[-1])
    if run == 0:
        return 0, 1, ["the Odoo test run ran no test"]
    return run - failed - errors, failed + errors, []


def axe_verdicts(log_paths):
    """axe-core's verdict on each page the accessibility tours checked (desktop and phone)."""
    texts = [path.read_text(errors="replace") for path in log_paths if path.exists()]
    lines = "\n".join(texts).splitlines()
    return [match for match in map(AXE_VERDICT.search, lines) if match]


def print_accessibility(log_paths):
    verdicts = axe_verdicts(log_paths)
    blocking = sum(1 for match in verdicts if int(match["blocking"]))
    print(
        f"accessibility (axe-core): {len(verdicts)} page checks, "
        f"{blocking} with a serious or critical violation"
    )
    for match in verdicts:
        print(f"  {match['verdict'].strip()}")
    return len(verdicts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint-status", type=int, default=0)
    parser.add_argument("--pytest", type=Path, required=True)
    # once per database: zoom_training alone, then its glue modules with website_event and event_sale
    parser.add_argument("--install-log", type=Path, action="append", required=True)
    parser.add_argument("--odoo-log", type=Path, action="append", required=True)
    args = parser.parse_args()

    py_passed, py_failed, py_problems = pytest_counts(args.pytest)
    odoo_passed, odoo_failed, odoo_problems = 0, 0, []
    for odoo_log in args.odoo_log:
        passed, failed, problems = odoo_counts(odoo_log)
        odoo_passed, odoo_failed, odoo_problems = (
            odoo_passed + passed,
            odoo_failed + failed,
            odoo_problems + [f"{odoo_log.name}: {problem}" for problem in problems],
        )
    gate_problems = []
    for install_log in args.install_log:
        gate_problems += log_lines(install_log, {"WARNING", "ERROR", "CRITICAL"})
    for odoo_log in args.odoo_log:
        gate_problems += log_lines(odoo_log, {"ERROR", "CRITICAL"})
    if args.lint_status:
        gate_problems.append("linters reported findings (see above)")

    print(f"plain-Python tests: {py_passed} passed, {py_failed} failed")
    print(f"Odoo tests: {odoo_passed} passed, {odoo_failed} failed")
    if not print_accessibility(args.odoo_log):
        gate_problems.append("no axe-core verdict in the Odoo log: the accessibility tours did not run")
    for problem in py_problems + odoo_problems + gate_problems:
        print(f"PROBLEM: {problem}")
    # Each log or lint problem counts as one failed check, so a red gate can never print "0 failed".
    failed = py_failed + odoo_failed + len(gate_problems)
    print(f"{py_passed + odoo_passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
