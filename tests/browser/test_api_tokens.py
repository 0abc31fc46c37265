"""A reporter makes an API token (a double click makes one), copies it from the page that
shows it once, uses it, and revokes it."""

from playwright.sync_api import expect

from factdesk.api.models import ApiToken


def test_a_reporter_makes_uses_and_revokes_a_token(page, log_in, reporter, live_server):
    log_in(reporter)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("button", name="Make token").click()  # no name
    expect(page.get_by_text("Name the token after what will use it.")).to_be_visible()
    page.get_by_label("What will use it").fill("Spreadsheet sync")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").dblclick()
    value = page.get_by_test_id("token-value").inner_text()
    assert value.startswith("fd_")
    assert ApiToken.objects.count() == 1  # a double click makes one token

    answer = page.request.get(
        live_server.url + "/api/v1/desk/claims/", headers={"Authorization": f"Bearer {value}"}
    )
    assert answer.status == 200

    page.reload()  # the value is not shown again
    expect(page.get_by_test_id("token-value")).to_have_count(0)
    expect(page.get_by_test_id("token")).to_contain_text("Spreadsheet sync")
    expect(page.get_by_test_id("token")).to_contain_text("Read and write")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("is revoked: it is refused from now on")).to_be_visible()
    expect(page.get_by_test_id("token")).to_contain_text("Revoked")
    answer = page.request.get(
        live_server.url + "/api/v1/desk/claims/", headers={"Authorization": f"Bearer {value}"}
    )
    assert answer.status == 401
