"""Streamlit glue shared by the pages: session state, callbacks and URL sync. No math here."""
