// @ts-check
/* Reports (support and admins): GET /reports/tickets drawn as SVG charts, each with its
   numbers as a table. The range (from/to weeks) lives in the address, so Back and reload keep it.
   Plain SVG, no chart library: a few bar charts are less code than wiring one in. */
(() => {
  "use strict";
  const P = window.Portal;
  // A range the API refused, in words (the API's own text names the parameters).
  const rangeProblem = (error) => (error.status !== 400 ? error.message
    : /after to/.test(error.detail) ? "The first week comes after the last one: pick a start before the end."
      : /at most/.test(error.detail) ? "That range is too long: a report covers at most two years (104 weeks)."
        : "Those weeks are not dates the report understands: pick them again.");
  const { h, fill, note } = P;
  const NS = "http://www.w3.org/2000/svg";
  const WEEK = /^\d{4}-W\d{2}$/;

  // s("rect", {x, y}, ...kids): an SVG element (h makes HTML ones); strings become text nodes.
  const s = (tag, attrs, ...kids) => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, String(v));
    kids.flat(9).forEach((kid) => kid != null && el.append(typeof kid === "object" ? kid : String(kid)));
    return el;
  };
  // A round top for the axis: 1, 2 or 5 times a power of ten.
  const nice = (max) => {
    if (max <= 0) return 1;
    const step = 10 ** Math.floor(Math.log10(max));
    return [1, 2, 5, 10].map((m) => m * step).find((v) => v >= max) || max;
  };
  const minutes = (m) => (m == null ? "–" : m < 10 ? `${+m.toFixed(1)} min` : m < 120 ? `${Math.round(m)} min`
    : m < 2880 ? `${(m / 60).toFixed(1)} h` : `${(m / 1440).toFixed(1)} d`);
  const percent = (share) => (share == null ? "–" : `${Math.round(share * 100)} %`);
  const short = (week) => week.slice(5); // 2026-W48 -> W48

  // A chart with its caption and its numbers as a table (in a details element).
  const figure = (title, summary, chart, head, rows) => {
    const caption = P.id("chart");
    chart.setAttribute("aria-labelledby", caption);
    return h("figure", { class: "portal-chart" },
      h("figcaption", { id: caption }, h("strong", {}, title), " ", h("span", { class: "portal-hint" }, summary)),
      chart,
      h("details", {}, h("summary", {}, `${title}: the numbers`),
        h("table", {}, h("caption", { class: "portal-sr" }, title),
          h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c, i) => (i ? h("td", {}, c) : h("th", { scope: "row" }, c)))))))));
  };

  // Vertical bars per week: series [{name, cls, values}], values null for "no data".
  const weekBars = (labels, series, format) => {
    const W = 640, H = 210, L = 48, B = 24, T = 8;
    const top = nice(Math.max(0, ...series.flatMap((x) => x.values.map((v) => v || 0))));
    const slot = (W - L) / labels.length, bar = Math.max(1, (slot * 0.8) / series.length);
    const y = (v) => T + (H - T - B) * (1 - v / top);
    const every = Math.ceil(labels.length / 12);
    return s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "portal-svg" },
      [0, top / 2, top].map((v) => [
        s("line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "portal-grid" }),
        s("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)),
      ]),
      labels.map((label, i) => [
        series.map((x, j) => x.values[i] == null ? null : s("rect", {
          x: L + i * slot + slot * 0.1 + j * bar, y: y(x.values[i]), width: bar, height: Math.max(0, H - B - y(x.values[i])),
          class: x.cls,
        }, s("title", {}, `${label}, ${x.name}: ${format(x.values[i])}`))),
        i % every ? null : s("text", { x: L + (i + 0.5) * slot, y: H - 6, "text-anchor": "middle" }, short(label)),
      ]));
  };

  // Horizontal bars of one backlog dimension: [[name, count], ...].
  const countBars = (pairs) => {
    const W = 640, L = 150, R = 40, row = 26, H = Math.max(1, pairs.length) * row + 4;
    const top = Math.max(1, ...pairs.map(([, n]) => n));
    return s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "portal-svg" },
      pairs.map(([name, n], i) => [
        s("text", { x: L - 8, y: i * row + 18, "text-anchor": "end" }, name.length > 20 ? `${name.slice(0, 19)}…` : name),
        s("rect", { x: L, y: i * row + 5, height: row - 10, width: ((W - L - R) * n) / top, class: "portal-bar-a" }),
        s("text", { x: L + ((W - L - R) * n) / top + 6, y: i * row + 18 }, n),
      ]));
  };

  const render = (box, report) => {
    const weeks = report.weeks;
    const labels = weeks.map((w) => w.week);
    const when = (w) => `${w.week} (from ${w.starts_on})`;
    const count = (v) => String(Math.round(v));
    const backlog = report.backlog;
    const dims = [["by_status", "status"], ["by_priority", "priority"], ["by_tag", "tag"], ["by_org", "organisation"]];
    fill(box,
      h("h2", {}, `Weeks ${report.from} to ${report.to}`),
      h("div", { class: "portal-legend", "aria-hidden": "true" },
        h("span", { class: "portal-key portal-key-a" }, "created"), h("span", { class: "portal-key portal-key-b" }, "solved")),
      figure("Created and solved per week", "Tickets raised (left bar) and closed (right bar) each week.",
        weekBars(labels, [
          { name: "created", cls: "portal-bar-a", values: weeks.map((w) => w.created) },
          { name: "solved", cls: "portal-bar-b", values: weeks.map((w) => w.solved) },
        ], count),
        ["Week", "Created", "Solved"], weeks.map((w) => [when(w), w.created, w.solved])),
      figure("Median first response per week", "Time from a ticket being raised to support's first public response, median of the week's first responses.",
        weekBars(labels, [{ name: "median", cls: "portal-bar-a", values: weeks.map((w) => w.median_first_response_minutes) }], minutes),
        ["Week", "First responses", "Median"],
        weeks.map((w) => [when(w), w.first_responses, minutes(w.median_first_response_minutes)])),
      figure("CSAT share per week", "Good ratings out of all ratings of the tickets closed each week.",
        weekBars(labels, [{ name: "good", cls: "portal-bar-b", values: weeks.map((w) => w.csat_share) }], percent),
        ["Week", "Good", "Bad", "Share good"], weeks.map((w) => [when(w), w.csat_good, w.csat_bad, percent(w.csat_share)])),
      h("h2", {}, "Backlog now"),
      h("p", {}, "Tickets not closed, as of now (the range does not apply)."),
      dims.map(([key, name]) => {
        const pairs = Object.entries(backlog[key]);
        return figure(`Backlog by ${name}`, pairs.length ? "" : "Nothing is waiting.", countBars(pairs),
          [name[0].toUpperCase() + name.slice(1), "Tickets"], pairs);
      }));
  };

  const reportsFor = (box) => {
    const from = h("input", { type: "week", name: "from", placeholder: "2026-W37" });
    const to = h("input", { type: "week", name: "to", placeholder: "2026-W48" });
    const out = h("div", { "aria-live": "polite" });
    const form = h("form", { class: "portal-filters", "aria-label": "Report range" },
      P.field("From week", from, "Like 2026-W37"), P.field("To week", to, "Like 2026-W48"),
      h("div", { class: "portal-field" }, h("button", { type: "submit", class: "md-button md-button--primary" }, "Show")));
    fill(box, form, out);
    const inputs = /** @type {[string, HTMLInputElement][]} */ ([["from", from], ["to", to]]);

    const load = async () => {
      const params = new URLSearchParams(location.search);
      const query = new URLSearchParams();
      for (const [name, input] of inputs) {
        const value = params.get(name) || "";
        input.value = WEEK.test(value) ? value : "";
        if (value) query.set(name, value);
      }
      fill(out, P.busy("Loading the report…"));
      try {
        const report = await P.api("GET", `/reports/tickets${query.size ? `?${query}` : ""}`);
        if (!params.get("from")) from.value = report.from;
        if (!params.get("to")) to.value = report.to;
        render(out, report);
      } catch (error) {
        fill(out, note(rangeProblem(error), "error"));
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const url = new URL(location.href);
      for (const [name, input] of inputs) {
        if (input.value) url.searchParams.set(name, input.value.trim());
        else url.searchParams.delete(name);
      }
      history.pushState(history.state, "", url);
      load();
    });
    window.addEventListener("popstate", () => box.isConnected && load());
    load();
  };

  P.widget("reports", (root) => {
    const show = () => {
      const user = P.user();
      if (!user) return fill(root, P.signedOut("Sign in above with your support account to see the reports."));
      if (!user.roles.some((role) => role === "support" || role === "admin")) {
        return fill(root, note("The reports are for the support team. Your organisation's tickets are on the Support page."),
          h("p", {}, h("a", { href: P.siteUrl("support/") }, "Go to Support")));
      }
      reportsFor(P.fresh(root));
    };
    P.onUser(root, show);
    show();
  });
})();
