from . import test_sold_seats
