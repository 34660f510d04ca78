"""Browser tests: the built demo site in Debian's Chromium, driven by Playwright."""
