"""A live corpus: feeds polled into a server's collection, and quote alerts for what is new.

``feeds`` polls (claiming one feed at a time through the store, so several bot processes poll
each feed once), ``alerts`` finds new statements by followed speakers and hands the bot what to
post. Both get what they need (an ingestor, a read-only view, the store) rather than the
library, and run as jobs of ``index.jobs``; the Discord side lives in ``bot/cogs``.
"""
