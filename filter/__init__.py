"""pagefilter: keep the article body of scraped pages, drop the junk around it."""

__version__ = "0.1.0"
