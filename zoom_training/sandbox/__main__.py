"""`python -m zoom_training.sandbox`: run the Zoom sandbox as its own process."""

import argparse
import signal
import threading

from .ratelimit import PLANS
from .server import DEFAULT_USER, ZoomSandbox, parse_user_spec


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m zoom_training.sandbox", description="Run the Zoom sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790, help="0 picks a free port")
    parser.add_argument("--account-id", default="sandbox_account")
    parser.add_argument("--client-id", default="sandbox_client_id")
    parser.add_argument("--client-secret", default="sandbox_client_secret")
    parser.add_argument("--webhook-secret", default="sandbox_webhook_secret")
    parser.add_argument("--webhook-url", help="where meeting.* and recording.* events are posted")
    parser.add_argument("--webinar-webhook-url", help="where webinar.* events go (default: --webhook-url)")
    parser.add_argument("--plan", choices=sorted(PLANS), default="pro", help="the account's rate limits")
    parser.add_argument("--token-ttl", type=int, default=3599, help="expires_in of access tokens (seconds)")
    parser.add_argument(
        "--user",
        action="append",
        type=_user,
        metavar="EMAIL:TYPE[:webinar]",
        help="seed a user (repeatable); TYPE is licensed or basic",
    )
    parser.add_argument("--no-rate-limits", action="store_true", help="disable rate limiting")
    parser.add_argument(
        "--webhook-time-scale", type=float, default=1.0, help="multiplies webhook retry delays"
    )
    return parser.parse_args(argv)


def _user(text):
    try:
        return parse_user_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build(args):
    return ZoomSandbox(
        host=args.host,
        port=args.port,
        account_id=args.account_id,
        client_id=args.client_id,
        client_secret=args.client_secret,
        webhook_secret=args.webhook_secret,
        webhook_url=args.webhook_url,
        webinar_webhook_url=args.webinar_webhook_url,
        plan=args.plan,
        token_ttl=args.token_ttl,
        users=args.user or [DEFAULT_USER],
        rate_limits=not args.no_rate_limits,
        webhook_time_scale=args.webhook_time_scale,
        log_requests=True,
    )


def describe(sandbox, args):
    users = ", ".join(
        f"{u.email} ({'licensed' if u.licensed else 'basic'}{', webinar' if u.webinar else ''})"
        for u in sandbox.users()
    )
    return "\n".join(
        [
            f"Zoom sandbox listening on {sandbox.url}",
            f"  OAuth token URL: {sandbox.oauth_url}",
            f"  API base:        {sandbox.api_base}",
            f"  account_id:      {args.account_id}",
            f"  client_id:       {args.client_id}",
            f"  client_secret:   {args.client_secret}",
            f"  webhook secret:  {args.webhook_secret}",
            f"  webhooks:        {args.webhook_url or '-'}",
            f"  webinar webhooks: {args.webinar_webhook_url or args.webhook_url or '-'}",
            f"  plan:            {args.plan}{'' if not args.no_rate_limits else ' (rate limits off)'}",
            f"  users:           {users}",
            f"  admin API:       {sandbox.url}/_sandbox/state",
        ]
    )


def main(argv=None):
    args = parse_args(argv)
    sandbox = build(args).start()
    # A command-line program: its banner goes to standard output, not to a log.
    print(describe(sandbox, args), flush=True)  # pylint: disable=print-used
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    sandbox.stop()


if __name__ == "__main__":
    main()
