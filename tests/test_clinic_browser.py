"""The dashboard in a real browser (Debian's Chromium, headless, driven by selenium), against the
real service started as `python -m clinic serve` in a subprocess, with a real home install
driven through `python main.py` subprocesses: log in with the keyboard, read the patients list,
pair, edit the plan, and see the edit reach the next headless session after a sync.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clinic_fixtures import free_port, plan_toml, require
from tests.conftest import REPO_ROOT
from tests.test_cli import run
from tests.test_plans import recording_of_presses

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)
PASSWORD = "a browser test password"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("clinic")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "clinic",
            "add-therapist",
            "ana",
            "--name",
            "Ana Therapist",
            "--password-stdin",
            "--data-dir",
            str(folder),
        ],
        input=PASSWORD + "\n",
        text=True,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "clinic", "serve", "--data-dir", str(folder), "--port", str(port)],
        cwd=REPO_ROOT,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the clinic did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require("chromium", Path(CHROMIUM).exists())
    require("chromium-driver", Path(CHROMEDRIVER).exists())
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def submit(browser: Any, action: Any) -> None:
    """Do `action` (a key press or a click that loads a page) and wait for the new page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(old))


def main_py(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result


def test_login_patients_pairing_and_a_plan_edit_that_reaches_the_game(
    server: str, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    home = tmp_path / "home"
    device = f"replay:{recording_of_presses(tmp_path, 20)}@20"
    main_py(
        home,
        "session",
        "--headless",
        "--device",
        device,
        "--exercise",
        "wrist_extension",
        "--reps",
        "3",
        "--patient",
        "Anna",
    )

    browser.get(server + "/")
    assert browser.current_url.endswith("/login")
    submit(
        browser,
        lambda: browser.find_element(By.ID, "username").send_keys(
            "ana", Keys.TAB, "wrong password", Keys.ENTER
        ),
    )
    assert "not right" in browser.find_element(By.ID, "problem").text
    submit(
        browser, lambda: browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    )  # keyboard only
    assert browser.find_element(By.TAG_NAME, "h1").text == "Your patients"

    submit(browser, lambda: browser.find_element(By.ID, "name").send_keys("Anna", Keys.ENTER))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Anna"
    submit(browser, lambda: browser.find_element(By.ID, "make-code").click())
    code = browser.find_element(By.ID, "pairing-code").text
    paired = main_py(home, "sync", "--pair", code, "--server", server, "--patient", "Anna")
    assert "paired with the clinic as Anna" in paired.stdout and "sent 1 items" in paired.stdout

    browser.get(server + "/")
    row = browser.find_element(By.CSS_SELECTOR, "#patients tbody tr").text
    assert row.startswith("Anna") and "1 of 30" in row and "none yet" not in row
    browser.save_screenshot(str(tmp_path / "patients.png"))

    submit(browser, lambda: browser.find_element(By.LINK_TEXT, "Anna").click())
    editor = browser.find_element(By.ID, "plan_toml")
    editor.clear()
    editor.send_keys(plan_toml(reps=99, extra="rest_s = 5\n"))
    submit(browser, lambda: browser.find_element(By.ID, "save-plan").click())
    problems = browser.find_element(By.ID, "plan-problems").text
    assert "reps = 99" in problems and "1 to 30" in problems
    editor = browser.find_element(By.ID, "plan_toml")
    assert "reps = 99" in editor.get_attribute("value")  # what was typed is still there
    editor.clear()
    editor.send_keys(plan_toml(reps=4, extra="rest_s = 5\n"))
    submit(browser, lambda: browser.find_element(By.ID, "save-plan").click())
    assert "Plan version 1 saved" in browser.find_element(By.ID, "saved").text
    browser.save_screenshot(str(tmp_path / "patient.png"))

    synced = main_py(home, "sync", "--json")
    assert json.loads(synced.stdout)["plan_version"] == 1
    session = main_py(
        home, "session", "--headless", "--device", device, "--plan", "stored", "--patient", "Anna"
    )
    summary = json.loads(session.stdout)
    assert [b["reps_per_set"] for b in summary["blocks"]] == [[4, 4]]  # the therapist's edit
    assert json.loads(main_py(home, "sync", "--json").stdout)["sent"] == 1

    browser.refresh()
    sessions = browser.find_elements(
        By.XPATH, "//h2[text()='Recent sessions']/following::table[1]//tbody/tr"
    )
    assert len(sessions) == 2
