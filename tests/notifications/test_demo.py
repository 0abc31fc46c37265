from factdesk.demo.desk import load_demo
from factdesk.notifications.models import Kind, Notification


def test_the_demo_rings_the_bell(db, settings, archive_storage, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    told = set(Notification.objects.values_list("recipient__username", "kind"))
    assert {
        ("rita", Kind.ASSIGNED),
        ("rita", Kind.MENTION),
        ("ralph", Kind.CHANGES_REQUESTED),
        ("erin", Kind.FOLLOWED),
    } <= told
