"""GET /api/thresholds: the Code's thresholds as the articles of ../shared/corpus write them."""

from __future__ import annotations


def test_api_thresholds(client):
    rows = client.get("/api/thresholds", params={"aspect": "ecrit"}).json()
    assert {r["article"] for r in rows} == {"L2112-1", "R2112-1"}
    assert all(r["bounds"][0]["amount"] == 25000.0 for r in rows)
    figures_only = client.get("/api/thresholds", params={"missing": "false"}).json()
    assert figures_only and all(b["amount"] is not None for r in figures_only for b in r["bounds"])
    one = client.get("/api/thresholds", params={"article": "r2122-8"}).json()
    assert [b["contract_types"] for b in one[0]["bounds"]] == [["fournitures", "services"], ["travaux"]]
    bad = client.get("/api/thresholds", params={"aspect": "inconnu"})
    assert bad.status_code == 422 and "Aspect inconnu" in bad.json()["detail"]


def test_api_limits(client):
    rows = client.get("/api/limits").json()
    assert {("R2142-7", "multiple", 1.5), ("L2125-1", "duration", 48.0)} <= {(r["article"], r["kind"], r["value"]) for r in rows}
    one = client.get("/api/limits", params={"article": "r2191-33"}).json()
    assert sorted(r["value"] for r in one) == [3.0, 5.0] and all(r["quote"] in r["sentence"] for r in one)


def test_api_cases_allowed_whatever_the_amount(client):
    rows = client.get("/api/thresholds/cases", params={"aspect": "dispense"}).json()
    assert {"R2122-1", "R2122-3"} <= {r["article"] for r in rows}
    assert all(r["aspect"] == "dispense" and len(r["words"]) >= 2 and r["case"] in r["sentence"] for r in rows)
    one = client.get("/api/thresholds/cases", params={"article": "r2122-7"}).json()
    assert [r["contract_types"] for r in one] == [["travaux", "services"]]
    bad = client.get("/api/thresholds/cases", params={"aspect": "inconnu"})
    assert bad.status_code == 422 and "Aspect inconnu" in bad.json()["detail"]
