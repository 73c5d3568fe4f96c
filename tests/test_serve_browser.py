"""A live query page in headless Chromium: fill in a parameter, submit the form, read the rows."""

from __future__ import annotations

import json

import pytest

from browser import Browser, require_chromium
from serving import serving

pytestmark = pytest.mark.slow
ROWS_JS = "Array.from(document.querySelectorAll('#rows tbody tr'), tr => Array.from(tr.cells, td => td.textContent))"


def test_fill_a_parameter_submit_and_read_the_rows() -> None:
    chromium = require_chromium()
    with serving() as server, Browser(chromium) as browser:
        page = browser.page()
        page.goto(server.url + "queries/measures-of-unit")
        assert page.evaluate("document.getElementById('param-unit').value") == "デジタル変革課"  # the default
        page.evaluate(f"document.getElementById('param-unit').value = {json.dumps('教育庁')}")
        page.evaluate("document.getElementById('run').click()")
        browser.wait_for("Page.loadEventFired", session=page.session)
        assert page.evaluate("location.search") == "?unit=%E6%95%99%E8%82%B2%E5%BA%81"
        rows = page.evaluate(ROWS_JS)
        # tests/queries/measures-of-unit.kyoiku-cho.csv (worked out by hand): 18 rows, first and last;
        # the first columns are the edition and the plan (every canned query answers per plan)
        plan = "https://w3id.org/plan2rdf/id/fukushima-ict/2021"
        assert len(rows) == 18
        assert rows[0][:7] == ["2021", plan, "3-26", "3", "false", "県立学校IT環境整備事業", "教育総務課"]
        assert rows[-1][:7] == ["2021", plan, "5-37", "5", "false", "博物館IT化事業", "博物館"]
        assert page.evaluate("document.getElementById('param-unit').value") == "教育庁"
        page.goto(server.url + "editor")
        page.evaluate("document.getElementById('run').click()")
        browser.wait_for("Page.loadEventFired", session=page.session)
        assert len(page.evaluate(ROWS_JS)) == 20  # the starting query: LIMIT 20
        assert page.dialogs() == []
