"""The running watch: scheduled feeds, list updates, live AIS, incremental detection and alerts."""
