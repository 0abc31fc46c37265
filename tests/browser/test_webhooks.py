"""A publisher adds a webhook, sends it a test event and watches the delivery log update
itself; a fact check published afterwards shows up in the log, delivered."""

from playwright.sync_api import expect

from factdesk.claims.workflow import ClaimStatus
from factdesk.webhooks.models import Subscription
from tests.claims.flow import Desk
from tests.servers import local_site
from tests.webhooks.test_webhooks import HOST, OK, verified, worker_for_webhooks


def test_a_publisher_adds_a_webhook_and_tests_it(
    page, log_in, settings, reporter, editor, publisher, ratings
):
    with local_site(HOST, settings) as receiver:
        receiver["/hooks"] = OK
        worker = worker_for_webhooks()
        try:
            log_in(publisher)
            page.get_by_role("link", name="Webhooks").click()
            page.get_by_role("button", name="Add webhook").click()  # nothing filled in
            expect(page.get_by_text("Paste the address your system receives")).to_be_visible()
            page.get_by_label("Address to send to").fill("http://10.0.0.8/hooks")
            page.get_by_role("button", name="Add webhook").click()
            expect(page.get_by_text("is on a private network (10.0.0.8)")).to_be_visible()
            page.get_by_label("Address to send to").fill(receiver.base + "/hooks")
            page.get_by_label("A correction is published").uncheck()
            page.get_by_label("What it is for").fill("The CMS's fact-check box")
            page.get_by_role("button", name="Add webhook").dblclick()
            expect(page.get_by_test_id("webhook-url")).to_have_text(receiver.base + "/hooks")
            subscription = Subscription.objects.get()  # a double click adds one
            assert subscription.events == ["fact_check.published", "fact_check.retracted"]
            expect(page.get_by_test_id("webhook-secret")).to_have_text(subscription.secret)

            page.get_by_role("button", name="Send a test event").click()
            expect(page.get_by_test_id("delivery-status")).to_have_text("Delivered", timeout=30_000)
            expect(page.get_by_test_id("delivery-answer")).to_have_text("200")
            assert verified(receiver.posts[0], subscription.secret)["type"] == "webhook.test"

            Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings).claim_in(
                ClaimStatus.PUBLISHED
            )
            page.reload()
            expect(page.get_by_test_id("delivery")).to_have_count(2)
            first = page.get_by_test_id("delivery").first
            expect(first).to_contain_text("fact_check.published")
            expect(first.get_by_test_id("delivery-status")).to_have_text(
                "Delivered", timeout=30_000
            )

            page.get_by_role("button", name="Turn off").click()
            expect(page.get_by_test_id("webhook-state")).to_have_text("Off: nothing new is sent")
            page.go_back()  # the page as it was before; read again, it says what is true now
            expect(page.get_by_test_id("webhook-url")).to_be_visible()
            page.reload()
            expect(page.get_by_test_id("webhook-state")).to_have_text("Off: nothing new is sent")
            assert not Subscription.objects.get().active
        finally:
            worker.stop()
