"""What every page needs for WCAG 2.1 AA beyond Streamlit's theme (issue 19; tests/e2e/test_axe_browser.py).

The theme in .streamlit/config.toml sets the text colour (its 60 % tint is the captions' grey).
Streamlit has no option for the rest, so app.py draws these on every page, each a string fixed in
the source (tests/deploy/test_server_settings.py):

- `style`: the code blocks' syntax colours, which Streamlit takes from its fixed palette (numbers
  #29b09d, 2.5:1 on the code background; keywords #1c83e1, 3.6:1; comments #808495, 3.5:1), set to
  darker shades of the same hues, each at least 5:1 on the code background (`CODE_COLOURS`); a
  visible focus ring (`FOCUS`, 7:1 on white) on links, buttons, expanders, radio buttons and
  checkboxes; no animation for a reader who asked for reduced motion. The selectors are Prism's
  token classes and ARIA/HTML ones, never Streamlit's generated class names.
- `script`: the page's `lang` attribute (zh-Hans or en) follows the chosen language (the link's
  `lang=zh`, which ui/language.py keeps in the URL whenever the page is Chinese), and a region
  that scrolls (a wide code block or table, a row of charts on a phone) but holds nothing focusable gets
  tabindex=0, so a keyboard can scroll it (axe's scrollable-region-focusable); each chart is named
  (role=figure, aria-label) by its figure's `layout.meta.label` (core.figures, e.g. "dL/dT, 5 by 3");
  its numbers are a table (row and column headers, each cell's marks in words) in a <details> inside
  the chart, out of sight until the keyboard reaches its summary, opened with Enter;
  a container whose key starts with `live_` (class st-key-live_…) becomes a polite live region, so
  a change inside it (the playground's written-out sum) is read out once.
"""

from __future__ import annotations

import streamlit as st

CODE_BACKGROUND = "#f7f7f6"
"""Streamlit 1.67's code background in the light theme (theme.codeBackgroundColor unset)."""
CODE_COLOURS = {
    "comment": "#555867",
    "property": "#106f91",
    "constant": "#177233",
    "number": "#246e69",
    "string": "#177233",
    "operator": "#a84400",
    "url": "#6d3fc0",
    "keyword": "#0054a3",
    "important": "#bd4043",
}
"""The syntax colours of `style`, by the Prism token group they colour (tests check their contrast)."""
TABLE_COLOURS = {"text": "#111111", "background": "#ffffff", "rule": "#555867"}
"""The charts' tables (`script`): the theme's text on white, 18.9:1; their rules, 7.4:1."""
FOCUS = "#0054a3"
"""The focus ring's colour: 7.5:1 on white, at least 6.5:1 on every grey of the light theme."""


def style() -> None:
    """The syntax colours, focus ring and reduced motion (a style only: it takes no room on the page)."""
    st.html("""<style>
[data-testid="stCode"] :is(.token.comment, .token.prolog, .token.doctype, .token.cdata, .token.punctuation,
  .token.unchanged.line) { color: #555867; }
[data-testid="stCode"] :is(.token.attr-name, .token.property, .token.variable) { color: #106f91; }
[data-testid="stCode"] :is(.token.boolean, .token.constant, .token.symbol, .token.inserted) { color: #177233; }
[data-testid="stCode"] :is(.token.number, .token.regex) { color: #246e69; }
[data-testid="stCode"] :is(.token.string, .token.char, .token.attr-value) { color: #177233; }
[data-testid="stCode"] :is(.token.operator, .token.entity, .token.decorator, .token.atrule) { color: #a84400; }
[data-testid="stCode"] .token.url { color: #6d3fc0; }
[data-testid="stCode"] :is(.token.keyword, .token.tag, .token.function, .token.class-name, .token.selector) {
  color: #0054a3;
}
[data-testid="stCode"] :is(.token.important, .token.deleted) { color: #bd4043; }
:is(a, button, summary, [tabindex]:not([tabindex="-1"])):focus-visible {
  outline: 3px solid #0054a3 !important; outline-offset: 2px;
}
label:has(input:focus-visible) { outline: 3px solid #0054a3; outline-offset: 2px; border-radius: 4px; }
.js-plotly-plot { position: relative; }
.js-plotly-plot > details.gradflow-numbers:not([open]):not(:focus-within) {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
.js-plotly-plot > details.gradflow-numbers:is([open], :focus-within) {
  position: absolute; top: 0; left: 0; z-index: 20; background: #ffffff; color: #111111;
  border: 1px solid #555867; border-radius: 4px; padding: 0.25rem 0.5rem; font-size: 0.875rem;
  max-width: 100%; max-height: 100%; overflow: auto; box-sizing: border-box;
}
.js-plotly-plot > details.gradflow-numbers table { border-collapse: collapse; margin-top: 0.25rem; }
.js-plotly-plot > details.gradflow-numbers caption { text-align: left; font-weight: 600; }
.js-plotly-plot > details.gradflow-numbers :is(th, td) {
  border: 1px solid #555867; padding: 0.1rem 0.4rem; text-align: right; vertical-align: top;
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {
    animation-duration: 0.01ms !important; animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important; scroll-behavior: auto !important;
  }
}
</style>""")


