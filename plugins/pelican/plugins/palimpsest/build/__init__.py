"""The build's own machinery: worker processes, captured logs, the content cache, the writer."""
