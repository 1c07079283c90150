from . import event_mail, event_registration, mail_compose_message