def script() -> None:
    """The document's language and the scrollable regions' tabindex (a line in the sidebar).

    Installed once per browser tab; after each change of the page (at most once per animation
    frame) it sets `lang` from the URL and marks the scrollable regions.
    """
    st.sidebar.html(
        """<script>
if (!window.__gradflowA11y) {
  window.__gradflowA11y = true;
  const focusable = 'a[href], button, input, select, textarea, [tabindex]';
  const regions = '[data-testid="stCode"] pre, [data-testid="stHorizontalBlock"], [data-testid="stTable"] > div';
  // The chart's numbers as a table (layout.meta.table, core.figures.chart_table), in a details element
  // inside the chart: hidden until the keyboard reaches its summary, open on Enter. Text only
  // (textContent), rebuilt when the figure's table changes.
  const numbers = (chart, meta) => {
    let box = chart.querySelector(':scope > details.gradflow-numbers');
    const table = meta.table;
    if (!table || !Array.isArray(table.cells)) {
      if (box) box.remove();
      return;
    }
    const key = JSON.stringify(table);
    if (box && box.gradflowKey === key) return;
    if (!box) {
      box = document.createElement('details');
      box.className = 'gradflow-numbers';
      chart.appendChild(box);
    }
    box.gradflowKey = key;
    const summary = document.createElement('summary');
    summary.textContent = table.title;
    const grid = document.createElement('table');
    grid.createCaption().textContent = meta.label || '';
    const head = grid.createTHead().insertRow();
    head.appendChild(document.createElement('td'));
    for (const col of table.cols) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = col;
      head.appendChild(th);
    }
    const body = grid.createTBody();
    table.rows.forEach((row, i) => {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row;
      tr.appendChild(th);
      for (const text of table.cells[i]) tr.insertCell().textContent = text;
    });
    box.replaceChildren(summary, grid);
  };
  const mark = () => {
    const lang = new URLSearchParams(window.location.search).get('lang') === 'zh' ? 'zh-Hans' : 'en';
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    for (const region of document.querySelectorAll(regions)) {
      const scrolls = region.scrollWidth > region.clientWidth + 1 || region.scrollHeight > region.clientHeight + 1;
      if (scrolls && !region.hasAttribute('tabindex') && !region.querySelector(focusable)) {
        region.setAttribute('tabindex', '0');
      }
    }
    for (const live of document.querySelectorAll('[class*="st-key-live_"]')) {
      if (!live.hasAttribute('aria-live')) live.setAttribute('aria-live', 'polite');
    }
    for (const chart of document.querySelectorAll('.js-plotly-plot')) {
      const meta = (chart.layout && chart.layout.meta) || {};
      if (typeof meta.label === 'string' && chart.getAttribute('aria-label') !== meta.label) {
        chart.setAttribute('role', 'figure');
        chart.setAttribute('aria-label', meta.label);
      }
      numbers(chart, meta);
    }
  };
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; mark(); });
  };
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', schedule);
  window.addEventListener('popstate', schedule);
  schedule();
}
</script>""",
        unsafe_allow_javascript=True,
    )
