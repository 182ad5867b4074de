"""One tap on a clickable chart picks its cell on a touch screen, as one click does with a mouse.

Streamlit turns a click into a selection through plotly.js's select-on-click (clickmode
"event+select", which it sets itself for `selection_mode="points"`). In plotly.js 3.8 as
Streamlit 1.67 bundles it, a click first selects the point in `gd._hoverdata`, the point the
pointer last *hovered*, and only then hovers at the click to emit `plotly_click`
(cartesian/dragbox.js `clickFn`: `selectOnClick(...)`, then `Fx.click(gd, evt, subplot)`). A
mouse hovers before it clicks, so the two agree. A finger does not: plotly's touchstart handler
calls preventDefault (every dragmode but false, and Streamlit replaces a layout's
`dragmode: False` with "pan"), so the browser sends no mousemove, and the first tap selects
nothing. Its `plotly_click` then leaves the tapped point in `_hoverdata`, so the *next* tap
selects the cell the first one touched, wherever it lands.

No Plotly or Streamlit setting reorders that: hovermode, hoverdistance and marker size decide what
a hover finds, not whether one happens; Streamlit forces clickmode ("event+select", or "event"
with a select or lasso dragmode, where a tap selects nothing) and a truthy dragmode; its own
`plotly_click` handler takes only treemap-like points. So the page adds a few lines of script:
when a single touch starts on a chart's plot area, a mousemove is sent there at the finger's
position, which is the hover plotly's mouse handler makes, before the tap's click reads it.
A mouse never fires touchstart, so mouse clicks are untouched.
"""

from __future__ import annotations

import streamlit as st


def hover_on_touch() -> None:
    """Make one tap select a cell of this page's clickable charts on a touch screen (see the module)."""
    # A string fixed in the source, as tests/deploy/test_server_settings.py wants of every st.html. The
    # listener is installed once per browser tab; capturing, it runs before plotly's touchstart handler.
    st.html(
        """<script>
if (!window.__gradflowHoverOnTouch) {
  window.__gradflowHoverOnTouch = true;
  document.addEventListener('touchstart', (event) => {
    const target = event.target, touch = event.touches[0];
    if (event.touches.length !== 1 || !(target instanceof Element)) return;
    if (!target.matches('.js-plotly-plot .nsewdrag')) return;  // a chart's plot area, where plotly hovers
    const at = {clientX: touch.clientX, clientY: touch.clientY, bubbles: true, view: window};
    target.dispatchEvent(new MouseEvent('mousemove', at));
  }, {capture: true, passive: true});
}
</script>""",
        unsafe_allow_javascript=True,
    )
