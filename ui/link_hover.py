"""Hovering a row of B (or its row sum) frames the column of dL/dT it becomes, in the browser.

The server already draws this link when a row is picked (a click on B, or the "follow a row" box),
but a rerun per pointer move would be far too slow, and Streamlit sends no hover events. So the
charts carry the link as data (`core.figures.matrix_figure(row_links=…, link_target=True)` puts it
in `layout.meta`), and a few lines of script draw it while the pointer rests on a cell: plotly's
own `plotly_hover` names the cell, its axes (`l2p`) give the pixels, and dotted frames, the
"linked" mark of the legend, are laid over both charts until the pointer leaves. Nothing is sent
to the server and nothing about the figures changes, so a rerun redraws them as they were.
"""

from __future__ import annotations

import streamlit as st


def frame_links_on_hover() -> None:
    """Frame B's hovered row and the cells of dL/dT it becomes (see the module)."""
    # A string fixed in the source, as tests/deploy/test_server_settings.py wants of every st.html.
    # Installed once per browser tab; each chart that carries links gets its listeners once.
    st.html(
        """<script>
if (!window.__gradflowLinkHover) {
  window.__gradflowLinkHover = true;
  const role = (gd) => (gd.layout && gd.layout.meta && gd.layout.meta.gradflow) || '';
  const clear = () => document.querySelectorAll('.gf-link-hover').forEach((el) => el.remove());
  const frame = (gd, [i, j]) => {
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const xs = [xa._offset + xa.l2p(j - 0.5), xa._offset + xa.l2p(j + 0.5)];
    const ys = [ya._offset + ya.l2p(i - 0.5), ya._offset + ya.l2p(i + 0.5)];
    const box = document.createElement('div');
    box.className = 'gf-link-hover';
    box.dataset.cell = `${i},${j}`;
    Object.assign(box.style, {
      position: 'absolute', pointerEvents: 'none', boxSizing: 'border-box', zIndex: 5,
      left: `${Math.min(...xs) + 3}px`, top: `${Math.min(...ys) + 3}px`,
      width: `${Math.abs(xs[1] - xs[0]) - 6}px`, height: `${Math.abs(ys[1] - ys[0]) - 6}px`,
      border: '3px dotted #000', boxShadow: '0 0 0 1px #fff, inset 0 0 0 1px #fff',
    });
    if (getComputedStyle(gd).position === 'static') gd.style.position = 'relative';
    gd.appendChild(box);
  };
  const show = (p) => {
    clear();
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const source = plots.find((gd) => role(gd) === 'link-source');
    const target = plots.find((gd) => role(gd) === 'link-target');
    const link = source && source.layout.meta.links[p];
    if (!link) return;
    link[0].forEach((cell) => frame(source, cell));
    if (target) link[1].forEach((cell) => frame(target, cell));
  };
  const hovered = (gd, event) => {
    const point = event && event.points && event.points[0];
    if (!point || point.customdata == null) return;
    const [i, j] = point.customdata;
    const source = role(gd) === 'link-source' ? gd
      : [...document.querySelectorAll('.js-plotly-plot')].find((g) => role(g) === 'link-source');
    const links = (source && source.layout.meta.links) || [];
    // On B: the row p whose cells include this one; on dL/dT: the column p it is in.
    const side = role(gd) === 'link-source' ? 0 : 1;
    const p = links.findIndex((link) => link[side].some(([a, b]) => a === i && b === j));
    if (p >= 0) show(p); else clear();
  };
  const attach = () => document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    if (gd.__gradflowLinkHover || typeof gd.on !== 'function') return;
    gd.__gradflowLinkHover = true;
    gd.on('plotly_hover', (event) => { if (role(gd).startsWith('link-')) hovered(gd, event); });
    gd.on('plotly_unhover', clear);
  });
  new MutationObserver(attach).observe(document.body, {childList: true, subtree: true});
  attach();
}
</script>""",
        unsafe_allow_javascript=True,
    )
