"""The checker's browser tests in three engines: Chromium and Firefox through Playwright, WebKit through Selenium.

Every engine is a Debian package (chromium, firefox-esr, webkit2gtk-driver); none is downloaded. Tests talk to a
page through the small `EnginePage` interface (page.py), so one test runs unchanged in all three.
"""

ENGINES = ("chromium", "firefox", "webkit")
