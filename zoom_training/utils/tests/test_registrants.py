import pytest

from zoom_training.utils.registrants import (
    DEFAULT_TEST_DOMAINS,
    batches,
    email_problem,
    limited_registrant,
    parse_test_domains,
    rejected_index,
    split_name,
)

TEST_DOMAINS = parse_test_domains(DEFAULT_TEST_DOMAINS)


@pytest.mark.parametrize(
    "email",
    ["", "plain", "a@b", "a@@b.com", "a b@c.com", "a..b@c.com", "a@-c.com", "x" * 120 + "@mail.com"],
)
def test_invalid_emails(email):
    assert email_problem(email, TEST_DOMAINS) == "invalid"


@pytest.mark.parametrize(
    "email",
    ["a@mail.test", "a@x.example", "a@host.invalid", "a@box.localhost", "a@example.com", "a@sub.example.org"],
)
def test_reserved_test_addresses(email):
    assert email_problem(email, TEST_DOMAINS) == "test"


@pytest.mark.parametrize("email", ["anna.o'neil+zoom@mail.co.uk", "Bob@Company.COM", "x@notexample.com"])
def test_good_emails(email):
    assert email_problem(email, TEST_DOMAINS) is None


def test_test_domains_come_from_the_setting():
    assert email_problem("a@example.com", parse_test_domains(" .test , example.org ")) is None
    assert email_problem("a@example.org", parse_test_domains(" .test , example.org ")) == "test"


def test_names_fit_zoom():
    assert split_name("Anna Maria O'Neil", "a@b.com") == ("Anna", "Maria O'Neil")
    assert split_name("", "anna@b.com") == ("anna", "")
    first, last = split_name("A" * 80 + " " + "B" * 80, "a@b.com")
    assert (len(first), len(last)) == (64, 64)


def test_batches_of_30():
    assert [len(batch) for batch in batches(range(100))] == [30, 30, 30, 10]
    assert batches([]) == []


def test_the_registrant_named_by_a_daily_limit():
    sandbox = (
        'You have exceeded the daily rate limit of "3" for Add meeting registrant API requests for the '
        'registrant "Anna@Example.com". You can resume these API requests at GMT 00:00:00.'
    )
    live = (
        "You have exceeded the daily rate limit of (3) for Add a webinar registrant API requests for the "
        "registrant (user@example.com)."
    )
    assert limited_registrant(sandbox) == "anna@example.com"
    assert limited_registrant(live) == "user@example.com"
    assert limited_registrant("You have reached the maximum daily rate limit for this API.") is None


def test_the_registrant_zoom_rejected():
    assert rejected_index([{"field": "registrants[3].email", "message": "Invalid field."}]) == 3
    assert rejected_index([{"field": "auto_approve"}]) is None
    assert rejected_index(None) is None


def test_the_test_domains_setting_tolerates_spaces_capitals_and_nothing():
    assert parse_test_domains(" .Test , Example.com ,, ") == (".test", "example.com")
    assert parse_test_domains(None) == ()


def test_an_email_of_zooms_maximum_length_is_accepted():
    local = "x" * (128 - len("@mail.com"))
    assert email_problem(local + "@mail.com") is None
    assert email_problem("x" + local + "@mail.com") == "invalid"
