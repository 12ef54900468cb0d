"""The workbench in a real browser (Chromium through chromedriver and Selenium), as a user uses it.

Driven by BrowserTests (Tests/WorkforceServerTests): a `workforce serve FOLDER` is running at URL.
It opens the page on SCENARIO, waits for the settled answer, moves the first lever's slider with
the keyboard, sees the aims table change and settle again, asks "what would it take?", saves the
variant under NAME, runs the saved file with `workforce run --replications N` (N: the page's
replications) and checks that the run's own summary.html has the aims table the page shows,
cell for cell. Screenshots go to SHOTS (looked at by a person: see docs/workbench.md).
Exits 0 when every check holds, 1 with the reasons otherwise.

    python workbench.py URL FOLDER SCENARIO NAME WORKFORCE SHOTS
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

url, folder, scenario, name, workforce, shots = sys.argv[1:7]
os.makedirs(shots, exist_ok=True)
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)


options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100", "--disable-gpu"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
for attempt in range(3):  # chromedriver's first start on a loaded machine has been seen to fail once
    try:
        browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        break
    except Exception as error:
        print(f"chromedriver did not start (attempt {attempt + 1}): {str(error).splitlines()[0]}", flush=True)
        if attempt == 2:
            raise
        time.sleep(2)
wait = WebDriverWait(browser, 300, poll_frequency=0.1)


def state():
    return browser.find_element(By.ID, "state")


def settled(after=0):
    """Waits for the Monte Carlo answer to question number `after` + 1 or later to finish;
    returns (seconds to the first answer, to done)."""
    started = time.monotonic()
    wait.until(lambda b: int(state().get_attribute("data-question") or 0) > after
               and state().get_attribute("data-mode") in ("expected", "monte-carlo"))
    first = time.monotonic() - started
    wait.until(lambda b: state().get_attribute("data-done") == "yes" and state().get_attribute("data-mode") == "monte-carlo")
    return first, time.monotonic() - started


def aims_table():
    """The aims table's cells as the page shows them, read in one step (a re-render cannot interleave)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('table.aims tbody tr'), r => Array.from(r.querySelectorAll('td'), c => c.innerText.trim()))")


def error_text():
    box = browser.find_element(By.ID, "error")
    return box.text if box.is_displayed() else ""


try:
    started = time.monotonic()
    browser.get(url + "?scenario=" + scenario)
    first, done = settled()
    print(f"first answer {first:.2f} s after the page was asked for, settled after {time.monotonic() - started:.1f} s", flush=True)
    check(error_text() == "", "no error on opening: " + error_text())
    before = aims_table()
    check(len(before) > 0, "the aims table has rows")
    check(browser.find_element(By.CSS_SELECTOR, "#chart svg") is not None, "the fan chart is drawn")
    browser.save_screenshot(os.path.join(shots, "1-opened.png"))

    sliders = browser.find_elements(By.CSS_SELECTOR, "#levers input[type=range]")
    check(len(sliders) > 0, "the scenario has sliders")
    slider = sliders[0]
    label = browser.find_element(By.CSS_SELECTOR, "#levers .lever .value")
    shown_before = label.text
    asked = int(state().get_attribute("data-question"))
    browser.execute_script("arguments[0].focus()", slider)
    for _ in range(12):
        slider.send_keys(Keys.ARROW_RIGHT)
    check(label.text != shown_before, f"the slider's value moved: {shown_before} → {label.text}")
    settled(asked)
    after = aims_table()
    check(after != before, "the aims table changed when the slider moved")
    replications = int(state().get_attribute("data-replications"))
    browser.save_screenshot(os.path.join(shots, "2-moved.png"))

    Select(browser.find_element(By.ID, "take-lever")).select_by_index(0)
    Select(browser.find_element(By.ID, "take-aim")).select_by_index(0)
    browser.find_element(By.ID, "take").click()
    takes = browser.find_element(By.ID, "takes")
    wait.until(lambda b: takes.text and not takes.text.startswith("Searching") or error_text())
    check(error_text() == "", "no error from what would it take: " + error_text())
    check("chance of at least 80%" in takes.text, "what would it take answers in words: " + takes.text)

    box = browser.find_element(By.ID, "save-name")
    box.send_keys(name)
    browser.find_element(By.ID, "save").click()
    saved = browser.find_element(By.ID, "saved")
    wait.until(lambda b: saved.text.startswith("Saved") or error_text())
    check(saved.text.startswith("Saved " + name), "saved: " + saved.text)
    browser.save_screenshot(os.path.join(shots, "3-solved-and-saved.png"))

    browser.find_element(By.ID, "save").click()
    wait.until(lambda b: error_text())
    check("already in the folder" in error_text(), "saving again is refused in the page: " + error_text())

    out = tempfile.mkdtemp(prefix="workforce-browser-")
    run = subprocess.run([workforce, "run", os.path.join(folder, name), "--replications", str(replications), "--no-bounds", "--quiet", "--out", out],
                         capture_output=True, text=True)
    check(run.returncode == 0, "workforce run on the saved file: " + run.stderr)
    stem = name.rsplit(".", 1)[0]
    browser.get("file://" + os.path.join(out, stem, "summary.html"))
    written = aims_table()
    check(written == after, f"the saved file's run has the page's aims table ({replications} replications):\n  page {json.dumps(after)}\n  run  {json.dumps(written)}")
finally:
    browser.quit()

print("FAILED: " + "; ".join(failures) if failures else "all browser checks passed", flush=True)
sys.exit(1 if failures else 0)
