"""The annual partnership report: pure arithmetic (annual) and its renderings (render)."""
