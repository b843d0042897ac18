"""The balance page counts assessed claims and verdicts by claimant affiliation."""

import pytest

pytestmark = pytest.mark.django_db


def rows(html):
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    result = {}
    for row in table.split("<tr>")[1:]:
        label = row.split('<th scope="row">')[1].split("</th>")[0]
        cells = [
            int(c.split("</td>")[0].replace("<strong>", "").replace("</strong>", ""))
            for c in row.split("<td>")[1:]
        ]
        result[label] = cells
    return result


def test_counts_by_affiliation_and_current_verdict(client, desk):
    response = client.get("/balance/")
    assert response.status_code == 200
    counted = rows(response.content.decode())
    # Columns: the scale in order (Confirmed … False), then the total.
    assert counted["Russian state"] == [0, 0, 0, 1, 0, 0, 0, 1]  # capture claim: Disputed
    assert counted["Ukrainian state"] == [0, 1, 0, 0, 0, 0, 0, 1]  # brigade: Likely true
    assert counted["Independent"] == [0] * 8


def test_counts_only_published_verdicts_of_visible_claims(client, desk, publish_verification):
    # The draft verification (False) of the capture claim and the unpublished claim are not
    # counted; the officer's claim (confidential, Ukrainian) counts once it is assessed.
    publish_verification(desk.officer, verdict="unconfirmed")
    counted = rows(client.get("/balance/").content.decode())
    assert counted["Ukrainian state"] == [0, 1, 1, 0, 0, 0, 0, 2]
    assert "SECRET" not in client.get("/balance/").content.decode()
