from . import event_registration, sale_order
