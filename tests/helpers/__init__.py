"""Helpers shared by the tests (and by bench/), imported as `tests.helpers.<module>`.

- `paths`: the repository root, app.py, tests/data.
- `apptest`: open a session of the app under Streamlit's AppTest and read or edit what it shows.
- `real_app`: run pages through app.py's `st.navigation`, as a server does (`RealApp`, and the
  Streamlit quirk it works around); the fixtures built on it are in tests/app/conftest.py.
- `server`: a real server on a free loopback port: start it, poll `/_stcore/health`, read its
  output, stop it (tests/deploy, tests/e2e and bench/).
- `browser`: Debian's Chromium and its launch flags, and the browser tests' helpers: wait for a
  script run, read the charts, click and type (tests/e2e and bench/).

Nothing here imports pytest, so bench/ scripts can import these modules; fixtures live in the
conftest.py of the folder that uses them.
"""
