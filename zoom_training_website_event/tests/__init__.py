from . import test_website_signup
